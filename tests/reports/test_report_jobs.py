"""The report in PDF and ODT is built by the worker, never in a web process: the download link sends to
a job's page, the worker builds the file, the page offers it (bilan.reports.services.render_job_for)."""

import pytest
from django.test import Client
from django.urls import reverse

from bilan.audit.models import AuditEntry
from bilan.core.models import BackgroundJob, JobStatus
from bilan.reports.services import publish

SLUG = "2023-2024"

pytestmark = pytest.mark.django_db


def run_waiting_jobs():
    """What ``bilan worker`` does at each pass for the jobs of this app, in the test's transaction (the
    worker command itself, which closes its connection between passes, runs in test_background_import.py)."""
    from bilan.reports.tasks import render_report_job

    for job in BackgroundJob.objects.filter(status=JobStatus.QUEUED):
        render_report_job.call(str(job.pk))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_reader_asks_for_the_pdf_and_downloads_it_once_the_worker_has_built_it(personas):
    reader = client_for(personas["reader"])
    asked = reader.get(reverse("reports:download", args=[SLUG, "pdf"]))
    job = BackgroundJob.objects.get()
    assert asked.status_code == 302 and asked["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.created_by == personas["reader"]
    # A second click while it waits: the same job, not a second one.
    assert reader.get(reverse("reports:download", args=[SLUG, "pdf"]))["Location"] == asked["Location"]
    assert BackgroundJob.objects.count() == 1
    assert reader.get(reverse("core:job_download", args=[job.pk])).status_code == 404  # nothing made yet

    run_waiting_jobs()

    page = reader.get(asked["Location"]).content.decode()
    assert "Télécharger le compte-rendu (PDF)" in page and "est prêt" in page
    download = reader.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="compte-rendu-{SLUG}.pdf"' in download["Content-Disposition"]
    assert download["Cache-Control"].startswith("no-store")
    assert AuditEntry.objects.filter(action="export", target__contains=f"compte-rendu {SLUG} (pdf)").count() == 2


def test_a_job_is_seen_by_who_started_it_and_the_pilots_only(personas):
    from django.contrib.auth import get_user_model

    from bilan.core.models import Membership, Role

    reader = client_for(personas["reader"])
    job_url = reader.get(reverse("reports:download", args=[SLUG, "odt"]))["Location"]
    other_reader = get_user_model().objects.create_user("lecteur-2")
    Membership.objects.create(user=other_reader, academie=personas["reader"].memberships.get().academie,
                              role=Role.READER)
    assert client_for(other_reader).get(job_url).status_code == 404
    assert client_for(personas["outsider"]).get(job_url).status_code == 404
    assert client_for(personas["pilot"]).get(job_url).status_code == 200
    # Their own asking makes their own job.
    assert client_for(other_reader).get(reverse("reports:download", args=[SLUG, "odt"]))["Location"] != job_url
    # A reader who lost their role no longer sees the job they started.
    Membership.objects.filter(user=personas["reader"]).delete()
    assert reader.get(job_url).status_code == 404


def test_a_published_version_is_built_once(personas):
    from bilan.surveys.models import Campaign

    version = publish(Campaign.objects.get(slug=SLUG))
    reader = client_for(personas["reader"])
    url = reverse("reports:version_download", args=[SLUG, version.number, "odt"])
    first = reader.get(url)["Location"]
    run_waiting_jobs()
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.DONE and job.output_name == f"compte-rendu-{SLUG}-v{version.number}.odt"
    assert reader.get(url)["Location"] == first and BackgroundJob.objects.count() == 1  # made for good
    download = reader.get(reverse("core:job_download", args=[job.pk]))
    assert download.content.startswith(b"PK")  # an ODT is a zip
    # The draft, which changes, is built again at each request once the last one is done.
    draft = reader.get(reverse("reports:download", args=[SLUG, "odt"]))["Location"]
    assert draft != first


def test_markdown_and_html_are_still_served_at_once(personas):
    reader = client_for(personas["reader"])
    assert reader.get(reverse("reports:download", args=[SLUG, "md"]))["Content-Type"].startswith("text/markdown")
    assert not BackgroundJob.objects.exists()
