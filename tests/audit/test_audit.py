"""The audit log: each action of the staff pages writes one entry (who, which académie, on what);
the pilots of the académie read it, no one else; the admin shows it read-only; the purge removes
exactly what is older than the limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from bilan.api.models import ApiToken
from bilan.audit.models import Action, AppendOnlyError, AuditEntry
from bilan.audit.services import purge_audit, record
from bilan.core.models import Membership
from bilan.roster.models import Academie, RosterUpload
from bilan.surveys.models import Campaign, CampaignState
from tests.roster.test_pages import Scenario, upload, xlsx

pytestmark = pytest.mark.django_db

SLUG = "2023-2024"
QUESTION = "INFO_MISSING"


@pytest.fixture
def pilot(personas):
    client = Client()
    client.force_login(personas["pilot"])
    AuditEntry.objects.all().delete()  # force_login's own login entry
    return client


def only_entry(action: str) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, [str(e) for e in AuditEntry.objects.all()]
    return entries[0]


def poitiers() -> Academie:
    return Academie.objects.get(code="poitiers")


def assert_entry(action, user, target_part, academie="poitiers"):
    entry = only_entry(action)
    assert entry.user == user and entry.username == user.get_username()
    assert (entry.academie.code if entry.academie else None) == academie
    assert target_part in entry.target, entry.target
    return entry


# --- logins ------------------------------------------------------------------------------------

def test_a_login_and_a_refused_login_are_recorded_with_the_address(personas):
    client = Client(REMOTE_ADDR="192.0.2.7")
    refused = client.post(reverse("core:login"), {"username": "pilote-test", "password": "pas-le-bon"})
    assert refused.status_code == 200
    failed = only_entry(Action.LOGIN_FAILED)
    assert failed.user == personas["pilot"] and failed.username == "pilote-test"
    assert failed.ip_address == "192.0.2.7" and failed.academie is None
    done = client.post(reverse("core:login"), {"username": "pilote-test", "password": "motdepasse-test-1"})
    assert done.status_code == 302
    login = only_entry(Action.LOGIN)
    assert login.user == personas["pilot"] and login.ip_address == "192.0.2.7"


def test_a_refused_login_of_no_account_keeps_what_was_typed(db, demo_db):
    Client().post(reverse("core:login"), {"username": "personne", "password": "x"})
    entry = only_entry(Action.LOGIN_FAILED)
    assert entry.user is None and entry.username == "personne"


# --- exports -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url_name, args, target", [
    ("answers:export", [SLUG, "csv"], f"réponses {SLUG} (csv)"),
    ("results:export", [SLUG, "xlsx"], f"résultats {SLUG} (xlsx)"),
    ("outreach:export", [SLUG, "csv"], f"sans réponse {SLUG} (csv)"),
    ("reports:download", [SLUG, "html"], f"compte-rendu {SLUG} (html)"),
    ("answers:codebook", [SLUG], f"dictionnaire des variables {SLUG}"),
])
def test_each_export_is_recorded(pilot, personas, url_name, args, target):
    response = pilot.get(reverse(url_name, args=args))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert_entry(Action.EXPORT, personas["pilot"], target)


def test_a_refused_export_records_nothing(personas):
    reader = Client()
    reader.force_login(personas["reader"])
    AuditEntry.objects.all().delete()
    assert reader.get(reverse("answers:export", args=[SLUG, "csv"])).status_code == 404
    assert not AuditEntry.objects.exists()


# --- imports -----------------------------------------------------------------------------------

def test_an_answers_import_is_recorded(pilot, personas):
    url = reverse("answers:import", args=[SLUG])
    data = f"id;submitdate;{QUESTION}\n1;2024-06-01;Un texte importé\n".encode()
    pilot.post(url, {"step": "upload", "format": "", "fichier": SimpleUploadedFile("reponses.csv", data)})
    assert not AuditEntry.objects.exists()  # nothing imported before confirming
    done = pilot.post(url, {"step": "confirm", "col-2": QUESTION, "existing": "append"})
    assert done.status_code == 302, done.content.decode()[:3000]
    assert_entry(Action.IMPORT, personas["pilot"], "« reponses.csv »")


def test_the_import_commands_are_recorded_with_the_system_account(personas, tmp_path):
    from django.core.management import call_command

    AuditEntry.objects.all().delete()
    answers = tmp_path / "reponses.csv"
    answers.write_text(f"id;submitdate;{QUESTION}\n1;2024-06-01;Un texte importé\n", encoding="utf-8")
    call_command("import", "answers", str(answers), "--campaign", SLUG, "--append", "--dry-run")
    assert not AuditEntry.objects.exists()  # a dry run changes nothing: nothing to record
    call_command("import", "answers", str(answers), "--campaign", SLUG, "--append")
    entry = only_entry(Action.IMPORT)
    assert entry.user is None and entry.username.startswith("commande bilan (")
    assert entry.academie.code == "poitiers" and "« reponses.csv » (1 réponses)" in entry.target

    out = tmp_path / "reponses.csv"
    call_command("export", "answers", SLUG, "--format", "csv", "--out", str(out))
    entry = only_entry(Action.EXPORT)
    assert entry.username.startswith("commande bilan (") and entry.target == f"réponses {SLUG} (csv)"

    roster = tmp_path / "referentiel.xlsx"
    roster.write_bytes(xlsx(Scenario().rows))
    call_command("import", "roster", str(roster), "--academie", "poitiers", "--school-year", "2024-2025")
    entry = only_entry(Action.ROSTER_IMPORTED)
    assert entry.username.startswith("commande bilan (") and entry.academie.code == "poitiers"


def test_a_roster_import_is_recorded(pilot, personas):
    upload(pilot, xlsx(Scenario().rows))
    assert not AuditEntry.objects.exists()
    stored = RosterUpload.objects.get()
    assert pilot.post(reverse("roster:confirm", args=["poitiers"]), {"upload": stored.pk}).status_code == 302
    assert_entry(Action.ROSTER_IMPORTED, personas["pilot"], "« referentiel.xlsx »")


def test_a_questionnaire_upload_is_recorded(pilot, personas):
    last_year = Campaign.objects.select_related("questionnaire").get(slug=SLUG)
    now = timezone.now()
    Campaign.objects.create(
        slug="2026-2027", title="Bilan 2026-2027", academie=last_year.academie, school_year="2026-2027",
        questionnaire=last_year.questionnaire, opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=60),
        state=CampaignState.DRAFT, previous=last_year)
    yaml = last_year.questionnaire.source_yaml.replace('version: "2024.1"', 'version: "9"')
    response = pilot.post(reverse("questionnaires:upload", args=["2026-2027"]),
                          {"fichier": SimpleUploadedFile("questionnaire.yaml", yaml.encode())})
    assert response.status_code == 302
    assert_entry(Action.QUESTIONNAIRE_IMPORTED, personas["pilot"], "2026-2027 : « questionnaire.yaml » (version 9)")


# --- themes, report, campaign ------------------------------------------------------------------

def test_a_theme_change_is_recorded(pilot, personas):
    url = reverse("commentary:action", args=[SLUG, QUESTION])
    response = pilot.post(url, {"action": "create", "label": "Thème d'essai"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_entry(Action.THEME_CHANGED, personas["pilot"], f"{SLUG}, question {QUESTION}")


def test_a_report_edit_and_its_publication_are_recorded(pilot, personas):
    response = pilot.post(reverse("reports:add", args=[SLUG]), {"section": "info", "text": "Merci à toutes et tous."})
    assert response.status_code == 302
    assert_entry(Action.REPORT_EDITED, personas["pilot"], f"{SLUG} : ajout")
    response = pilot.post(reverse("reports:publish", args=[SLUG]), {"confirm": "on"})
    assert response.status_code == 302
    assert_entry(Action.REPORT_PUBLISHED, personas["pilot"], f"{SLUG} v1")


def test_a_campaign_state_change_is_recorded(pilot, personas):
    response = pilot.post(reverse("dashboard:campaign_state", args=[SLUG]), {"action": "archive"})
    assert response.status_code == 302
    assert Campaign.objects.get(slug=SLUG).state == "archived"
    assert_entry(Action.CAMPAIGN_STATE_CHANGED, personas["pilot"], f"{SLUG} : Archivée")


# --- team and tokens ---------------------------------------------------------------------------

def test_invite_role_change_and_removal_are_recorded(pilot, personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    url = reverse("accounts:team", args=["poitiers"])
    response = pilot.post(url, {"action": "invite", "email": "camille@ac-poitiers.fr", "role": "reader"})
    assert response.status_code == 302
    assert_entry(Action.MEMBER_INVITED, personas["pilot"], "camille@ac-poitiers.fr")
    membership = Membership.objects.get(user__username="camille@ac-poitiers.fr")
    assert pilot.post(url, {"action": "role", "member": membership.pk, "role": "pilot"}).status_code == 302
    assert_entry(Action.ROLE_CHANGED, personas["pilot"], "camille@ac-poitiers.fr : Pilote")
    assert pilot.post(url, {"action": "remove", "member": membership.pk}).status_code == 302
    assert_entry(Action.MEMBER_REMOVED, personas["pilot"], "camille@ac-poitiers.fr")


def test_api_token_creation_and_revocation_are_recorded(pilot, personas):
    url = reverse("api_tokens:list")
    assert pilot.post(url, {"action": "create", "label": "Tableur du rectorat"}).status_code == 200
    entry = assert_entry(Action.API_TOKEN_CREATED, personas["pilot"], "Tableur du rectorat", academie=None)
    token = ApiToken.objects.get(user=personas["pilot"])
    assert pilot.post(url, {"action": "revoke", "token": token.pk}).status_code == 302
    assert_entry(Action.API_TOKEN_REVOKED, personas["pilot"], "Tableur du rectorat", academie=None)
    assert entry.pk in {e.pk for e in _journal(pilot).object_list}  # a member's token shows in the journal


# --- the journal page --------------------------------------------------------------------------

def _journal(client, **query):
    response = client.get(reverse("audit:log", args=["poitiers"]), query)
    assert response.status_code == 200
    return response.context["page"]


def test_the_journal_shows_its_academie_and_its_members_logins_newest_first(pilot, personas):
    limoges = Academie.objects.get(code="limoges")
    record(personas["pilot"], Action.EXPORT, academie=poitiers(), target="premier")
    record(personas["outsider"], Action.EXPORT, academie=limoges, target="ailleurs")
    record(personas["outsider"], Action.LOGIN)  # not a member of poitiers
    record(personas["reader"], Action.LOGIN)
    record(personas["pilot"], Action.EXPORT, academie=poitiers(), target="dernier")
    page = _journal(pilot)
    assert [(e.username, e.target) for e in page.object_list] == [
        ("pilote-test", "dernier"), ("lecteur-test", ""), ("pilote-test", "premier")]
    assert [e.target for e in _journal(pilot, action="export").object_list] == ["dernier", "premier"]
    html = pilot.get(reverse("audit:log", args=["poitiers"])).content.decode()
    assert "Connexion" in html and "Export" in html and "lecteur-test" in html and "ailleurs" not in html


def test_the_journal_pages_by_fifty(pilot, personas):
    AuditEntry.objects.bulk_create([AuditEntry(user=personas["pilot"], username="pilote-test", academie=poitiers(),
                                               action=Action.EXPORT, target=str(n)) for n in range(51)])
    assert len(_journal(pilot).object_list) == 50
    assert len(_journal(pilot, page=2).object_list) == 1


@pytest.mark.parametrize("persona", ["reader", "outsider"])
def test_readers_and_other_academies_get_a_404(personas, persona):
    client = Client()
    client.force_login(personas[persona])
    assert client.get(reverse("audit:log", args=["poitiers"])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_login(db, demo_db):
    response = Client().get(reverse("audit:log", args=["poitiers"]))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]


def test_the_dashboard_links_the_journal_for_pilots(pilot):
    assert reverse("audit:log", args=["poitiers"]) in pilot.get(reverse("dashboard:home")).content.decode()


# --- not editable, and purged ------------------------------------------------------------------

def test_the_admin_cannot_add_change_or_delete_an_entry(personas):
    entry = record(personas["pilot"], Action.EXPORT, academie=poitiers(), target="x")
    request = RequestFactory().get("/admin/")
    request.user = personas["pilot"].__class__.objects.create_superuser("admin-test", "a@b.fr", "motdepasse-test-1")
    model_admin = admin_site._registry[AuditEntry]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_an_entry_once_written_is_not_saved_again(personas):
    entry = record(personas["pilot"], Action.EXPORT, academie=poitiers(), target="x")
    entry.target = "autre chose"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).target == "x"


def test_purge_removes_exactly_the_entries_older_than_the_limit(personas):
    limit = timezone.now() - timedelta(days=365)
    at_limit = record(personas["pilot"], Action.EXPORT, target="à la limite")
    past = record(personas["pilot"], Action.EXPORT, target="une seconde de trop")
    AuditEntry.objects.filter(pk=at_limit.pk).update(when=limit)
    AuditEntry.objects.filter(pk=past.pk).update(when=limit - timedelta(seconds=1))
    assert purge_audit(limit) == 1
    assert list(AuditEntry.objects.filter(action=Action.EXPORT).values_list("target", flat=True)) == ["à la limite"]


def test_the_retention_setting_defaults_to_a_year():
    from bilan import settings as project_settings

    assert project_settings.BILAN_AUDIT_RETENTION_DAYS == 365
