"""SITE_URL: the e-mails' links are built on it, and production refuses to start without a public one."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from bilan.core.checks import check_site_url, site_url_problem


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000",
                                 "http://0.0.0.0", "bilan.ac-poitiers.fr", "https://"])
def test_a_missing_or_local_address_is_refused(url):
    assert site_url_problem(url)


@pytest.mark.parametrize("url", ["https://bilan.ac-poitiers.fr", "http://10.0.0.5:8000", "https://bilan.example.org/sous/"])
def test_a_public_address_is_accepted(url):
    assert site_url_problem(url) is None


def test_the_check_applies_only_without_debug(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.DEBUG = True
    assert check_site_url() == []
    settings.DEBUG = False
    (error,) = check_site_url()
    assert error.id == "bilan.E001" and "SITE_URL" in error.msg and "https://" in error.hint
    settings.SITE_URL = "https://bilan.ac-poitiers.fr"
    assert check_site_url() == []


def test_check_deploy_reports_it(settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(SystemCheckError, match=r"bilan\.E001"):
        call_command("check", "--deploy", "--tag", "site_url")


@pytest.mark.parametrize("command", [["invite", "2025-2026"], ["send_due"], ["worker", "--max-passes", "1"],
                                     ["serve"]])
def test_commands_that_send_links_stop_at_start_up_on_a_local_address(command, settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    # Refused before touching the database (no django_db mark) or starting gunicorn.
    with pytest.raises(SystemCheckError, match=re.escape("SITE_URL='http://127.0.0.1:8000' est une adresse locale")):
        call_command(*command)


@pytest.mark.django_db
def test_the_mail_links_follow_site_url(demo_db, settings):
    from bilan.outreach.services import preview_message
    from bilan.surveys.models import Campaign
    from bilan.surveys.services import respondent_url

    settings.SITE_URL = "https://bilan.ac-poitiers.fr"
    assert respondent_url("jeton") == "https://bilan.ac-poitiers.fr/r/jeton/"
    message = preview_message(Campaign.objects.get(slug="2025-2026"), "invitation")
    assert "https://bilan.ac-poitiers.fr/r/" in message.text_body and "127.0.0.1" not in message.text_body
