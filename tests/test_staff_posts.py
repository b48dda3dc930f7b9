"""Every POST of a staff page goes through a Django form: a malformed value is refused with a
French message next to its field, nothing is saved, and the answer is never a 500.

``ENDPOINTS`` lists each staff URL that accepts POST with the malformed posts sent to it
(missing field, non-integer id, id of another campaign or question, unknown action or
choice, over-long text). ``test_the_table_covers_every_staff_url_that_accepts_post`` walks
the URL resolver and posts an empty body as the pilot to every pattern: none may answer
500, and each one that accepts the POST must be in the table — so a new POST view without
its cases here fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from lxml import html as lxml_html

from bilan.api.models import ApiToken
from bilan.commentary.models import DismissedSuggestion, PublishedQuote, ThemeDecision, ThemeRecord
from bilan.core.models import Membership
from bilan.outreach.models import MailTemplate, OutgoingMail, ReminderPolicy
from bilan.reports.models import Action, ReportAddition, ReportEdit, ReportSectionSetting, ReportVersion
from bilan.roster.models import Mandate, Referent, RosterUpload, School
from bilan.surveys.models import Campaign, Invitation, QuestionnaireVersion, Response

pytestmark = pytest.mark.django_db

SLUG = "2023-2024"
QUESTION = "INFO_MISSING"
NBSP = "\u00a0"

# Patterns that are not staff pages, and where their POSTs are tested.
NOT_STAFF = {
    "admin": "Django's admin site, with its own forms",
    "respondent": "the respondent's form (tests/surveys)",
    "core:login": "authentication: Django's AuthenticationForm",
    "core:logout": "authentication: no input but the CSRF token",
    "core:login_code": "the TOTP code form: tests/accounts/test_login_security.py",
    "core:two_factor": "enrolling or removing a TOTP device: tests/accounts/test_login_security.py",
    "accounts:set_password": "Django's SetPasswordForm: tests/accounts/test_team.py",
    "accounts:password_reset": "Django's PasswordResetForm: tests/accounts/test_passwords.py",
    "accounts:password_reset_done": "no form",
    "accounts:password_reset_confirm": "Django's SetPasswordForm: tests/accounts/test_passwords.py",
    "accounts:password_reset_complete": "no form",
}


@dataclass
class Ctx:
    """Ids and codes of the demo académie the malformed posts refer to."""

    in_theme: int            # a comment of QUESTION placed in the theme « ia »
    other_campaign: int      # a response of another campaign with a comment on QUESTION
    other_question_theme: str  # a live theme that does not apply to QUESTION
    block_key: str           # a paragraph of the report
    action_id: int           # an action of the campaign's plan
    referent: int = 0        # a referent of the demo académie's roster, with a mandate in 2025-2026
    school_mandate: int = 0  # that referent's first mandate of 2025-2026
    uai: str = ""            # that mandate's school


@pytest.fixture(scope="module")
def ctx(demo_db, django_db_blocker):
    from bilan.commentary.services import automatic_pass, comments_of, theme_records
    from bilan.reports.services import build_campaign_report

    with django_db_blocker.unblock():
        campaign = Campaign.objects.select_related("questionnaire", "academie").get(slug=SLUG)
        assignments = automatic_pass(campaign)[QUESTION]["assignments"]
        other = Campaign.objects.get(slug="2022-2023")
        applying = {t.code for t in theme_records(campaign, QUESTION)}
        document = build_campaign_report(campaign)
        return Ctx(
            in_theme=next(rid for rid, code, *_ in assignments if code == "ia"),
            other_campaign=comments_of(other, QUESTION)[0].id,
            other_question_theme=next(t.code for t in theme_records(campaign)
                                      if t.code not in applying),
            block_key=next(b.key for s in document.sections for b in s.blocks if b.kind == "paragraph"),
            action_id=Action.objects.filter(campaign=campaign).first().pk,
            **_roster_ctx(),
        )


def _roster_ctx() -> dict[str, Any]:
    mandate = (Mandate.objects.filter(school_year="2025-2026", school__departement__academie__code="poitiers")
               .select_related("school").order_by("id").first())
    return {"referent": mandate.referent_id, "school_mandate": mandate.pk, "uai": mandate.school.uai}


def url_kwargs(ctx: Ctx) -> dict[str, Any]:
    """A value for each URL argument of the staff patterns (valid for the POST endpoints)."""
    return {"slug": SLUG, "question": QUESTION, "key": ctx.block_key, "kind": "invitation", "fmt": "csv",
            "number": 1, "section": "info", "academie": "poitiers", "action_id": ctx.action_id,
            "referent": ctx.referent, "uai": ctx.uai,
            "job": "00000000-0000-4000-8000-000000000000"}  # the job pages are read-only (GET)


# ----------------------------------------------------------------------------- the table

@dataclass
class Case:
    label: str
    data: Callable[[Ctx], dict] | dict
    message: str                 # the French error the page shows
    near: str | None = None      # id of the field (or group) the message sits by; None: a hidden value,
                                 # so the message is in the summary above the page
    setup: Callable[[Client], None] | None = None
    files: dict = field(default_factory=dict)

    def post_data(self, ctx):
        data = self.data(ctx) if callable(self.data) else dict(self.data)
        files = {name: SimpleUploadedFile(*args) for name, args in self.files.items()}
        return {**data, **files}


def _upload_answers(client: Client) -> None:
    """Put a small answer file in the session: the confirmation step's posts refer to its columns."""
    page = client.post(reverse("answers:import", args=[SLUG]), {
        "step": "upload", "format": "",
        "fichier": SimpleUploadedFile("r.csv", f"id;submitdate;{QUESTION}\n1;2024-06-01;Rien\n".encode())})
    assert page.status_code == 200 and 'name="col-2"' in page.content.decode()


LONG = "x" * 201
NEW_CAMPAIGN = {"source": SLUG, "title": "Bilan 2026/2027", "school_year": "2026-2027", "slug": "2026-2027",
                "opens_at": "2027-05-03T09:00", "closes_at": "2027-06-30T23:00", "questionnaire": "source",
                "anonymity": "source"}
CAMPAIGN_SETTINGS = {"title": "Bilan des RUPN 2023/2024", "opens_at": "2024-05-06T09:00",
                     "closes_at": "2024-06-30T23:00"}
# A real 1×1 PNG: the report's image check reads the content (Pillow), not the first bytes.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00"
       b"\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")
POLICY = {"action": "policy", "enabled": "on", "days_after_opening": "7", "days_before_closing": "2",
          "max_reminders": "3", "min_gap_days": "3", "target_rate": "50"}
TEMPLATE = {"subject": "Votre bilan", "text_body": "Voici : {{ lien }}", "html_body": "<p>{{ lien }}</p>"}

ENDPOINTS: dict[str, list[Case]] = {
    "commentary:action": [
        Case("no action", {}, "Le formulaire ne dit pas quelle action faire."),
        Case("unknown action", {"action": "exploser"}, f"Action «{NBSP}exploser{NBSP}» inconnue."),
        Case("missing comment", {"action": "include", "theme": "ia"}, "Le commentaire visé manque au formulaire."),
        Case("non-integer comment", {"action": "mark", "response": "douze", "theme": "ia"},
             "Le commentaire visé doit être un numéro de réponse (nombre entier)."),
        Case("comment of another campaign", lambda c: {"action": "mark", "response": c.other_campaign, "theme": "ia"},
             "Pas de commentaire à cette question dans cette campagne pour la réponse n°"),
        Case("theme of another question",
             lambda c: {"action": "exclude", "response": c.in_theme, "theme": c.other_question_theme},
             "n'existe pas pour cette question"),
        Case("move to the same theme", lambda c: {"action": "move", "response": c.in_theme, "theme": "ia",
                                                  "target": "ia"},
             "Choisissez un thème différent du thème de départ.", near="move-ia-{in_theme}"),
        Case("rename: over-long label", {"action": "rename", "theme": "ia", "label": LONG},
             "Assurez-vous que cette valeur comporte au plus 200 caractères", near="rename-label"),
        Case("rename: unknown theme", {"action": "rename", "theme": "nope", "label": "Nouveau"},
             f"Le thème «{NBSP}nope{NBSP}» n'existe pas pour cette question", near="rename-theme"),
        Case("merge into itself", {"action": "merge", "theme": "ia", "target": "ia"},
             "On ne peut pas fusionner un thème avec lui-même.", near="merge-target"),
        Case("create: no label", {"action": "create", "label": "  ", "keywords": "tablette"},
             "Saisissez un libellé.", near="create-label"),
        Case("create: empty keyword", {"action": "create", "label": "Tablettes", "keywords": "tablette, les"},
             f"Le mot-clé «{NBSP}les{NBSP}» est vide", near="create-keywords"),
        Case("split: no comment ticked", {"action": "split", "theme": "ia", "label": "Nouveau thème"},
             "Cochez au moins un commentaire à mettre dans le nouveau thème.", near="scinder-ia"),
        Case("split: non-integer comment", {"action": "split", "theme": "ia", "label": "Nouveau", "responses": "x"},
             f"«{NBSP}x{NBSP}» n'est pas un numéro de commentaire", near="scinder-ia"),
        Case("accept: comment of another campaign",
             lambda c: {"action": "accept", "label": "Suggestion", "members": [c.other_campaign]},
             "Pas de commentaire à cette question dans cette campagne"),
        Case("divide a suggestion: comment of another campaign",
             lambda c: {"action": "split_suggestion", "label": "Un", "other_label": "Deux",
                        "members": [c.other_campaign], "everyone": [c.other_campaign]},
             "Pas de commentaire à cette question dans cette campagne"),
        Case("divide a suggestion: no suggestion", {"action": "split_suggestion", "label": "Un", "other_label": "Deux"},
             "La suggestion à diviser manque au formulaire."),
        Case("dismiss: no label", {"action": "dismiss"}, "La suggestion à écarter manque au formulaire."),
        Case("dismiss: over-long label", {"action": "dismiss", "label": LONG},
             "Assurez-vous que cette valeur comporte au plus 200 caractères"),
    ],
    "commentary:review_confirm": [
        Case("no comment", {"themes": ["ia"]}, "Le commentaire visé manque au formulaire."),
        Case("non-integer comment", {"response": "douze"},
             "Le commentaire visé doit être un numéro de réponse (nombre entier)."),
        Case("comment of another campaign", lambda c: {"response": c.other_campaign},
             "Pas de commentaire à cette question dans cette campagne pour la réponse n°"),
        Case("theme of another question", lambda c: {"response": c.in_theme, "themes": [c.other_question_theme]},
             "n'existe pas pour cette question"),
    ],
    "reports:edit": [
        Case("empty text", {"text": "  "}, "Le texte du paragraphe ne peut pas être vide.", near="text"),
        Case("over-long text", {"text": "x" * 10_001}, "Assurez-vous que cette valeur comporte au plus", near="text"),
    ],
    "reports:layout": [
        Case("non-integer position", {"position-info": "deux"},
             f"Position «{NBSP}deux{NBSP}» invalide pour la section «{NBSP}info{NBSP}»", near="position-info"),
        Case("position out of range", {"position-info": "1000"}, "99 au plus.", near="position-info"),
    ],
    "reports:add": [
        Case("no section", {"text": "Merci."}, "Choisissez la section où ajouter le texte ou l'image.",
             near="add-section"),
        Case("section of no report", {"section": "nulle-part", "text": "Merci."},
             f"la section «{NBSP}nulle-part{NBSP}» n'existe pas", near="add-section"),
        Case("nothing to add", {"section": "info"}, "Saisissez un texte ou choisissez une image.", near="add-text"),
        Case("over-long text", {"section": "info", "text": "x" * 10_001},
             "Assurez-vous que cette valeur comporte au plus", near="add-text"),
        Case("not an image", {"section": "info", "alt": "Un graphique"},
             "Ce fichier n'est pas une image PNG, JPEG ou GIF lisible",
             near="add-image", files={"image": ("photo.png", b"pas une image", "image/png")}),
        Case("a PNG's first bytes only", {"section": "info", "alt": "Un graphique"},
             "Ce fichier n'est pas une image PNG, JPEG ou GIF lisible",
             near="add-image", files={"image": ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")}),
        Case("image without its description", {"section": "info"},
             "Décrivez l'image (texte alternatif)", near="add-alt",
             files={"image": ("graphique.png", PNG, "image/png")}),
        Case("over-long description", {"section": "info", "alt": "x" * 301},
             "Assurez-vous que cette valeur comporte au plus 300 caractères", near="add-alt",
             files={"image": ("graphique.png", PNG, "image/png")}),
    ],
    "reports:action_new": [
        Case("no title", {"status": "planned"}, "Saisissez l'intitulé de l'action.", near="action-title"),
        Case("impossible date", {"title": "Former", "status": "planned", "due_date": "31/02/2026"},
             f"Date d'échéance «{NBSP}31/02/2026{NBSP}» invalide", near="action-due_date"),
        Case("forged question code", {"title": "Former", "status": "planned", "finding-0": "NOPE|no"},
             f"La réponse «{NBSP}NOPE|no{NBSP}» n'existe pas dans le questionnaire", near="action-finding-0"),
    ],
    "reports:action_edit": [
        Case("no title", {"status": "planned"}, "Saisissez l'intitulé de l'action.", near="action-title"),
        Case("forged state", {"title": "Former", "status": "fini"}, f"État «{NBSP}fini{NBSP}» inconnu.",
             near="action-status"),
    ],
    "reports:action_move": [
        Case("no direction", {}, "Le formulaire ne dit pas dans quel sens déplacer l'action."),
        Case("unknown direction", {"direction": "gauche"}, f"Sens «{NBSP}gauche{NBSP}» inconnu"),
    ],
    "reports:action_state": [
        Case("no state", {}, "Le formulaire ne dit pas quel état donner à l'action."),
        Case("unknown state", {"status": "fini"}, f"État «{NBSP}fini{NBSP}» inconnu."),
    ],
    "reports:publish": [
        Case("no confirmation", {}, f"Cochez «{NBSP}Je confirme{NBSP}» pour publier cette version.", near="confirm"),
    ],
    "outreach:template": [
        Case("missing subject", {**TEMPLATE, "subject": "", "enregistrer": "1"}, "Ce champ est obligatoire.",
             near="id_subject"),
        Case("over-long subject", {**TEMPLATE, "subject": LONG, "enregistrer": "1"},
             "Assurez-vous que cette valeur comporte au plus 200 caractères", near="id_subject"),
        Case("over-long body", {**TEMPLATE, "text_body": "{{ lien }}" + "x" * 50_000, "enregistrer": "1"},
             "Assurez-vous que cette valeur comporte au plus", near="id_text_body"),
    ],
    "outreach:invitations": [
        Case("no action", {}, "Le formulaire ne dit pas quelle action faire."),
        Case("unknown action", {"action": "tout-envoyer"}, f"Action «{NBSP}tout-envoyer{NBSP}» inconnue."),
        Case("invite: missing count", {"action": "invite"}, "Le nombre d'invitations annoncé manque au formulaire."),
        Case("invite: non-integer count", {"action": "invite", "expected": "douze"},
             "Le nombre d'invitations annoncé doit être un nombre entier."),
        Case("invite: closed campaign", {"action": "invite", "expected": "3"},
             f"La campagne est «{NBSP}Close{NBSP}»{NBSP}: les invitations ne se mettent en file que"),
        Case("remind: missing count", {"action": "remind"}, "Le nombre de relances annoncé manque au formulaire."),
    ],
    "outreach:reminders": [
        Case("no action", {}, "Le formulaire ne dit pas quelle action faire."),
        Case("unknown action", {"action": "tout-envoyer"}, f"Action «{NBSP}tout-envoyer{NBSP}» inconnue."),
        Case("send: non-integer count", {"action": "send", "expected": "douze"},
             "Le nombre de relances annoncé doit être un nombre entier."),
        Case("send: missing count", {"action": "send"}, "Le nombre de relances annoncé manque au formulaire."),
        Case("policy: non-integer", {**POLICY, "max_reminders": "trois"}, "Saisissez un nombre entier.",
             near="id_max_reminders"),
        Case("policy: rate out of range", {**POLICY, "target_rate": "150"}, "inférieure ou égale à 100",
             near="id_target_rate"),
    ],
    "roster:upload": [
        Case("no file", {"school_year": "2026-2027"}, "Choisissez un fichier de référentiel.", near="fichier"),
        Case("not a spreadsheet", {"school_year": "2026-2027"},
             f"Extension «{NBSP}.xls{NBSP}» non prise en charge", near="fichier",
             files={"fichier": ("referents.xls", b"x", "application/vnd.ms-excel")}),
        Case("school years not following", {"school_year": "2026-2028"},
             f"Année scolaire «{NBSP}2026-2028{NBSP}» invalide", near="school_year",
             files={"fichier": ("referents.csv", b"UAI;Nom\n", "text/csv")}),
    ],
    "roster:confirm": [
        Case("no upload", {}, "Le formulaire ne dit pas quel fichier importer."),
        Case("non-integer upload", {"upload": "douze"},
             "Le fichier à importer doit être désigné par un numéro (nombre entier)."),
        Case("upload of no one", {"upload": "999999"}, "Ce fichier n'est pas en attente d'import pour vous"),
    ],
    "roster:referent": [
        Case("bad address", lambda c: {"first_name": "A", "last_name": "B", "email": "pas-une-adresse",
                                       f"school-{c.school_mandate}": c.uai},
             f"Adresse de courriel «{NBSP}pas-une-adresse{NBSP}» invalide.", near="email"),
        Case("school of another académie", lambda c: {"first_name": "A", "last_name": "B", "email": "a@b.fr",
                                                      f"school-{c.school_mandate}": c.uai, "add_school": "0870001A"},
             f"Établissement «{NBSP}0870001A{NBSP}» inconnu dans l'académie.", near="add_school"),
        Case("no last name", lambda c: {"first_name": "A", "email": "a@b.fr", f"school-{c.school_mandate}": c.uai},
             "Ce champ est obligatoire.", near="last_name"),
    ],
    "retention:erase": [
        Case("no confirmation", {}, f"Cochez «{NBSP}Je confirme{NBSP}» pour effacer les données de cette personne.",
             near="confirm"),
    ],
    "roster:school": [
        Case("no name", {"name": " ", "type": "college", "departement": "86"}, "Ce champ est obligatoire.",
             near="name"),
        Case("département of another académie", {"name": "X", "type": "college", "departement": "87"},
             f"Département «{NBSP}87{NBSP}» hors de l'académie.", near="departement"),
        Case("unknown type", {"name": "X", "type": "usine", "departement": "86"}, f"Type «{NBSP}usine{NBSP}» inconnu.",
             near="type"),
    ],
    "answers:import": [
        Case("no step", {}, "Le formulaire ne dit pas quelle étape de l'import faire."),
        Case("unknown step", {"step": "tout"}, f"Étape «{NBSP}tout{NBSP}» inconnue."),
        Case("upload: no file", {"step": "upload", "format": ""}, "Choisissez un fichier de réponses.", near="fichier"),
        Case("upload: unknown format", {"step": "upload", "format": "pdf"}, f"Format «{NBSP}pdf{NBSP}» inconnu.",
             near="format", files={"fichier": ("r.csv", b"id;submitdate;X\n1;2024-06-01;a\n", "text/csv")}),
        Case("confirm: question of another questionnaire", {"step": "confirm", "col-2": "NOPE"},
             f"La question «{NBSP}NOPE{NBSP}» n'existe pas dans le questionnaire.", near="col-2",
             setup=_upload_answers),
        Case("confirm: option the question does not have", {"step": "confirm", "col-2": f"{QUESTION}/nope"},
             f"La question {QUESTION} n'a pas d'option ou de ligne «{NBSP}nope{NBSP}».", near="col-2",
             setup=_upload_answers),
        Case("confirm: over-long target", {"step": "confirm", "col-2": LONG},
             "Assurez-vous que cette valeur comporte au plus 200 caractères", near="col-2", setup=_upload_answers),
        Case("confirm: column missing", {"step": "confirm"}, f"Cette colonne manque au formulaire{NBSP}: rechargez",
             near="col-2", setup=_upload_answers),
    ],
    # The demo campaign has answers: its questionnaire is frozen and every change is refused
    # (the pages' own errors on a campaign without answers: tests/surveys/test_questionnaire_pages.py).
    "questionnaires:upload": [
        Case("frozen: no file", {}, "ne peut donc plus être modifié ni remplacé"),
        Case("frozen: a file", {}, "ne peut donc plus être modifié ni remplacé",
             files={"fichier": ("q.yaml", b"code: x", "application/yaml")}),
    ],
    "questionnaires:edit": [
        Case("frozen: add a section", {"action": "add_section", "title": "Nouvelle"},
             "ne peut donc plus être modifié ni remplacé"),
    ],
    "questionnaires:edit_question": [
        Case("frozen: new wording", {"text": "Autre intitulé", "type": "longtext"},
             "ne peut donc plus être modifié ni remplacé"),
    ],
    "dashboard:campaign_new": [
        Case("no school year", {**NEW_CAMPAIGN, "school_year": ""}, "Indiquez l'année scolaire, par exemple 2026-2027.",
             near="id_school_year"),
        Case("school year of two years apart", {**NEW_CAMPAIGN, "school_year": "2026-2028"},
             f"Une année scolaire va d'une année à la suivante{NBSP}: 2026-2027", near="id_school_year"),
        Case("slug taken", {**NEW_CAMPAIGN, "slug": SLUG},
             f"L'identifiant court «{NBSP}{SLUG}{NBSP}» est déjà celui d'une autre campagne", near="id_slug"),
        Case("closing at the opening minute", {**NEW_CAMPAIGN, "closes_at": NEW_CAMPAIGN["opens_at"]},
             "doit venir après l'ouverture", near="id_closes_at"),
        Case("not a date", {**NEW_CAMPAIGN, "opens_at": "demain"}, "Saisissez une date et une heure valides",
             near="id_opens_at"),
        Case("source of no campaign of the académie", {**NEW_CAMPAIGN, "source": "limoges-2024"},
             f"La campagne «{NBSP}limoges-2024{NBSP}» n'est pas une campagne de cette académie.", near="id_source"),
        Case("unknown questionnaire", {**NEW_CAMPAIGN, "questionnaire": "999999"},
             f"Questionnaire «{NBSP}999999{NBSP}» inconnu.", near="id_questionnaire"),
        Case("over-long title", {**NEW_CAMPAIGN, "title": LONG}, "au plus 200 caractères", near="id_title"),
    ],
    "dashboard:campaign_edit": [
        Case("no title", {**CAMPAIGN_SETTINGS, "title": " "}, "Donnez un titre à la campagne.", near="id_title"),
        Case("closing before opening", {**CAMPAIGN_SETTINGS, "closes_at": "2024-04-01T09:00"},
             "doit venir après l'ouverture", near="id_closes_at"),
        Case("anonymity changed after answers", {**CAMPAIGN_SETTINGS, "anonymous": "on"},
             "elle ne peut plus changer de mode", near="id_anonymous"),
    ],
    "dashboard:campaign_state": [
        Case("no action", {}, "Le formulaire ne dit pas quel changement d'état faire."),
        Case("unknown action", {"action": "exploser"}, f"Action «{NBSP}exploser{NBSP}» inconnue."),
        Case("open a closed campaign", {"action": "open"},
             f"Impossible d'ouvrir la campagne{NBSP}: seule une campagne en préparation s'ouvre"),
        Case("extend a closed campaign", {"action": "extend", "closes_at": "demain"},
             "Impossible de prolonger la campagne"),
    ],
    "accounts:team": [
        Case("no action", {}, "Le formulaire ne dit pas quelle action faire."),
        Case("unknown action", {"action": "promouvoir"}, f"Action «{NBSP}promouvoir{NBSP}» inconnue."),
        Case("invite: no address", {"action": "invite", "role": "reader"},
             "Saisissez l'adresse électronique de la personne à inviter.", near="invite-email"),
        Case("invite: not an address", {"action": "invite", "email": "camille", "role": "reader"},
             "Saisissez une adresse électronique valide", near="invite-email"),
        Case("invite: over-long address", {"action": "invite", "email": "x" * 150 + "@ac.fr", "role": "reader"},
             "Assurez-vous que cette valeur comporte au plus 150 caractères", near="invite-email"),
        Case("invite: unknown role", {"action": "invite", "email": "camille@ac-poitiers.fr", "role": "admin"},
             f"Rôle «{NBSP}admin{NBSP}» inconnu"),
        Case("role: no person", {"action": "role", "role": "pilot"},
             "Le formulaire ne dit pas de quelle personne il s'agit."),
        Case("role: non-integer person", {"action": "role", "member": "moi", "role": "pilot"},
             "La personne visée doit être désignée par un numéro (nombre entier)."),
        Case("role: unknown role", lambda c: {"action": "role", "member": _poitiers_member(), "role": "chef"},
             f"Rôle «{NBSP}chef{NBSP}» inconnu"),
        Case("remove: person of no team here", {"action": "remove", "member": "999999"},
             f"Personne n°{NBSP}999999 introuvable dans l'équipe de cette académie."),
        Case("reset_2fa: person of no team here", {"action": "reset_2fa", "member": "999999"},
             f"Personne n°{NBSP}999999 introuvable dans l'équipe de cette académie."),
        Case("reset_2fa: no second factor", lambda c: {"action": "reset_2fa", "member": _poitiers_member()},
             "n'a pas de double authentification à réinitialiser."),
    ],
    "api_tokens:list": [
        Case("no action", {}, "Le formulaire ne dit pas quelle action faire."),
        Case("unknown action", {"action": "détruire"}, f"Action «{NBSP}détruire{NBSP}» inconnue."),
        Case("create: no label", {"action": "create", "label": "  "}, "Saisissez un libellé", near="create-label"),
        Case("create: over-long label", {"action": "create", "label": "x" * 101},
             "Assurez-vous que cette valeur comporte au plus 100 caractères", near="create-label"),
        Case("revoke: no token", {"action": "revoke"}, "Le formulaire ne dit pas quel jeton révoquer."),
        Case("revoke: non-integer token", {"action": "revoke", "token": "douze"},
             "Le jeton à révoquer doit être désigné par son numéro (nombre entier)."),
    ],
}


def _poitiers_member() -> int:
    return Membership.objects.filter(academie__code="poitiers").order_by("pk").first().pk


# Endpoints for which an empty body is a complete, valid request.
VALID_WHEN_EMPTY = {
    "reports:layout": "a position left out keeps the section's place and an unticked box shows the section, "
                      "as a browser sends them",
}

CASES = [pytest.param(name, case, id=f"{name} — {case.label}") for name, cases in ENDPOINTS.items() for case in cases]


# ----------------------------------------------------------------------------- helpers

WATCHED = {
    ApiToken: ("user_id", "label", "revoked_at"),
    ThemeRecord: ("code", "label", "keywords", "question_codes", "merged_into"),
    ThemeDecision: ("response_id", "theme_code", "include"),
    PublishedQuote: ("response_id", "question_code", "theme_code"),
    DismissedSuggestion: ("question_code", "label"),
    ReportEdit: ("block_key", "text"),
    ReportSectionSetting: ("section_key", "position", "hidden"),
    ReportAddition: ("section_key", "text", "image_alt"),
    ReportVersion: ("number",),
    Action: ("title",),
    MailTemplate: ("kind", "subject", "text_body"),
    ReminderPolicy: ("days_after_opening", "max_reminders", "target_rate"),
    OutgoingMail: ("kind", "status"),
    Invitation: ("campaign_id", "referent_id"),
    Response: ("campaign_id", "revision", "status"),
    Membership: ("user_id", "academie_id", "role"),
    get_user_model(): ("username", "email", "password", "is_active"),
    QuestionnaireVersion: ("code", "version", "source_yaml"),
    Campaign: ("slug", "title", "state", "anonymous", "opens_at", "closes_at", "previous_id"),
    Referent: ("email", "first_name", "last_name", "email_bad"),
    School: ("uai", "name", "type", "commune", "departement_id"),
    Mandate: ("referent_id", "school_id", "school_year"),
    RosterUpload: ("filename", "applied_at"),
}


def snapshot() -> dict[str, list]:
    """The rows a staff POST could change."""
    return {model.__name__: list(model.objects.order_by("pk").values_list("pk", *fields))
            for model, fields in WATCHED.items()}


def pilot_client(personas) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(personas["pilot"])
    return client


def text_of(node) -> str:
    # Only layout whitespace is folded: the no-break spaces of French typography are kept and checked.
    return re.sub(r"[ \t\r\n]+", " ", node.text_content()).strip()


def group_of(node):
    """The node, or its nearest ancestor, that is a DSFR field group or fieldset."""
    while node is not None:
        classes = node.get("class", "").split()
        if any(c.endswith("-group") or c == "fr-fieldset" for c in classes):
            return node
        node = node.getparent()
    return None


def assert_next_to(tree, element_id: str, message: str) -> None:
    """``message`` is DSFR error text in the field's group, or in what the field points to."""
    element = tree.get_element_by_id(element_id, None)
    assert element is not None, f"no element #{element_id} on the page"
    places = [tree.get_element_by_id(ref, None) for ref in element.get("aria-describedby", "").split()]
    places.append(group_of(element))
    errors = [text_of(e) for place in places if place is not None
              for e in place.iter() if "fr-error-text" in e.get("class", "")]
    assert any(message in error for error in errors), \
        f"« {message} » not under #{element_id}; errors there: {errors}"


# ----------------------------------------------------------------------------- tests

@pytest.mark.parametrize("name, case", CASES)
def test_a_malformed_post_is_refused_next_to_its_field(name, case, personas, ctx):
    client = pilot_client(personas)
    if case.setup:
        case.setup(client)
    arguments = dict(_patterns())[name]
    url = reverse(name, kwargs={a: url_kwargs(ctx)[a] for a in arguments})
    before = snapshot()
    response = client.post(url, case.post_data(ctx))
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        response = client.get(response["Location"])
        assert response.status_code == 200
    assert snapshot() == before, "a refused post saved something"
    tree = lxml_html.fromstring(response.content.decode())
    message = case.message.format(**vars(ctx))
    summary = tree.get_element_by_id("erreurs", None)
    assert summary is not None and summary.get("role") == "alert", "no error summary above the page"
    assert message in text_of(summary)
    if case.near:
        assert_next_to(tree, case.near.format(**vars(ctx)), message)


def _patterns(patterns=None, namespace=""):
    """(name, converters) of every named URL pattern, namespaced."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", list(getattr(pattern.pattern, "converters", {}))


def _exempt(name: str) -> bool:
    return name in NOT_STAFF or name.split(":")[0] in NOT_STAFF


def test_the_table_covers_every_staff_url_that_accepts_post(personas, ctx):
    client = pilot_client(personas)
    accepting = set()
    for name, arguments in _patterns():
        if _exempt(name):
            continue
        values = url_kwargs(ctx)
        missing = [a for a in arguments if a not in values]
        assert not missing, f"{name}: add a sample value for {missing} to url_kwargs()"
        before = snapshot()
        response = client.post(reverse(name, kwargs={a: values[a] for a in arguments}), {})
        assert response.status_code != 500, f"{name}: an empty POST answered 500"
        if response.status_code == 405:
            continue
        accepting.add(name)
        if name not in VALID_WHEN_EMPTY:
            assert snapshot() == before, f"{name}: an empty POST saved something"
    assert accepting == set(ENDPOINTS), (
        f"staff URLs accepting POST without cases here: {sorted(accepting - set(ENDPOINTS))}; "
        f"cases for URLs that refuse POST: {sorted(set(ENDPOINTS) - accepting)}")


def test_each_pattern_left_out_of_the_walk_still_exists():
    names = {name for name, _ in _patterns()}
    stale = [key for key in NOT_STAFF if key not in names and not any(n.startswith(f"{key}:") for n in names)]
    assert not stale, f"NOT_STAFF names URL patterns that are gone: {stale}"
