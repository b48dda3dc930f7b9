"""The whole yearly cycle from the browser, as the académie's pilot runs it: no command-line step.

From an académie whose last campaign (2024-2025) is closed, a pilot logs in and creates next
year's campaign from it, rewords a question and adds a choice, uploads a roster file with a bad
row, sees the error, uploads the corrected file and confirms, opens the campaign and queues the
invitations; the real ``bilan worker`` sends them to a real SMTP server on loopback (its own
process on PostgreSQL; the same command in this process on SQLite, whose in-memory test
database another process cannot open). A referent follows the link of the e-mail received and
answers; the pilot sends the reminders (only the others receive one), closes the campaign, opens
the results and a breakdown, marks a quote, edits a paragraph of the report, publishes it after
confirming and adds an action to the plan; then invites a reader, who chooses a password from the
e-mail received and sees the published report but none of the pilot's pages.

On every page: no console error, axe-core finds no WCAG 2.1 AA violation, nothing is wider than
the screen at 360 and 1280 px; at 360 px the menu opens and offers to log out. With
``BILAN_SCREENSHOTS`` naming a folder, the pages of the pilot's guide are saved there
(``make guide`` writes them into docs/guide-pilote/).
"""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from bilan.core.models import Membership, Role
from bilan.demo.loader import OPEN_SCHOOL_YEAR, load_demo
from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
from bilan.reports.models import Action, ReportVersion
from bilan.roster.models import Academie, Mandate
from bilan.surveys.models import Campaign, CampaignState, Response, ResponseStatus
from tests.accounts.conftest import link_in
from tests.browser.test_respondent_form import fill_section, navigate, save_and_continue
from tests.outreach.test_invitations_page import run_worker_in_process
from tests.roster.test_pages import row_of, xlsx
from tests.surveys.conftest import COMPLETE_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST = "2024-2025"
NEW = OPEN_SCHOOL_YEAR          # 2025-2026: the demo's open campaign is removed, the year starts afresh
PUBLIC = "https://bilan.ac-poitiers.fr"
PASSWORD = "Pilotage-du-bilan-2026"
NBSP = "\u00a0"
WIDTHS = (360, 1280)
REFERENTS = 6
PILOT_PAGES = ("/academie/poitiers/referentiel/", "/academie/poitiers/equipe/", f"/campagnes/{NEW}/invitations/",
               f"/campagnes/{NEW}/plan-d-action/nouvelle/", f"/campagnes/{NEW}/compte-rendu/publier/")


class Walk:
    """One person's browser: every page visited is checked the same way."""

    def __init__(self, page, live_server, assert_accessible):
        self.page, self.base, self.assert_accessible = page, live_server.url, assert_accessible
        self.problems: list[str] = []
        self.checked: list[str] = []
        page.on("console", lambda message: self.problems.append(f"{page.url}: {message.text}")
                if message.type == "error" else None)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def check(self, label: str, screenshot: str | None = None) -> None:
        page = self.page
        page.wait_for_load_state("load")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"« {label} » is {wide} px wide at {width} px"
            self.assert_accessible(page, f"{label} ({width} px)")
        page.set_viewport_size({"width": 360, "height": 740})
        if screenshot and os.environ.get("BILAN_SCREENSHOTS"):
            page.set_viewport_size({"width": 1280, "height": 900})
            # The top of the page on a desktop screen, as the guide shows it (JPEG: the guide stays small).
            page.screenshot(path=str(Path(os.environ["BILAN_SCREENSHOTS"]) / screenshot), type="jpeg", quality=70)
            page.set_viewport_size({"width": 360, "height": 740})
        self.checked.append(label)

    def check_menu(self) -> None:
        """At 360 px the header's tools are behind « Menu »: it opens and offers to log out."""
        page = self.page
        page.get_by_role("button", name="Menu").click()
        logout = page.locator("#menu-compte").get_by_role("button", name="Se déconnecter")
        logout.wait_for(state="visible")
        page.locator("#menu-compte").get_by_role("button", name="Fermer").click()
        logout.wait_for(state="hidden")

    def done(self) -> None:
        assert not self.problems, "console errors:\n" + "\n".join(self.problems)


def wait_for_mail(smtp, count: int, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while len(smtp.handler.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)  # a real server, receiving from a real worker
    assert len(smtp.handler.received) >= count, f"{len(smtp.handler.received)} e-mails received, {count} expected"
    return smtp.handler.received


def run_worker(smtp, passes: int = 2) -> None:
    """``bilan worker``: its own process on PostgreSQL, the same command here on SQLite."""
    if connection.vendor != "postgresql":
        run_worker_in_process(passes=passes)
        return
    from tests.outreach.test_invitations_page import worker_process

    process = worker_process(smtp, passes=passes)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, f"worker failed:\n{out}\n{err}"


def local(link: str, live_server) -> str:
    """A link of an e-mail, built on the public address, opened on the test server."""
    parts = urlsplit(link)
    return live_server.url + parts.path + (f"?{parts.query}" if parts.query else "")


def roster_files(tmp_path) -> tuple[Path, Path]:
    """Next year's roster: six referents of last year, the addresses of the test server; and the same
    file with a bad address on line 4."""
    mandates = (Mandate.objects.filter(school_year=LAST, school__departement__academie__code="poitiers")
                .select_related("referent", "school__departement").order_by("pk")[:REFERENTS])
    rows = [row_of(mandate, email=f"rupn{n}@ac-poitiers.fr") for n, mandate in enumerate(mandates, start=1)]
    bad = [*rows[:2], row_of(mandates[2], email="sans-arobase.fr"), *rows[3:]]
    (tmp_path / "faux").mkdir()
    wrong, right = tmp_path / "faux" / "referents.xlsx", tmp_path / "referents.xlsx"
    wrong.write_bytes(xlsx(bad))
    right.write_bytes(xlsx(rows))
    return wrong, right


@pytest.fixture
def academie_after_last_year(settings):
    """The demo académie as it stands once 2024-2025 is closed: the year to come has no campaign yet."""
    load_demo()
    Campaign.objects.filter(slug=NEW).delete()
    Mandate.objects.filter(school_year=NEW).delete()
    settings.SITE_URL = PUBLIC
    pilot = get_user_model().objects.create_user("pilote-annee", email="pilote@ac-poitiers.fr", password=PASSWORD,
                                                 first_name="Dominique", last_name="Pilote")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    return pilot


def test_a_pilot_runs_the_whole_year_from_the_browser(live_server, new_page, assert_accessible, smtp, tmp_path,
                                                      academie_after_last_year):
    pilot = Walk(new_page(), live_server, assert_accessible)
    page = pilot.page
    now = timezone.localtime()

    # --- Logging in, the home page --------------------------------------------------------------
    pilot.go("/")
    page.wait_for_url(re.compile("/connexion/"))
    pilot.check("connexion")
    page.get_by_label("Identifiant", exact=True).fill("pilote-annee")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    navigate(page, page.get_by_role("button", name="Se connecter"))
    pilot.check("accueil", "accueil.jpg")
    pilot.check_menu()

    # --- 1. Next year's campaign, from last year's ----------------------------------------------
    navigate(page, page.get_by_role("link", name=re.compile("^Nouvelle campagne")).first)
    page.locator("#id_source").select_option(LAST)
    page.locator("#id_school_year").fill(NEW)
    page.locator("#id_title").fill("Bilan des RUPN 2025/2026")
    page.locator("#id_slug").fill(NEW)
    page.locator("#id_opens_at").fill((now - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_closes_at").fill((now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    pilot.check("nouvelle campagne", "campagne-nouvelle.jpg")
    navigate(page, page.get_by_role("button", name="Créer la campagne"))
    campaign = Campaign.objects.get(slug=NEW)
    assert campaign.previous.slug == LAST and campaign.state == CampaignState.DRAFT
    pilot.check("page de la campagne", "campagne.jpg")

    # --- 2. The questionnaire: one wording changed, one choice added ---------------------------
    navigate(page, page.get_by_role("link", name=re.compile("^Questionnaire")).first)
    pilot.check("questionnaire", "questionnaire.jpg")
    navigate(page, page.get_by_role("link", name="Modifier dans le navigateur"))
    navigate(page, page.get_by_role("link", name="Modifier la question EXCH_METHODS"))
    page.get_by_label("Intitulé").fill("Quelles méthodes utilisez-vous pour faire échanger vos collègues ?")
    page.get_by_label("Nouveau choix 1").fill("Réunion de rentrée")
    pilot.check("question à modifier", "questionnaire-question.jpg")
    navigate(page, page.get_by_role("button", name="Enregistrer la question"))
    page.get_by_text("Question EXCH_METHODS enregistrée").wait_for()
    campaign.refresh_from_db()
    question = campaign.questionnaire.schema.question("EXCH_METHODS")
    assert question.text.startswith("Quelles méthodes utilisez-vous pour faire échanger")
    assert "Réunion de rentrée" in [choice.label for choice in question.choices]
    assert Campaign.objects.get(slug=LAST).questionnaire_id != campaign.questionnaire_id, "last year's unchanged"
    pilot.go(f"/campagnes/{NEW}/questionnaire/comparaison/")
    assert "Réunion de rentrée" in page.locator("#cmp-EXCH_METHODS").inner_text()
    pilot.check("comparaison avec l'an dernier", "questionnaire-comparaison.jpg")

    # --- 3. The roster: a bad row, its error, the corrected file, the preview, confirm ----------
    wrong, right = roster_files(tmp_path)
    pilot.go("/")
    navigate(page, page.get_by_role("link", name=re.compile("Référentiel")).first)
    navigate(page, page.get_by_role("link", name="Importer un fichier de référentiel"))
    page.get_by_label("Année scolaire").fill(NEW)
    page.get_by_label("Fichier du référentiel").set_input_files(str(wrong))
    navigate(page, page.get_by_role("button", name="Voir l’aperçu"))
    error = page.locator("#lignes-en-erreur").inner_text()
    assert f"ligne 4, colonne «{NBSP}Courriel{NBSP}»" in error and "sans-arobase.fr" in error
    assert page.get_by_role("button", name="Confirmer l’import").count() == 0
    pilot.check("référentiel : ligne en erreur", "referentiel-erreur.jpg")
    assert not Mandate.objects.filter(school_year=NEW).exists()
    page.get_by_label("Fichier du référentiel").set_input_files(str(right))
    navigate(page, page.get_by_role("button", name="Voir l’aperçu"))
    pilot.check("référentiel : aperçu", "referentiel-apercu.jpg")
    navigate(page, page.get_by_role("button", name="Confirmer l’import"))
    assert Mandate.objects.filter(school_year=NEW).count() == REFERENTS

    # --- 4. Opening, the invitations, the worker -----------------------------------------------
    pilot.go(f"/campagnes/{NEW}/")
    navigate(page, page.get_by_role("button", name="Ouvrir la campagne"))
    page.get_by_text("Campagne ouverte.").wait_for()
    navigate(page, page.get_by_role("link", name=re.compile("Invitations")).first)
    to_invite = page.locator("#a-inviter").inner_text().replace(NBSP, " ")
    assert f"{REFERENTS} personnes recevront une invitation" in to_invite
    assert f"{PUBLIC}/r/" in page.locator("#apercu-texte").inner_text()
    pilot.check("invitations", "invitations.jpg")
    navigate(page, page.get_by_role("button", name=f"Mettre en file les invitations ({REFERENTS})"))
    assert OutgoingMail.objects.filter(campaign=campaign, kind=MailKind.INVITATION).count() == REFERENTS
    run_worker(smtp)
    # A locator assertion, not wait_for_function: the Content-Security-Policy forbids its eval.
    expect(page.locator('[data-count="invitation:sent"]')).to_have_text(str(REFERENTS), timeout=15_000)
    pilot.check("invitations envoyées", "invitations-envoyees.jpg")
    invitations = wait_for_mail(smtp, REFERENTS)
    assert sorted(m.recipient for m in invitations) == sorted(f"rupn{n}@ac-poitiers.fr"
                                                              for n in range(1, REFERENTS + 1))

    # --- 5. A referent answers from the e-mail's link, on a phone --------------------------------
    mail = next(m for m in invitations if m.recipient == "rupn1@ac-poitiers.fr")
    links = re.findall(re.escape(PUBLIC) + r"/r/\S+?/", mail.text)
    assert links, mail.text
    respondent = Walk(new_page(), live_server, assert_accessible)
    respondent.page.goto(local(links[0], live_server))
    respondent.check("accueil du questionnaire")
    navigate(respondent.page, respondent.page.get_by_role("link", name="Commencer"))
    answers = {section: dict(values) for section, values in COMPLETE_ANSWERS.items()}
    answers["info"]["INFO_MISSING"] = "Le calendrier des formations arrive trop tard dans l'année."
    for section in campaign.questionnaire.schema.sections:
        if section.code == "exchanges":
            # The choice added this year is offered to the respondent.
            assert respondent.page.get_by_text("Réunion de rentrée").count() == 1
        fill_section(respondent.page, answers[section.code])
        respondent.check(f"questionnaire, {section.code}")
        save_and_continue(respondent.page)
    navigate(respondent.page, respondent.page.get_by_role("button", name="Envoyer mes réponses"))
    assert "vos réponses ont bien été envoyées" in respondent.page.locator("main").inner_text()
    respondent.check("accusé de réception")
    respondent.done()
    assert Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED).count() == 1

    # --- 6. Reminders: the others only ------------------------------------------------------------
    # Days pass: the invitations left a week ago (the policy spaces two messages by days).
    OutgoingMail.objects.filter(campaign=campaign).update(sent_at=timezone.now() - timedelta(days=7),
                                                          due_at=timezone.now() - timedelta(days=7))
    pilot.go(f"/campagnes/{NEW}/invitations/")
    reminder = page.get_by_role("button", name=f"Relancer maintenant ({REFERENTS - 1})")
    reminder.wait_for()
    received = len(smtp.handler.received)
    navigate(page, reminder)
    run_worker(smtp)
    reminders = OutgoingMail.objects.filter(campaign=campaign, kind=MailKind.REMINDER)
    assert reminders.count() == REFERENTS - 1 and not reminders.exclude(status=MailStatus.SENT).exists()
    reminded = {m.recipient for m in wait_for_mail(smtp, received + REFERENTS - 1)[received:]
                if m.subject == reminders.first().subject}
    assert reminded == {f"rupn{n}@ac-poitiers.fr" for n in range(2, REFERENTS + 1)}
    pilot.check("après la relance")

    # --- 7. Closing; the results and a breakdown -------------------------------------------------
    pilot.go(f"/campagnes/{NEW}/")
    navigate(page, page.get_by_role("button", name="Clore la campagne"))
    assert Campaign.objects.get(slug=NEW).state == CampaignState.CLOSED
    pilot.check("campagne close")
    pilot.go(f"/campagnes/{NEW}/resultats/")
    pilot.check("résultats", "resultats.jpg")
    # One answer so far: no table by stratum can be published (secret statistique).
    pilot.go(f"/campagnes/{NEW}/resultats/section/partners/")
    assert page.get_by_role("button", name=re.compile("^Par type d'établissement")).count() == 0
    # A breakdown, on a year with its answers.
    pilot.go("/campagnes/2023-2024/resultats/section/steering/")
    accordion = page.get_by_role("button", name=re.compile("^Par type d'établissement")).first
    accordion.click()
    expect(accordion).to_have_attribute("aria-expanded", "true")
    page.locator(f"#{accordion.get_attribute('aria-controls')}").get_by_role("table").wait_for(state="visible")
    pilot.check("résultats, une répartition ouverte", "resultats-repartition.jpg")

    # --- 8. A quote, a paragraph of the report, publishing ---------------------------------------
    pilot.go(f"/campagnes/{NEW}/commentaires/INFO_MISSING/")
    navigate(page, page.get_by_role("button", name=re.compile("^Publier cette citation")).first)
    page.get_by_text("Citation retenue pour publication").first.wait_for()
    pilot.check("commentaires, citation retenue", "commentaires.jpg")
    pilot.go(f"/campagnes/{NEW}/compte-rendu/")
    pilot.check("compte-rendu (brouillon)", "compte-rendu.jpg")
    navigate(page, page.get_by_role("link", name="Modifier ce paragraphe").first)
    text_area = page.locator("textarea").first
    current = text_area.input_value()
    assert len(current) > 20, "the text area holds the paragraph's current text"
    text_area.fill(current + " L'équipe remercie les référent·es.")
    pilot.check("modifier un paragraphe")
    navigate(page, page.get_by_role("button", name="Enregistrer"))
    navigate(page, page.get_by_role("link", name="Publier cette version…"))
    pilot.check("publier : confirmation", "publier.jpg")
    page.get_by_role("button", name=re.compile("^Publier la version")).click()  # the browser asks for the box
    assert page.locator("#confirm").evaluate("box => !box.validity.valid")
    assert page.url.endswith("/compte-rendu/publier/")
    assert not ReportVersion.objects.filter(campaign=campaign).exists(), "not without « Je confirme »"
    page.locator("label[for=confirm]").click()  # the DSFR draws the box on the label
    navigate(page, page.get_by_role("button", name=re.compile("^Publier la version")))
    version = ReportVersion.objects.get(campaign=campaign)
    # (the report sets French typography: ’ for the apostrophe the pilot typed)
    assert "L’équipe remercie les référent·es." in str(version.document)

    # --- 9. The action plan ------------------------------------------------------------------------
    pilot.go(f"/campagnes/{NEW}/plan-d-action/")
    navigate(page, page.get_by_role("link", name="Ajouter une action"))
    page.get_by_label("Intitulé").fill("Calendrier des formations publié dès la rentrée")
    page.get_by_label("Responsable").fill("DRANE")
    page.get_by_label("Échéance").fill("15/09/2026")
    page.get_by_label("Constat visé n° 1").select_option("SCI_A11Y_KNOWN|no")
    page.get_by_label("Ce que mesure le constat n° 1").fill("ne connaissent pas l'accessibilité numérique")
    pilot.check("nouvelle action", "action-nouvelle.jpg")
    navigate(page, page.get_by_role("button", name="Ajouter l’action au plan"))
    assert Action.objects.filter(campaign=campaign, title__startswith="Calendrier des formations").exists()
    pilot.check("plan d'action", "plan-d-action.jpg")

    # --- 10. A reader joins: the e-mail, a password, the published report, no pilot page ----------
    pilot.go("/academie/poitiers/equipe/")
    page.get_by_label("Adresse électronique").fill("camille.leroy@ac-poitiers.fr")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Leroy")
    page.locator("label[for='invite-role_0']").click()  # « Lecteur·rice » (the DSFR hides the radio itself)
    navigate(page, page.get_by_role("button", name="Envoyer l’invitation"))
    page.get_by_text("Invitation envoyée à camille.leroy@ac-poitiers.fr").wait_for()
    pilot.check("équipe", "equipe.jpg")
    invitation_mail = smtp.handler.received[-1]  # sent while the page answered
    assert invitation_mail.recipient == "camille.leroy@ac-poitiers.fr"
    pilot.done()

    reader = Walk(new_page(), live_server, assert_accessible)
    reader.page.goto(local(link_in(invitation_mail.text, PUBLIC), live_server))
    reader.check("choisir son mot de passe", "choisir-mot-de-passe.jpg")
    reader.page.locator("#id_new_password1").fill("Lecture-du-bilan-2026")
    reader.page.locator("#id_new_password2").fill("Lecture-du-bilan-2026")
    navigate(reader.page, reader.page.get_by_role("button", name="Enregistrer et me connecter"))
    reader.check("accueil du lecteur")
    reader.go(f"/campagnes/{NEW}/compte-rendu/versions/{version.number}/")
    assert "L’équipe remercie les référent·es." in reader.page.locator("main").inner_text()
    reader.check("compte-rendu publié (lecteur)")
    for path in PILOT_PAGES:
        response = reader.page.goto(live_server.url + path)
        assert response.status == 404, f"{path}: {response.status} for a reader"
        assert "La page que vous cherchez est introuvable." in reader.page.locator("main").inner_text()
    reader.check("page de pilote refusée au lecteur")
    # The browser logs each of those 404s it was meant to get; nothing else may be in the console.
    refused = {f"{live_server.url}{path}: Failed to load resource: the server responded with a status of 404 (Not "
               "Found)" for path in PILOT_PAGES}
    reader.problems = [problem for problem in reader.problems if problem not in refused]
    reader.done()
    assert len(pilot.checked) >= 20
