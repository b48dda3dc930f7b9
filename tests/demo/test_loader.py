import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client

from bilan.demo.loader import PILOT, load_demo
from bilan.surveys.models import Campaign, Response

BILAN = str(Path(sys.executable).with_name("bilan"))


@pytest.fixture
def demo(db):
    return load_demo()


def test_it_loads_both_campaigns_with_the_published_participation(demo):
    current = Campaign.objects.get(slug="2023-2024")
    assert current.invitations.count() == 446
    responses = Response.objects.filter(campaign=current, status="submitted")
    assert responses.count() == 145
    assert Counter(responses.values_list("school_type", flat=True)) == {"college": 89, "lycee": 33, "lp": 20, "erea": 3}
    # The report truncates response rates (145/446 = 32.5 % is published as 32 %).
    assert 100 * 145 // 446 == 32
    previous = Campaign.objects.get(slug="2022-2023")
    assert current.previous == previous
    assert 100 * previous.responses.count() // previous.invitations.count() == 42


def test_every_answer_keeps_its_strata_and_is_linked_to_its_invitation(demo):
    for response in Response.objects.filter(campaign__slug="2023-2024").select_related("invitation"):
        assert response.invitation.submitted_at is not None
        assert response.school_type == response.invitation.school_type
        assert response.departement_code in {"16", "17", "79", "86"}


def test_the_printed_link_opens_the_form_of_the_open_campaign(demo):
    response = Client().get(demo.respondent_path)
    assert response.status_code == 200
    assert "Bilan des RUPN 2025/2026" in response.content.decode()


def test_the_pilot_can_sign_in_and_sees_the_campaigns(demo):
    client = Client()
    # Through the login form: django-axes checks every login against its request.
    assert client.post("/connexion/", {"username": PILOT[0], "password": PILOT[1]})["Location"] == "/"
    page = client.get("/").content.decode()
    for slug in ("2022-2023", "2023-2024", "2024-2025", "2025-2026"):
        assert slug in page


def test_running_the_loader_twice_keeps_the_data(demo):
    again = load_demo()
    assert not again.created
    assert Response.objects.filter(campaign__slug="2023-2024").count() == 145
    assert again.respondent_path != demo.respondent_path  # a fresh token each time, both valid


def test_bilan_demo_builds_its_own_database_and_can_run_again(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    demo_dir = tmp_path / "demo"
    first = subprocess.run([BILAN, "demo", "--dir", str(demo_dir), "--no-serve"], capture_output=True, text=True,
                           env=env, cwd=tmp_path, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Compte pilote : pilote" in first.stdout
    assert "/r/" in first.stdout
    database = demo_dir / "bilan.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "select count(*) from surveys_response r join surveys_campaign c on c.id = r.campaign_id "
            "where c.slug = '2023-2024'").fetchone() == (145,)
    second = subprocess.run([BILAN, "demo", "--dir", str(demo_dir), "--no-serve"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "Données existantes conservées" in second.stdout
    assert not (tmp_path / "bilan.sqlite3").exists()


def test_the_demo_marks_quotes_for_the_report_and_none_names_a_person(demo):
    import re

    from bilan.commentary.models import PublishedQuote
    from bilan.demo.loader import QUOTED_QUESTIONS
    from bilan.roster.models import Referent, School

    quotes = list(PublishedQuote.objects.filter(response__campaign__slug="2023-2024"))
    assert {q.question_code for q in quotes} == set(QUOTED_QUESTIONS)
    assert len(quotes) >= len(QUOTED_QUESTIONS) * 2
    names = {r.last_name for r in Referent.objects.all()} | {s.name for s in School.objects.all()}
    for quote in quotes:
        for name in names:
            assert not re.search(rf"\b{re.escape(name)}\b", quote.text), (name, quote.text)


def test_bilan_demo_prints_links_on_the_address_it_is_told(tmp_path):
    # `make demo ADDR=127.0.0.1:8401` passes the address on; every link shown follows it.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SITE_URL")}
    run = subprocess.run([BILAN, "demo", "--dir", str(tmp_path / "demo"), "--no-serve", "--addr", "127.0.0.1:8401"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "  Pages de l'équipe : http://127.0.0.1:8401/" in lines
    respondent = next(line for line in lines if "Lien d'un·e répondant·e" in line)
    assert respondent.split(" : ", 1)[1].startswith("http://127.0.0.1:8401/r/")
    assert "127.0.0.1:8000" not in run.stdout
