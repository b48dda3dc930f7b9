import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bilan.roster.models import Referent

pytestmark = pytest.mark.django_db


def run(monkeypatch, *args, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("comments", *args, stdout=out)
    return out.getvalue()


def test_pseudonymise_replaces_a_roster_name_line_by_line(monkeypatch, seed_campaign, db):
    referent = Referent.objects.order_by("id").first()
    text = f"Voir avec {referent.first_name} {referent.last_name}.\nAppeler le 05 49 12 34 56.\n"
    out = run(monkeypatch, "pseudonymise", "--campaign", "2023-2024", stdin=text)
    lines = out.splitlines()
    assert lines == ["Voir avec [un·e collègue].", "Appeler le [téléphone]."]


def test_pseudonymise_without_campaign_uses_the_whole_roster(monkeypatch, seed_campaign, db):
    referent = Referent.objects.order_by("-id").first()
    out = run(monkeypatch, "pseudonymise", stdin=f"Merci à {referent.first_name} {referent.last_name} !\n")
    assert referent.last_name not in out


def test_themes_as_json_give_counts_ranks_and_quotes(monkeypatch, seed_campaign, db):
    data = json.loads(run(monkeypatch, "themes", "2023-2024", "--question", "INFO_MISSING", "--format", "json"))
    assert list(data) == ["INFO_MISSING"]
    ai = next(t for t in data["INFO_MISSING"]["themes"] if t["code"] == "ia")
    assert ai["respondents"] == 2 and ai["quotes"]


def test_themes_as_csv_have_one_row_per_theme(monkeypatch, seed_campaign, db):
    rows = list(csv.DictReader(io.StringIO(run(monkeypatch, "themes", "2023-2024", "--format", "csv"))))
    assert {"question", "rang", "thème", "répondants", "citations"} <= set(rows[0])
    assert any(r["code"] == "ia" and r["répondants"] == "2" for r in rows)


def test_an_unknown_question_is_refused_in_french(monkeypatch, seed_campaign, db):
    with pytest.raises(CommandError, match="n'est pas une question à réponse libre"):
        run(monkeypatch, "themes", "2023-2024", "--question", "WS_HELD")
