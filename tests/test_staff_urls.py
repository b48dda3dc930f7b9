"""Who may open each staff URL, and what the others see.

``test_every_staff_url_answers_each_persona`` walks the URL resolver and GETs every named
pattern (but the respondent's links, the API, the admin and the login pages) as a pilot and a
reader of the demo académie, a pilot of another académie and an anonymous visitor, with real
ids of the demo database: the pilot opens every page, the reader the reading pages and gets a
404 on the pilot's, the other académie's pilot a 404 everywhere (campaigns of other académies
are not disclosed), the visitor is sent to the login page. Every 404, 403 and 400 on the way
is Bilan's French page. ``ACCESS`` says which pages are whose, so a new staff URL without its
line here fails.

The other tests check the French error pages themselves (a mistyped address, an over-large
POST, the 500 page rendered without a request) and that Django's admin is for superusers only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.template import loader
from django.test import Client
from django.urls import reverse

from bilan.core.jobs import create_job
from bilan.core.models import BackgroundJob, JobStatus
from bilan.reports.models import Action
from bilan.reports.services import build_campaign_report, publish
from bilan.surveys.models import Campaign
from tests.test_staff_posts import _patterns, _roster_ctx

pytestmark = pytest.mark.django_db

SLUG = "2023-2024"
QUESTION = "INFO_MISSING"

# Patterns that are not staff pages, and where they are tested.
NOT_STAFF = {
    "admin": "Django's admin site: test_the_admin_is_for_superusers_only",
    "respondent": "the respondent's links (tests/surveys)",
    "api": "the read API, token-authenticated (tests/api)",
    "core:login": "the login page, open to everyone",
    "core:logout": "logging out (POST only)",
    "core:login_code": "the login's second step (after the password): tests/accounts/test_login_security.py",
    "core:two_factor": "one's own account (any staff role, no académie): tests/accounts/test_login_security.py",
    # The password pages are for visitors (tests/accounts: test_passwords.py, test_team.py, test_browser.py).
    "accounts:set_password": "an invitation's link: tests/accounts/test_team.py",
    "accounts:password_reset": "« Mot de passe oublié », open to everyone: tests/accounts/test_passwords.py",
    "accounts:password_reset_done": "tests/accounts/test_passwords.py",
    "accounts:password_reset_confirm": "the forgotten password's link: tests/accounts/test_passwords.py",
    "accounts:password_reset_complete": "tests/accounts/test_passwords.py",
}

READ = "read"      # readers and pilots of the campaign's académie
PILOT = "pilot"    # its pilots only
ACTION = "action"  # its pilots only, by POST: a GET is refused (405) once the role is checked

ACCESS = {
    "outreach:board": READ,
    "outreach:export": PILOT,
    "outreach:mails": PILOT,
    "outreach:template": PILOT,
    "outreach:reminders": PILOT,
    "outreach:invitations": PILOT,  # GET: who will be invited and the message; POST: queue, remind now
    "outreach:invitations_status": PILOT,  # the counts as JSON, polled by the invitations page
    "results:overview": READ,
    "results:section": READ,
    "results:export": READ,
    "reports:detail": READ,
    "reports:download": READ,
    "reports:edit": PILOT,
    "reports:layout": ACTION,
    "reports:add": ACTION,
    "reports:publish": PILOT,  # GET: the confirmation page; POST with « Je confirme »: publishes
    "reports:version": READ,
    "reports:version_download": READ,
    "reports:actions": READ,  # the plan; pilots see its edit controls
    "reports:action_new": PILOT,
    "reports:action_edit": PILOT,
    "reports:action_move": ACTION,
    "reports:action_state": ACTION,
    "commentary:index": READ,
    "commentary:question": READ,
    "commentary:suggestions": READ,
    "commentary:action": ACTION,
    "commentary:review": READ,  # readers see the comment and its proposed themes, pilots the form
    "commentary:review_confirm": ACTION,
    "answers:export": PILOT,  # one row per person: never for readers (bilan.analysis.withholding)
    "answers:import": PILOT,
    "answers:codebook": READ,
    "questionnaires:detail": READ,
    "questionnaires:preview": READ,
    "questionnaires:preview_section": READ,
    "questionnaires:preview_end": READ,
    "questionnaires:compare": READ,
    "questionnaires:upload": PILOT,  # the demo campaign has answers: the page says its questionnaire is frozen
    "questionnaires:edit": PILOT,
    "questionnaires:edit_question": PILOT,
    "accounts:team": PILOT,  # GET: the team; POST: invite, change a role, remove access (tests/test_staff_posts.py)
    "dashboard:home": "home",  # every account's own page: it lists the campaigns of its académies
    "api_tokens:list": "home",  # every account's own API tokens (POST: tests/api/test_tokens.py)
    "dashboard:campaign": READ,
    "dashboard:campaign_edit": PILOT,
    "dashboard:campaign_state": ACTION,
    "dashboard:campaign_new": PILOT,  # /academie/<code>/campagnes/nouvelle/: the académie's pilots only
    # The roster holds names and e-mails: its pages are the académie's pilots' only, readers get the 404.
    "roster:index": PILOT,
    "audit:log": PILOT,  # the académie's journal (tests/audit)
    "roster:upload": PILOT,
    "roster:confirm": ACTION,
    "roster:referent": PILOT,
    "roster:school": PILOT,
    "roster:uncovered": PILOT,
    # Personal data (bilan.retention): the registre's page, one referent's data as JSON, their erasure.
    "retention:index": PILOT,
    "retention:access": PILOT,
    "retention:erase": PILOT,  # GET: what erasure removes and keeps; POST with « Je confirme »: erases
    # A background job (bilan.core.jobs): its page and its state as JSON, its académie's pilots only.
    "core:job": PILOT,
    "core:job_status": PILOT,
    "core:job_download": PILOT,  # the file a finished job made (tests/reports/test_report_jobs.py)
}

# A phrase of each French error page (bilan/templates/<status>.html).
ERROR_PAGES = {
    400: "Bilan n'a pas pu traiter ce que le navigateur a envoyé",
    403: "Votre compte n'a pas le droit d'ouvrir cette page.",
    404: "La page que vous cherchez est introuvable.",
}


@pytest.fixture(scope="module")
def url_values(demo_db, django_db_blocker):
    """A real value for each URL argument: the demo campaign, a section of its questionnaire,
    a paragraph of its report, a published version of it."""
    with django_db_blocker.unblock():
        campaign = Campaign.objects.select_related("questionnaire", "academie").get(slug=SLUG)
        document = build_campaign_report(campaign)
        version = publish(campaign)
        return {
            "slug": SLUG, "question": QUESTION, "kind": "invitation", "fmt": "csv", "academie": "poitiers",
            "number": version.number, "section": campaign.questionnaire.schema.sections[0].code,
            "key": next(b.key for s in document.sections for b in s.blocks if b.kind == "paragraph"),
            "action_id": Action.objects.filter(campaign=campaign).first().pk,  # the demo's plan
            "job": _finished_job(campaign).pk,
            # a referent of the demo's roster and their school
            **{name: value for name, value in _roster_ctx().items() if name in ("referent", "uai")},
        }


def _finished_job(campaign):
    """A background job of the demo académie, done, with the file it made."""
    job = create_job(academie=campaign.academie, user=None, kind="test", title="Essai")
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, output=b"contenu", output_name="essai.txt",
                                                   output_type="text/plain")
    return job


# The report's formats are not the spreadsheets'; Markdown needs no PDF library.
FORMAT_OF = {"reports:download": "md", "reports:version_download": "md"}


def staff_urls(values):
    for name, arguments in _patterns():
        if name in NOT_STAFF or name.split(":")[0] in NOT_STAFF:
            continue
        kwargs = {a: FORMAT_OF.get(name, values[a]) if a == "fmt" else values[a] for a in arguments}
        yield name, reverse(name, kwargs=kwargs)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def expected(persona: str, access: str) -> int:
    if persona == "anonymous":
        return 302
    if access == "home":
        return 200
    if persona == "outsider" or (persona == "reader" and access in (PILOT, ACTION)):
        return 404
    return 405 if access == ACTION else 200


def test_access_covers_every_staff_url(url_values):
    names = {name for name, _ in staff_urls(url_values)}
    assert names == set(ACCESS), (f"staff URLs missing from ACCESS: {sorted(names - set(ACCESS))}; "
                                  f"names in ACCESS that are gone: {sorted(set(ACCESS) - names)}")


@pytest.mark.parametrize("persona", ["pilot", "reader", "outsider", "anonymous"])
def test_every_staff_url_answers_each_persona(persona, personas, url_values, settings):
    settings.DEBUG = False
    client = client_for(personas.get(persona))
    login = reverse("core:login")
    wrong = []
    for name, url in staff_urls(url_values):
        response = client.get(url)
        want = expected(persona, ACCESS[name])
        if response.status_code != want:
            wrong.append(f"{name} {url}: {response.status_code}, expected {want}")
        elif want == 302 and urlsplit(response["Location"]).path != login:
            wrong.append(f"{name} {url}: redirected to {response['Location']}, not to the login page")
        elif want in ERROR_PAGES and ERROR_PAGES[want] not in response.content.decode():
            wrong.append(f"{name} {url}: the {want} is not Bilan's French page")
    assert not wrong, f"as {persona}:\n" + "\n".join(wrong)


def test_the_home_of_another_academie_lists_none_of_the_demo_campaigns(personas):
    page = client_for(personas["outsider"]).get(reverse("dashboard:home")).content.decode()
    assert "Aucune campagne dans vos académies pour l'instant." in page
    assert SLUG not in page


# ----------------------------------------------------------------------------- error pages

def test_a_mistyped_address_gives_the_french_404(personas, settings):
    settings.DEBUG = False
    for user in (None, personas["pilot"]):
        response = client_for(user).get("/campagnes/2023-2024/resultatz/")
        assert response.status_code == 404
        page = response.content.decode()
        assert ERROR_PAGES[404] in page and "<title>Page introuvable — Bilan</title>" in page
        assert 'href="/"' in page, "no way back home"


def test_an_over_large_post_gives_the_french_400(personas, settings):
    settings.DEBUG = False
    client = client_for(personas["pilot"])
    url = reverse("reports:add", args=[SLUG])
    # Django refuses a body of text fields larger than DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig).
    response = client.post(url, {"section": "info", "text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert response.status_code == 400
    assert ERROR_PAGES[400] in response.content.decode()


def test_the_500_and_400_pages_render_without_a_request():
    # Django renders them with no context at all (django.views.defaults.server_error / bad_request).
    assert "Erreur inattendue" in loader.get_template("500.html").render()
    assert ERROR_PAGES[400] in loader.get_template("400.html").render()


def test_an_unhandled_error_gives_the_french_500(personas, settings, monkeypatch):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("bilan.dashboard.views.academies_of", broken)
    client = Client(raise_request_exception=False)
    client.force_login(personas["pilot"])
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 500
    assert "Bilan a rencontré un problème inattendu" in response.content.decode()


def test_an_expired_form_gives_the_french_csrf_page(personas, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["pilot"])
    response = client.post(reverse("reports:publish", args=[SLUG]))
    assert response.status_code == 403
    assert "Le formulaire envoyé n'a pas pu être vérifié" in response.content.decode()


# ----------------------------------------------------------------------------- the admin

def test_the_admin_is_for_superusers_only(personas):
    pilot = personas["pilot"]
    pilot.is_staff = True  # set by mistake, or by an older demo: it must not open the admin
    pilot.save()
    for user in (pilot, personas["reader"]):
        response = client_for(user).get(reverse("admin:index"))
        assert response.status_code == 302 and urlsplit(response["Location"]).path == reverse("admin:login")
        assert "Administration" not in client_for(user).get(reverse("dashboard:home")).content.decode()
    superuser = get_user_model().objects.create_superuser("admin-test", password="motdepasse-test-1")
    assert client_for(superuser).get(reverse("admin:index")).status_code == 200
    home = client_for(superuser).get(reverse("dashboard:home")).content.decode()
    assert f'href="{reverse("admin:index")}"' in home
