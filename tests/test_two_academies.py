"""Two académies side by side: nothing of one shows in the other's pages, files, API or data.

Poitiers is the demo académie (``load_demo``); Limoges gets its own roster (imported like a
pilot's file), a campaign with the same built-in questionnaire and the same school year as the
demo's 2023-2024, some answers and comments. Its pilot then runs the year's workflows from the
pages (invite, reminders, « sans réponse » list, results and exports, comments — rename a theme,
merge two, mark a quote, dismiss a suggestion —, report edit and publish, action plan, answers
export, API), and each answer is checked for anything of Poitiers: an e-mail, a name, a school,
a UAI, a theme label, a quote, its counts. Poitiers' themes, quotes and report stay as they were.
"""

import html
import io
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bilan.commentary import services as commentary
from bilan.commentary.models import PublishedQuote, ThemeRecord
from bilan.core.models import Membership, Role
from bilan.outreach.participation import nonrespondents
from bilan.outreach.services import count_manual_reminders, invitation_plan
from bilan.reports.models import Action, ReportEdit, ReportVersion
from bilan.reports.services import build_campaign_report
from bilan.roster.models import Academie, Referent, School
from bilan.roster.services import import_roster
from bilan.surveys.models import Campaign, CampaignState, QuestionnaireVersion, Response, ResponseStatus
from bilan.uai import make_uai
from tests.pages import response_bytes

pytestmark = pytest.mark.django_db

SCHOOL_YEAR = "2023-2024"   # the demo campaign's year: the roster must not be chosen by year alone
POITIERS_SLUG = "2023-2024"
SLUG = "limoges-2023-2024"
QUESTION = "INFO_MISSING"
PUBLIC = "https://bilan.ac-limoges.example"

# Limoges' roster: six referents in three départements, with names no Poitiers referent has.
ROSTER = [
    (make_uai(870101), "Collège Turgot", "Collège", "Limoges", "87", "Vergnaud", "Aurélie"),
    (make_uai(870102), "Lycée Gay-Lussac", "Lycée", "Limoges", "87", "Lachaud", "Bastien"),
    (make_uai(190103), "Collège Clemenceau", "Collège", "Tulle", "19", "Peyrat", "Corinne"),
    (make_uai(190104), "Lycée Cabanis", "Lycée", "Brive-la-Gaillarde", "19", "Mazaud", "Damien"),
    (make_uai(230105), "Collège Jules-Marouzeau", "Collège", "Guéret", "23", "Bonnaud", "Élodie"),
    (make_uai(230106), "Lycée Pierre-Bourdan", "Lycée", "Guéret", "23", "Chabrol", "Fabrice"),
]
# The first four answer; their comments to INFO_MISSING (the codebook's « ia » theme catches the first two).
COMMENTS = [
    "Comment utiliser l'IA générative avec les élèves du Limousin sans risque pour leurs données ?",
    "Des exemples d'intelligence artificielle en classe, adaptés aux collèges ruraux de Corrèze.",
    "Le calendrier des certifications en Creuse arrive toujours trop tard pour s'organiser.",
    "Des nouvelles de l'ENT régional, les évolutions prévues sur les espaces de classe.",
]
LIMOGES_LABEL = "Intelligence artificielle en Limousin"


def _roster_csv() -> bytes:
    lines = ["UAI;Établissement;Type;Commune;Département;Nom;Prénom;Courriel;Année scolaire"]
    for uai, school, kind, commune, departement, last, first in ROSTER:
        email = f"{first.lower().replace('é', 'e')}.{last.lower()}@ac-limoges.fr"
        lines.append(f"{uai};{school};{kind};{commune};{departement};{last};{first};{email};{SCHOOL_YEAR}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(demo_db, db, settings):
    settings.SITE_URL = PUBLIC
    report = import_roster(_roster_csv(), filename="referents-limoges.csv", academie="Limoges")
    assert report.ok, report.problems
    limoges = Academie.objects.get(code="limoges")
    poitiers = Academie.objects.get(code="poitiers")
    builtin = Campaign.objects.get(slug=POITIERS_SLUG).questionnaire
    now = timezone.now()
    campaign = Campaign.objects.create(
        slug=SLUG, title="Bilan des RUPN de Limoges", academie=limoges, school_year=SCHOOL_YEAR,
        questionnaire=builtin, opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=30),
        state=CampaignState.OPEN)
    users = get_user_model().objects
    pilot = users.create_user(username="pilote-limoges", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=limoges, role=Role.PILOT)
    poitiers_pilot = users.create_user(username="pilote-poitiers", password="motdepasse-test-1")
    Membership.objects.create(user=poitiers_pilot, academie=poitiers, role=Role.PILOT)
    return {"campaign": campaign, "limoges": limoges, "poitiers": poitiers, "pilot": _client(pilot),
            "poitiers_pilot": _client(poitiers_pilot), "poitiers_campaign": Campaign.objects.get(slug=POITIERS_SLUG)}


def _answer(campaign: Campaign) -> None:
    """Four of Limoges' six invited referents answer (answers shaped like a demo respondent's)."""
    pattern = dict(Response.objects.filter(campaign__slug=POITIERS_SLUG, status=ResponseStatus.SUBMITTED)
                   .order_by("pk").values_list("answers", flat=True)[0])
    free_text = {q.code for q in commentary.free_text_questions(campaign)}
    for position, invitation in enumerate(campaign.invitations.select_related("school").order_by("pk")[:4]):
        answers = {code: value for code, value in pattern.items() if code not in free_text}
        answers[QUESTION] = COMMENTS[position]
        Response.objects.create(campaign=campaign, invitation=invitation, school_type=invitation.school_type,
                                departement_code=invitation.departement_code, answers=answers,
                                status=ResponseStatus.SUBMITTED, submitted_on=timezone.localdate(), revision=1)
        invitation.submitted_at = timezone.now()
        invitation.save(update_fields=["submitted_at"])


class Poitiers:
    """What of Poitiers must never show in Limoges: its people, schools, theme labels and quotes."""

    def __init__(self, renamed_label: str):
        self.emails = set(Referent.objects.filter(mandates__school__departement__academie__code="poitiers")
                          .values_list("email", flat=True))
        self.uais = set(School.objects.filter(departement__academie__code="poitiers").values_list("uai", flat=True))
        self.schools = set(School.objects.filter(departement__academie__code="poitiers")
                           .values_list("name", flat=True))
        self.names = {f"{first} {last}" for first, last in Referent.objects.filter(
            mandates__school__departement__academie__code="poitiers").values_list("first_name", "last_name")}
        self.quotes = set(PublishedQuote.objects.filter(response__campaign__academie__code="poitiers")
                          .values_list("text", flat=True))
        self.renamed_label = renamed_label

    def crossings(self, text: str) -> list[str]:
        text = html.unescape(text)
        found = []
        if "ac-poitiers" in text or "Poitiers" in text:
            found.append("the word Poitiers")
        found += [uai for uai in set(re.findall(r"\b\d{7}[A-Z]\b", text)) if uai in self.uais]
        found += [e for e in set(re.findall(r"[\w.+-]+@[\w.-]+", text)) if e.lower() in self.emails]
        found += [name for name in self.names if name in text]
        found += [school for school in self.schools if len(school) > 12 and school in text]
        found += [quote[:40] for quote in self.quotes if quote[:60] in text]
        if self.renamed_label in text:
            found.append(self.renamed_label)
        return found


def _get(client, name, *args, status=200):
    response = client.get(reverse(name, args=args))
    assert response.status_code == status, (name, response.status_code)
    return response


def _body(response) -> str:
    return response_bytes(response).decode("utf-8", errors="replace")


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


# ------------------------------------------------------------------------------ the acceptance walk

def test_limoges_pilot_runs_the_year_and_sees_nothing_of_poitiers(world):
    campaign, pilot = world["campaign"], world["pilot"]
    poitiers_campaign = world["poitiers_campaign"]
    # Poitiers' team has renamed one of its themes and marked quotes (the demo's) before Limoges starts.
    poitiers_page = reverse("commentary:action", args=[POITIERS_SLUG, QUESTION])
    world["poitiers_pilot"].post(poitiers_page, {"action": "rename", "theme": "rgpd",
                                                 "label": "Registre RGPD de Poitou-Charentes"})
    poitiers_themes = {(t.code, t.label, t.merged_into) for t in commentary.theme_records(poitiers_campaign)}
    poitiers_quotes = list(PublishedQuote.objects.filter(response__campaign=poitiers_campaign)
                           .values_list("pk", "theme_code", "text"))
    poitiers_report = build_campaign_report(poitiers_campaign).to_dict()
    poitiers_report.pop("generated_on", None)
    poitiers = Poitiers("Registre RGPD de Poitou-Charentes")
    # The checks can fail: Poitiers' own pages show its renamed theme and its quotes.
    own = html.unescape(_body(_get(world["poitiers_pilot"], "commentary:question", POITIERS_SLUG, QUESTION))
                        + _body(_get(world["poitiers_pilot"], "reports:detail", POITIERS_SLUG)))
    assert poitiers.renamed_label in poitiers.crossings(own)
    assert any(quote[:40] in poitiers.crossings(own) for quote in poitiers.quotes)
    pages: dict[str, str] = {}

    # Invite: the plan, the page, the command — six people, all of Limoges.
    assert invitation_plan(campaign).to_queue == len(ROSTER)
    pages["invitations"] = _body(_get(pilot, "outreach:invitations", SLUG))
    response = pilot.post(reverse("outreach:invitations", args=[SLUG]), {"action": "invite",
                                                                         "expected": str(len(ROSTER))})
    assert response.status_code == 302
    call_command("invite", SLUG, stdout=io.StringIO())
    assert campaign.invitations.count() == len(ROSTER)
    assert set(campaign.invitations.values_list("school__departement__academie__code", flat=True)) == {"limoges"}
    assert {m.recipient for m in campaign.outgoing_mails.all()} <= set(
        Referent.objects.filter(invitations__campaign=campaign).values_list("email", flat=True))
    _answer(campaign)

    # Reminders, participation, the « sans réponse » list.
    assert count_manual_reminders(campaign) <= 2
    assert {i.referent.last_name for i in nonrespondents(campaign)} == {"Bonnaud", "Chabrol"}
    pages["reminders"] = _body(_get(pilot, "outreach:reminders", SLUG))
    pages["board"] = _body(_get(pilot, "outreach:board", SLUG))
    pages["sans-reponse.csv"] = _body(_get(pilot, "outreach:export", SLUG, "csv"))
    assert "Bonnaud" in pages["sans-reponse.csv"] and "Chabrol" in pages["sans-reponse.csv"]
    pages["sans-reponse.xlsx"] = _xlsx_text(_get(pilot, "outreach:export", SLUG, "xlsx").content)

    # Results and their exports.
    pages["results"] = _body(_get(pilot, "results:overview", SLUG))
    section = campaign.questionnaire.schema.sections[0].code
    pages["results-section"] = _body(_get(pilot, "results:section", SLUG, section))
    pages["results.csv"] = _body(_get(pilot, "results:export", SLUG, "csv"))

    # Comments: rename a theme, merge two, mark a quote, dismiss a suggestion.
    action = reverse("commentary:action", args=[SLUG, QUESTION])
    assert pilot.post(action, {"action": "rename", "theme": "ia", "label": LIMOGES_LABEL}).status_code == 302
    assert pilot.post(action, {"action": "merge", "theme": "calendrier-pix",
                               "target": "evolutions-ent"}).status_code == 302
    limoges_response = Response.objects.filter(campaign=campaign).order_by("pk").first()
    assert pilot.post(action, {"action": "mark", "response": limoges_response.pk, "theme": "ia"}).status_code == 302
    commentary.dismiss_suggestion(campaign, QUESTION, "ENT et espaces de classe")
    pages["comments"] = _body(_get(pilot, "commentary:index", SLUG))
    pages["comments-question"] = _body(_get(pilot, "commentary:question", SLUG, QUESTION))
    assert LIMOGES_LABEL in pages["comments-question"]

    # The report: edit a paragraph, publish, download.
    document = build_campaign_report(campaign)
    key = next(b.key for s in document.sections for b in s.blocks if b.kind == "paragraph")
    assert pilot.post(reverse("reports:edit", args=[SLUG, key]),
                      {"text": "Paragraphe réécrit par l'équipe de Limoges."}).status_code == 302
    assert pilot.post(reverse("reports:publish", args=[SLUG]), {"confirm": "on"}).status_code == 302
    pages["report"] = _body(_get(pilot, "reports:detail", SLUG))
    pages["report.md"] = _body(_get(pilot, "reports:download", SLUG, "md"))
    pages["report-version"] = _body(_get(pilot, "reports:version", SLUG, 1))

    # The action plan: its theme choices are Limoges' themes.
    pages["action-new"] = _body(_get(pilot, "reports:action_new", SLUG))
    assert LIMOGES_LABEL in pages["action-new"]
    assert pilot.post(reverse("reports:action_new", args=[SLUG]), {
        "title": "Formation limousine aux usages numériques", "status": "planned", "themes": ["ia"]}).status_code == 302
    pages["actions"] = _body(_get(pilot, "reports:actions", SLUG))
    assert "Formation limousine aux usages numériques" in pages["actions"]

    # Answers export and the API.
    pages["answers.csv"] = _body(_get(pilot, "answers:export", SLUG, "csv"))
    pages["answers.xlsx"] = _xlsx_text(response_bytes(_get(pilot, "answers:export", SLUG, "xlsx")))
    api_results = json.loads(_get(pilot, "api:results", SLUG).content)
    api_participation = json.loads(_get(pilot, "api:participation", SLUG).content)
    pages["api-results"] = json.dumps(api_results, ensure_ascii=False)
    pages["api-participation"] = json.dumps(api_participation, ensure_ascii=False)
    pages["api-campaigns"] = _body(_get(pilot, "api:campaigns"))
    assert api_results["respondents"] == 4
    assert api_participation["invited"] == len(ROSTER) and api_participation["submitted"] == 4
    assert api_participation["previous_campaign"] is None

    crossings = {page: found for page, text in pages.items() if (found := poitiers.crossings(text))}
    assert crossings == {}

    # Poitiers is as it was: its themes, its quotes, its report (no Limoges label, edit or version).
    assert {(t.code, t.label, t.merged_into) for t in commentary.theme_records(poitiers_campaign)} == poitiers_themes
    assert list(PublishedQuote.objects.filter(response__campaign=poitiers_campaign)
                .values_list("pk", "theme_code", "text")) == poitiers_quotes
    after = build_campaign_report(poitiers_campaign).to_dict()
    after.pop("generated_on", None)
    assert after == poitiers_report
    assert not ReportEdit.objects.filter(campaign=poitiers_campaign).exists()
    assert not ReportVersion.objects.filter(campaign=poitiers_campaign).exists()
    assert not Action.objects.filter(campaign=poitiers_campaign, title__contains="limousine").exists()


def test_poitiers_pages_show_nothing_of_limoges(world):
    campaign, pilot, poitiers_pilot = world["campaign"], world["pilot"], world["poitiers_pilot"]
    call_command("invite", SLUG, stdout=io.StringIO())
    _answer(campaign)
    action = reverse("commentary:action", args=[SLUG, QUESTION])
    pilot.post(action, {"action": "rename", "theme": "ia", "label": LIMOGES_LABEL})
    pilot.post(action, {"action": "create", "label": "Réseau des collèges ruraux", "keywords": "ruraux"})
    limoges_response = Response.objects.filter(campaign=campaign).order_by("pk").first()
    pilot.post(action, {"action": "mark", "response": limoges_response.pk, "theme": "ia"})
    limoges_words = [LIMOGES_LABEL, "Réseau des collèges ruraux", "Limousin", "ac-limoges", "Vergnaud",
                     "Collège Turgot", make_uai(870101)]
    pages = {
        "comments": _body(_get(poitiers_pilot, "commentary:question", POITIERS_SLUG, QUESTION)),
        "report": _body(_get(poitiers_pilot, "reports:detail", POITIERS_SLUG)),
        "action-new": _body(_get(poitiers_pilot, "reports:action_new", POITIERS_SLUG)),
        "board": _body(_get(poitiers_pilot, "outreach:board", "2025-2026")),
        "sans-reponse.csv": _body(_get(poitiers_pilot, "outreach:export", "2025-2026", "csv")),
        "answers.csv": _body(_get(poitiers_pilot, "answers:export", POITIERS_SLUG, "csv")),
    }
    crossings = {page: [w for w in limoges_words if w in text] for page, text in pages.items()}
    assert crossings == {page: [] for page in pages}
    assert "Comment utiliser l" in pages["comments"]  # Poitiers' own label of the « ia » theme
    # And the other way round for the outsider: each académie's pages are 404 to the other's pilot.
    assert pilot.get(reverse("commentary:index", args=[POITIERS_SLUG])).status_code == 404
    assert poitiers_pilot.get(reverse("commentary:index", args=[SLUG])).status_code == 404


# ------------------------------------------------------------------------------ each crossing, alone

def test_renaming_a_theme_in_limoges_leaves_poitiers_label(world):
    action = reverse("commentary:action", args=[SLUG, QUESTION])
    assert world["pilot"].post(action, {"action": "rename", "theme": "ia", "label": LIMOGES_LABEL}).status_code == 302
    assert LIMOGES_LABEL in _body(_get(world["pilot"], "commentary:question", SLUG, QUESTION))
    poitiers_page = _body(_get(world["poitiers_pilot"], "commentary:question", POITIERS_SLUG, QUESTION))
    assert LIMOGES_LABEL not in poitiers_page and "Comment utiliser l" in poitiers_page
    digest = commentary.comment_digest(world["poitiers_campaign"])[QUESTION]
    assert LIMOGES_LABEL not in {theme.label for theme in digest.themes}


def test_a_theme_created_in_limoges_is_not_offered_in_poitiers(world):
    label = "Réseau des collèges ruraux"
    world["pilot"].post(reverse("commentary:action", args=[SLUG, QUESTION]),
                        {"action": "create", "label": label, "keywords": "ruraux"})
    assert label in _body(_get(world["pilot"], "commentary:question", SLUG, QUESTION))
    assert label not in _body(_get(world["poitiers_pilot"], "commentary:question", POITIERS_SLUG, QUESTION))
    assert label not in _body(_get(world["poitiers_pilot"], "reports:action_new", POITIERS_SLUG))
    # Poitiers may then create its own theme of the same name: the same code, in its own codebook.
    world["poitiers_pilot"].post(reverse("commentary:action", args=[POITIERS_SLUG, QUESTION]),
                                 {"action": "create", "label": label, "keywords": "ruraux"})
    assert ThemeRecord.objects.filter(code="reseau-des-colleges-ruraux").count() == 2


def test_merging_themes_in_limoges_moves_no_poitiers_quote(world):
    poitiers_campaign = world["poitiers_campaign"]
    row = next(r for r in commentary.question_comments(poitiers_campaign, QUESTION) if "calendrier-pix" in r.themes)
    commentary.mark_quote(poitiers_campaign, row.response_id, QUESTION, "calendrier-pix")
    world["pilot"].post(reverse("commentary:action", args=[SLUG, QUESTION]),
                        {"action": "merge", "theme": "calendrier-pix", "target": "evolutions-ent"})
    assert PublishedQuote.objects.get(response_id=row.response_id, question_code=QUESTION).theme_code == \
        "calendrier-pix"
    assert set(ThemeRecord.objects.filter(code="calendrier-pix").values_list("merged_into", flat=True)) == \
        {"", "evolutions-ent"}


def test_a_suggestion_dismissed_in_limoges_is_still_offered_in_poitiers(world):
    commentary.dismiss_suggestion(world["campaign"], QUESTION, "Formation à l'IA")
    assert commentary.dismissed_labels(world["campaign"], QUESTION) == {"Formation à l'IA"}
    assert commentary.dismissed_labels(world["poitiers_campaign"], QUESTION) == set()


def test_invite_command_and_page_invite_limoges_roster_only(world):
    campaign = world["campaign"]
    plan = invitation_plan(campaign)
    assert plan.to_queue == len(ROSTER)
    page = _body(_get(world["pilot"], "outreach:invitations", SLUG))
    assert "ac-poitiers" not in page
    call_command("invite", SLUG, stdout=io.StringIO())
    assert campaign.invitations.count() == len(ROSTER)
    assert not campaign.invitations.exclude(referent__email__endswith="@ac-limoges.fr").exists()


def test_existing_versions_are_kept(world):
    # The builtin questionnaire version is shared by both académies' campaigns (it is not a crossing:
    # a version never changes once answered); each keeps its own themes.
    assert QuestionnaireVersion.objects.filter(code="bilan-rupn").count() == 1
