"""The roster pages of the demo académie: the roster, the upload's preview and its confirmation,
the referent and school forms, the uncovered schools; and who may open them."""

from __future__ import annotations

import html
import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from bilan.core.models import Membership, Role
from bilan.roster.models import Academie, Mandate, Referent, RosterUpload, School
from bilan.uai import make_uai
from bilan.vocabularies import SCHOOL_TYPE_LABELS

pytestmark = pytest.mark.django_db

CURRENT, NEXT = "2025-2026", "2026-2027"
HEADERS = ["UAI", "Établissement", "Type", "Commune", "Département", "Nom", "Prénom", "Courriel"]
NEW_UAI = make_uai(869901)
NBSP = "\u00a0"


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_of(mandate, **changes):
    school, person = mandate.school, mandate.referent
    values = {"uai": school.uai, "name": school.name, "type": SCHOOL_TYPE_LABELS[school.type],
              "commune": school.commune, "dep": school.departement.code, "last": person.last_name,
              "first": person.first_name, "email": person.email}
    values.update(changes)
    return [values[key] for key in ("uai", "name", "type", "commune", "dep", "last", "first", "email")]


def current_mandates():
    return list(Mandate.objects.filter(school_year=CURRENT, school__departement__academie__code="poitiers")
                .select_related("school__departement", "referent").order_by("id"))


class Scenario:
    """Next year's file: the current roster with one of each change."""

    def __init__(self):
        mandates = current_mandates()
        names = Counter((m.referent.first_name, m.referent.last_name) for m in mandates)
        per_person = Counter(m.referent_id for m in mandates)
        single = [m for m in mandates if per_person[m.referent_id] == 1
                  and names[(m.referent.first_name, m.referent.last_name)] == 1]
        self.left, self.renamed, self.moved = single[0], single[1], single[2]
        # The moved referent goes to a school that someone else keeps.
        self.target = next(m.school for m in mandates if m.school_id != self.moved.school_id)
        self.rows = []
        for mandate in mandates:
            if mandate is self.left:
                continue
            if mandate is self.renamed:
                self.rows.append(row_of(mandate, email="nouvelle.adresse@ac-poitiers.fr"))
            elif mandate is self.moved:
                self.rows.append(row_of(mandate, uai=self.target.uai, name=self.target.name,
                                        type=SCHOOL_TYPE_LABELS[self.target.type], commune=self.target.commune,
                                        dep=self.target.departement.code))
            else:
                self.rows.append(row_of(mandate))
        self.rows.append([NEW_UAI, "Collège Neuf", "Collège", "Poitiers", "86", "Nouvelle", "Inès",
                          "ines.nouvelle@ac-poitiers.fr"])


class PageClient(Client):
    """A test client whose responses carry ``page``: their HTML, entities decoded."""

    def request(self, **request):
        response = super().request(**request)
        response.page = html.unescape(response.content.decode())
        return response


@pytest.fixture
def pilot(personas):
    client = PageClient(raise_request_exception=False)
    client.force_login(personas["pilot"])
    return client


def upload(client, data: bytes, name="referentiel.xlsx", year=NEXT):
    return client.post(reverse("roster:upload", args=["poitiers"]),
                       {"school_year": year, "fichier": SimpleUploadedFile(name, data)})


def roster_state():
    return (sorted(Mandate.objects.values_list("referent_id", "school_id", "school_year")),
            sorted(Referent.objects.values_list("id", "email", "first_name", "last_name")),
            sorted(School.objects.values_list("uai", "name")))


# ----------------------------------------------------------------------------- the roster

def test_the_roster_shows_the_latest_year_its_counts_and_searches(pilot):
    page = pilot.get(reverse("roster:index", args=["poitiers"])).page
    mandates = current_mandates()
    assert f"Référentiel des référent·es {CURRENT}" in page
    people = len({m.referent_id for m in mandates})
    assert f"{people}{NBSP}référent·es" in page and f"{len(mandates)}{NBSP}mandats" in page
    assert 'page 1 sur' in page  # the demo has more referents than a page holds
    someone = mandates[5].referent
    found = pilot.get(reverse("roster:index", args=["poitiers"]), {"q": someone.email}).page
    assert someone.email in found and reverse("roster:referent", args=["poitiers", someone.pk]) in found
    assert mandates[6].referent.email not in found or mandates[6].referent_id == someone.pk
    assert f"Aucun·e référent·e ne correspond à «{NBSP}zzzz{NBSP}»" in pilot.get(
        reverse("roster:index", args=["poitiers"]), {"q": "zzzz"}).page


def test_the_uncovered_schools_are_those_without_a_mandate_that_year(pilot):
    mandates = current_mandates()
    covered = {m.school_id for m in mandates}
    schools = School.objects.filter(departement__academie__code="poitiers")
    uncovered = [s for s in schools if s.id not in covered]
    # Make one more school uncovered: a school whose only mandate goes.
    only = Counter(m.school_id for m in mandates)
    gone = next(m for m in mandates if only[m.school_id] == 1)
    gone.delete()
    page = pilot.get(reverse("roster:uncovered", args=["poitiers"]), {"annee": CURRENT}).page
    for school in [*uncovered, gone.school]:
        assert school.uai in page
    assert next(s for s in schools if s.id in covered and s.id != gone.school_id).uai not in page


# ----------------------------------------------------------------------------- upload, preview, confirm

def test_the_preview_lists_each_kind_of_change_and_saves_nothing(pilot):
    scenario = Scenario()
    before = roster_state()
    response = upload(pilot, xlsx(scenario.rows))
    page = response.page
    assert response.status_code == 200
    assert roster_state() == before
    assert f"Comparé au référentiel {CURRENT}" in page
    assert "1\u00a0nouveau ou nouvelle référent·e" in page and "ines.nouvelle@ac-poitiers.fr" in page
    assert "1\u00a0référent·e absent·e du fichier" in page and scenario.left.referent.email in page
    assert "1\u00a0adresse changée" in page and scenario.renamed.referent.email in page
    assert "nouvelle.adresse@ac-poitiers.fr" in page
    assert "1\u00a0changement d’établissement" in page
    assert "1\u00a0nouvel établissement" in page and "Collège Neuf" in page
    assert "Confirmer l’import" in page
    stored = RosterUpload.objects.get()
    assert stored.school_year == NEXT and stored.applied_at is None and stored.filename == "referentiel.xlsx"


def test_a_bad_row_is_named_by_line_and_column_and_cannot_be_confirmed(pilot):
    scenario = Scenario()
    rows = list(scenario.rows)
    rows[2] = [*rows[2][:7], "pas-une-adresse"]  # line 4 of the file
    before = roster_state()
    page = upload(pilot, xlsx(rows)).page
    where = f"ligne 4, colonne «{NBSP}Courriel{NBSP}»{NBSP}: "
    assert f"{where}adresse de courriel «{NBSP}pas-une-adresse{NBSP}» invalide" in page
    assert "import impossible" in page and "Confirmer l’import" not in page
    assert "Envoyer un fichier corrigé" in page
    assert not RosterUpload.objects.exists() and roster_state() == before


def test_a_file_that_is_not_a_table_is_refused_in_french(pilot):
    page = upload(pilot, b"\x00\x01 pas un classeur", name="referentiel.xlsx").page
    assert "illisible" in page and "Confirmer l’import" not in page
    page = upload(pilot, b"x", name="referentiel.xls").page
    assert f"Extension «{NBSP}.xls{NBSP}» non prise en charge" in page
    page = upload(pilot, xlsx([]), year="2026-2028").page
    assert f"Année scolaire «{NBSP}2026-2028{NBSP}» invalide" in page


def test_confirm_applies_every_change_once(pilot):
    scenario = Scenario()
    upload(pilot, xlsx(scenario.rows))
    stored = RosterUpload.objects.get()
    renamed = scenario.renamed.referent
    renamed.email_bad = True
    renamed.save()
    response = pilot.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"?annee={NEXT}")
    next_year = Mandate.objects.filter(school_year=NEXT)
    assert next_year.count() == len(scenario.rows)
    assert not next_year.filter(referent=scenario.left.referent).exists()
    renamed.refresh_from_db()
    assert renamed.email == "nouvelle.adresse@ac-poitiers.fr" and not renamed.email_bad
    assert next_year.filter(referent=renamed).exists()  # the same person, not a new one
    assert list(next_year.filter(referent=scenario.moved.referent).values_list("school", flat=True)) \
        == [scenario.target.pk]
    assert School.objects.get(uai=NEW_UAI).departement.academie.code == "poitiers"
    assert Mandate.objects.filter(school_year=CURRENT).count() == len(current_mandates())  # last year kept
    after = roster_state()
    # A second confirmation (a double click, the back button) changes nothing.
    again = pilot.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk})
    assert again.status_code == 302 and roster_state() == after
    assert "était déjà importé" in pilot.get(again["Location"]).page


def test_a_file_of_the_current_year_replaces_its_roster(pilot):
    scenario = Scenario()
    upload(pilot, xlsx(scenario.rows), year=CURRENT)
    page = pilot.get(reverse("roster:index", args=["poitiers"]))
    assert page.status_code == 200
    stored = RosterUpload.objects.get()
    pilot.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk})
    assert not Mandate.objects.filter(school_year=CURRENT, referent=scenario.left.referent).exists()
    assert Mandate.objects.filter(school_year=CURRENT, school__departement__academie__code="poitiers").count() \
        == len(scenario.rows)


def test_confirm_is_all_or_nothing(pilot):
    scenario = Scenario()
    upload(pilot, xlsx(scenario.rows))
    stored = RosterUpload.objects.get()
    # Meanwhile the new school appears in another académie: the file no longer imports, and nothing
    # of it (not even the changed address, written first) is saved.
    limoges = Academie.objects.get(code="limoges")
    departement = limoges.departements.create(code="87", name="Haute-Vienne")
    School.objects.create(uai=NEW_UAI, name="Ailleurs", type="college", departement=departement)
    before = roster_state()
    page = pilot.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk}).page
    assert "rattaché à une autre académie" in page and "rien n’a été importé" in page
    assert roster_state() == before
    stored.refresh_from_db()
    assert stored.applied_at is None


def test_confirm_refuses_the_upload_of_another_pilot_or_an_old_one(pilot, personas):
    scenario = Scenario()
    other = Client()
    other.force_login(personas["outsider"])
    upload(pilot, xlsx(scenario.rows))
    stored = RosterUpload.objects.get()
    before = roster_state()
    # Another pilot of the same académie cannot confirm it.
    colleague = type(personas["pilot"]).objects.create_user("pilote-2")
    Membership.objects.create(user=colleague, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    second = PageClient()
    second.force_login(colleague)
    page = second.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk}).page
    assert "Ce fichier n'est pas en attente d'import pour vous" in page
    # Past a day, it must be sent again: just under a day it is still accepted.
    RosterUpload.objects.filter(pk=stored.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    page = pilot.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk}).page
    assert "envoyé il y a plus d'un jour" in page
    assert roster_state() == before
    RosterUpload.objects.filter(pk=stored.pk).update(created_at=timezone.now() - timedelta(hours=23, minutes=59))
    assert pilot.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk}).status_code == 302
    assert roster_state() != before
    # The outsider gets the 404 before anything is looked at.
    assert other.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk}).status_code == 404


def test_confirm_answers_405_to_a_get(pilot):
    assert pilot.get(reverse("roster:confirm", args=["poitiers"])).status_code == 405


# ----------------------------------------------------------------------------- edit forms

def test_a_new_address_clears_the_bounce_and_a_school_changes(pilot):
    mandate = current_mandates()[0]
    person = mandate.referent
    person.email_bad, person.email_bad_reason = True, "550 boîte inconnue"
    person.save()
    url = reverse("roster:referent", args=["poitiers", person.pk]) + f"?annee={CURRENT}"
    page = pilot.get(url).page
    assert "550 boîte inconnue" in page and f'value="{person.email}"' in page
    other = School.objects.filter(departement__academie__code="poitiers").exclude(pk=mandate.school_id).first()
    response = pilot.post(url, {"first_name": " Jeanne ", "last_name": person.last_name,
                                "email": "Jeanne.Neuve@AC-poitiers.fr", f"school-{mandate.pk}": other.uai,
                                "add_school": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.email, person.email_bad, person.email_bad_reason) \
        == ("Jeanne", "jeanne.neuve@ac-poitiers.fr", False, "")
    mandate.refresh_from_db()
    assert mandate.school == other  # the same mandate (the referent's stratum), another school


def test_the_referent_form_refuses_a_bad_address_a_taken_one_and_a_school_outside(pilot):
    first, second = current_mandates()[:2]
    url = reverse("roster:referent", args=["poitiers", first.referent.pk]) + f"?annee={CURRENT}"
    base = {"first_name": "A", "last_name": "B", f"school-{first.pk}": first.school.uai}
    before = roster_state()
    for data, message in (
        ({"email": "pas-une-adresse"}, f"Adresse de courriel «{NBSP}pas-une-adresse{NBSP}» invalide."),
        ({"email": second.referent.email.upper()}, "Cette adresse est déjà celle d'un·e autre référent·e."),
        ({"email": "ok@ac-poitiers.fr", "add_school": "0870001A"},
         f"Établissement «{NBSP}0870001A{NBSP}» inconnu dans l'académie."),
        ({"email": "ok@ac-poitiers.fr", "last_name": ""}, "Ce champ est obligatoire."),
    ):
        page = pilot.post(url, {**base, **data}).page
        assert message in page and 'id="erreurs"' in page, message
    assert roster_state() == before


def test_a_referent_can_give_up_a_school_and_take_another(pilot):
    first = current_mandates()[0]
    url = reverse("roster:referent", args=["poitiers", first.referent.pk]) + f"?annee={CURRENT}"
    other = School.objects.filter(departement__academie__code="poitiers").exclude(pk=first.school_id).first()
    data = {"first_name": "A", "last_name": "B", "email": first.referent.email}
    year = Mandate.objects.filter(referent=first.referent, school_year=CURRENT)
    others = {f"school-{m.pk}": m.school.uai for m in year if m.pk != first.pk}
    pilot.post(url, {**data, **others, f"school-{first.pk}": "-", "add_school": other.uai})
    assert other.pk in set(year.values_list("school", flat=True))
    assert first.school_id not in set(year.values_list("school", flat=True))


def test_the_school_form_keeps_the_departement_in_the_academie(pilot):
    school = School.objects.filter(departement__academie__code="poitiers").first()
    url = reverse("roster:school", args=["poitiers", school.uai])
    limoges = Academie.objects.get(code="limoges")
    limoges.departements.create(code="87", name="Haute-Vienne")
    page = pilot.post(url, {"name": "X", "type": "college", "commune": "", "departement": "87"}).page
    assert f"Département «{NBSP}87{NBSP}» hors de l'académie." in page
    school.refresh_from_db()
    assert school.name != "X"
    response = pilot.post(url, {"name": "  Collège   Renommé ", "type": "lycee", "commune": "Niort",
                                "departement": "79"})
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.name, school.type, school.commune, school.departement.code) \
        == ("Collège Renommé", "lycee", "Niort", "79")


# ----------------------------------------------------------------------------- who may open them

def test_readers_and_outsiders_get_a_404_and_visitors_the_login(personas):
    mandate = current_mandates()[0]
    urls = [reverse("roster:index", args=["poitiers"]), reverse("roster:upload", args=["poitiers"]),
            reverse("roster:uncovered", args=["poitiers"]),
            reverse("roster:referent", args=["poitiers", mandate.referent.pk]),
            reverse("roster:school", args=["poitiers", mandate.school.uai])]
    for persona in ("reader", "outsider"):
        client = Client()
        client.force_login(personas[persona])
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
    for url in urls:
        assert Client().get(url).status_code == 302


def test_a_referent_or_school_of_another_academie_is_a_404(pilot):
    limoges = Academie.objects.get(code="limoges")
    departement = limoges.departements.create(code="87", name="Haute-Vienne")
    school = School.objects.create(uai=make_uai(870001), name="Ailleurs", type="college", departement=departement)
    person = Referent.objects.create(first_name="Al", last_name="Leurs", email="al@ac-limoges.fr")
    Mandate.objects.create(referent=person, school=school, school_year=CURRENT)
    assert pilot.get(reverse("roster:school", args=["poitiers", school.uai])).status_code == 404
    assert pilot.get(reverse("roster:referent", args=["poitiers", person.pk])).status_code == 404
    assert pilot.post(reverse("roster:referent", args=["poitiers", person.pk]),
                      {"first_name": "X"}).status_code == 404
    assert pilot.get(reverse("roster:index", args=["nulle-part"])).status_code == 404
