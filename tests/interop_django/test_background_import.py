"""A large answers file is imported by the worker; its page follows the progress (bilan.core.jobs).

The confirmation step sends the pilot to the job's page; ``bilan worker`` runs the import with the
pilot's column choices, all or nothing, within ``BILAN_JOB_TIME_LIMIT``; the page says what was
done or why nothing was, in French; the uploaded file is not kept once the job has ended.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bilan.audit.models import AuditEntry
from bilan.core.jobs import JobTimeLimit, Progress, create_job, run_job
from bilan.core.models import BackgroundJob, JobStatus, Membership, Role
from bilan.roster.models import Academie
from bilan.surveys.models import Response
from tests.interop_django.test_import_page import _login

URL = "/campagnes/enquete-2023/reponses/import/"

# The worker closes its connection between passes: the test's data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def public_site_url(settings):
    # The worker refuses a local SITE_URL when DEBUG is off (tests/test_site_url.py).
    settings.SITE_URL = "https://bilan.example.org"


def _file(rows: int, bad_line: int | None = None) -> bytes:
    values = itertools.cycle(["Y", "N"])
    lines = ["id;submitdate;ATELIERS"]
    for number in range(1, rows + 1):
        value = "Peut-être" if number + 1 == bad_line else next(values)
        lines.append(f"{number};2023-06-01;{value}")
    return ("\n".join(lines) + "\n").encode()


def _upload_and_confirm(client, data):
    client.post(URL, {"step": "upload", "format": "", "fichier": SimpleUploadedFile("grand.csv", data)})
    return client.post(URL, {"step": "confirm", "col-2": "ATELIERS"})


def test_a_file_over_the_threshold_goes_to_the_worker_and_its_page_follows(client, enquete_campaign, settings):
    settings.BILAN_IMPORT_BACKGROUND_ROWS = 50
    pilot = _login(client, enquete_campaign, Role.PILOT)
    confirmed = _upload_and_confirm(client, _file(51))
    job = BackgroundJob.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("core:job", args=[job.pk])
    assert not Response.objects.exists()  # nothing before the worker has run
    waiting = client.get(confirmed["Location"]).content.decode()
    assert "En attente" in waiting and 'data-status-url="' in waiting
    assert client.get(reverse("core:job_status", args=[job.pk])).json()["status"] == "queued"

    call_command("worker", max_passes=1, interval=0)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total == 51 and job.payload is None
    assert Response.objects.filter(campaign=enquete_campaign).count() == 51
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "51 réponse(s) importée(s) depuis «\u00a0grand.csv\u00a0»." in page
    assert reverse("results:overview", args=[enquete_campaign.slug]) in page
    assert "data-status-url" not in page  # nothing left to follow
    entry = AuditEntry.objects.get(action="import")
    assert entry.user == pilot and "grand.csv" in entry.target
    # The same pass of the worker grouped the comments of the new answers (bilan.commentary.tasks).
    from bilan.commentary.models import DigestCache
    from bilan.commentary.services import _fingerprint

    assert DigestCache.objects.get(campaign=enquete_campaign).fingerprint == _fingerprint(enquete_campaign)


def test_a_file_at_the_threshold_is_imported_at_once(client, enquete_campaign, settings):
    settings.BILAN_IMPORT_BACKGROUND_ROWS = 50
    _login(client, enquete_campaign, Role.PILOT)
    confirmed = _upload_and_confirm(client, _file(50))
    assert confirmed["Location"] == reverse("results:overview", args=[enquete_campaign.slug])
    assert Response.objects.count() == 50 and not BackgroundJob.objects.exists()


def test_a_bad_line_fails_the_job_in_french_and_saves_nothing(client, enquete_campaign, settings):
    settings.BILAN_IMPORT_BACKGROUND_ROWS = 10
    _login(client, enquete_campaign, Role.PILOT)
    _upload_and_confirm(client, _file(30, bad_line=25))
    call_command("worker", max_passes=1, interval=0)
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED and job.payload is None
    assert "Import refusé" in job.error and "ligne 25" in job.error and "rien n'a été enregistré" in job.error
    assert not Response.objects.exists()
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "ligne 25" in page and reverse("answers:import", args=[enquete_campaign.slug]) in page


def test_the_time_limit_stops_the_job_and_nothing_is_saved(client, enquete_campaign, settings):
    settings.BILAN_IMPORT_BACKGROUND_ROWS = 10
    settings.BILAN_JOB_TIME_LIMIT = 0  # every step is over the limit: the first check stops it
    _login(client, enquete_campaign, Role.PILOT)
    _upload_and_confirm(client, _file(30))
    call_command("worker", max_passes=1, interval=0)
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED and "durée maximale" in job.error
    assert not Response.objects.exists()


def test_progress_stops_just_past_its_limit_not_at_it(enquete_campaign):
    job = create_job(academie=enquete_campaign.academie, user=None, kind="test", title="Essai")
    now = [0.0]
    progress = Progress(job, limit=10, interval=0, clock=lambda: now[0])
    now[0] = 10.0
    progress("Étape", 1, 2)  # exactly at the limit: still allowed
    assert BackgroundJob.objects.get().done == 1
    now[0] = 10.001
    with pytest.raises(JobTimeLimit):
        progress("Étape", 2, 2)


def test_a_job_already_taken_is_not_run_twice(enquete_campaign):
    job = create_job(academie=enquete_campaign.academie, user=None, kind="test", title="Essai")
    runs = []
    assert run_job(job.pk, lambda job, progress: runs.append(1) or {}) == JobStatus.DONE
    assert run_job(job.pk, lambda job, progress: runs.append(2) or {}) == JobStatus.DONE
    assert runs == [1]


def test_an_unexpected_error_is_a_plain_french_failure(enquete_campaign):
    job = create_job(academie=enquete_campaign.academie, user=None, kind="test", title="Essai", payload=b"x")

    def boom(job, progress):
        raise RuntimeError("détail interne")

    assert run_job(job.pk, boom) == JobStatus.FAILED
    job.refresh_from_db()
    assert "erreur inattendue" in job.error and "détail interne" not in job.error and job.payload is None


def test_a_job_is_its_academie_pilots_only(client, enquete_campaign):
    job = create_job(academie=enquete_campaign.academie, user=None, kind="test", title="Essai")
    other = Academie.objects.create(code="limoges", name="Limoges")
    outsider = get_user_model().objects.create_user(username="pilote-limoges", password="motdepasse-test-1")
    Membership.objects.create(user=outsider, academie=other, role=Role.PILOT)
    reader = get_user_model().objects.create_user(username="lecteur", password="motdepasse-test-1")
    Membership.objects.create(user=reader, academie=enquete_campaign.academie, role=Role.READER)
    for user in (outsider, reader):
        client.force_login(user)
        assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("core:job_status", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 302
    assert client.get(reverse("core:job_status", args=[job.pk])).status_code == 302


def test_a_job_waiting_past_the_worker_delay_warns(client, enquete_campaign, settings):
    _login(client, enquete_campaign, Role.PILOT)
    job = create_job(academie=enquete_campaign.academie, user=None, kind="test", title="Essai")
    limit = settings.BILAN_WORKER_STALE_SECONDS
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(seconds=limit - 5))
    assert client.get(reverse("core:job_status", args=[job.pk])).json()["warning"] == ""
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(seconds=limit + 5))
    assert "prévenez l'administrateur" in client.get(reverse("core:job_status", args=[job.pk])).json()["warning"]
