"""The read API: token authentication, the staff pages' permissions, and the figures of the services."""

import datetime as dt
import json

import pytest
import yaml
from django.utils import timezone
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from bilan.analysis.withholding import withhold_small_bases
from bilan.reports.models import ReportVersion
from bilan.results.services import campaign_results
from tests.api.conftest import STRATA


def test_without_a_token_the_api_answers_401(campaign):
    response = APIClient().get("/api/campaigns/")
    assert response.status_code == 401


def test_a_wrong_token_is_refused(campaign):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/campaigns/").status_code == 401


def test_staff_see_the_campaigns_of_their_academie_only(clients):
    listed = clients["reader"].get("/api/campaigns/").json()
    assert [c["slug"] for c in listed] == ["enquete-2024"]
    assert listed[0]["academie"] == "poitiers" and listed[0]["questionnaire"]["code"] == "enquete-interop"
    assert clients["outsider"].get("/api/campaigns/").json() == []
    assert clients["outsider"].get("/api/campaigns/enquete-2024/").status_code == 404
    assert clients["outsider"].get("/api/campaigns/enquete-2024/results/").status_code == 404
    assert clients["pilot"].get("/api/campaigns/enquete-2024/").json()["state"] == "open"


def test_participation_is_counted_by_stratum(clients):
    data = clients["reader"].get("/api/campaigns/enquete-2024/participation/").json()
    assert data["invited"] == sum(s[2] for s in STRATA) and data["submitted"] == sum(s[3] for s in STRATA)
    by_type = {row["stratum"]: (row["invited"], row["submitted"]) for row in data["by_school_type"]}
    assert by_type == {t: (invited, answered) for t, _, invited, answered in STRATA}
    by_departement = {row["stratum"]: row["submitted"] for row in data["by_departement"]}
    assert by_departement == {d: answered for _, d, _, answered in STRATA}
    assert data["rate"] == pytest.approx(sum(s[3] for s in STRATA) / sum(s[2] for s in STRATA))


def test_results_are_those_of_the_results_service(clients, campaign):
    data = clients["pilot"].get("/api/campaigns/enquete-2024/results/").json()
    assert data == json.loads(json.dumps(campaign_results(campaign).to_dict()))
    assert data["respondents"] == sum(s[3] for s in STRATA)
    filtered = clients["pilot"].get("/api/campaigns/enquete-2024/results/?type=college").json()
    assert filtered["respondents"] == 3 and not filtered["withheld"]
    assert any(question["options"] for question in filtered["questions"])


def test_readers_get_no_figure_on_fewer_respondents_than_the_threshold(clients, campaign, settings):
    assert settings.BILAN_SMALL_CELL_THRESHOLD == 5 == sum(s[3] for s in STRATA)
    data = clients["reader"].get("/api/campaigns/enquete-2024/results/").json()
    shown = withhold_small_bases(campaign_results(campaign), 5)
    assert data == json.loads(json.dumps(shown.to_dict()))
    assert not data["withheld"], "five respondents: at the threshold, shown"
    # The college stratum has 3 respondents: its figures are the pilots' alone.
    filtered = clients["reader"].get("/api/campaigns/enquete-2024/results/?type=college").json()
    assert filtered["withheld"] and filtered["respondents"] == 3
    assert all(q["withheld"] and not q["options"] and not q["breakdowns"] for q in filtered["questions"])
    settings.BILAN_SMALL_CELL_THRESHOLD = 6
    data = clients["reader"].get("/api/campaigns/enquete-2024/results/").json()
    assert data["withheld"] and not any(q["options"] for q in data["questions"])


def test_in_an_anonymous_campaign_nobody_gets_a_stratum_of_one(clients, campaign):
    """The lycée stratum has one respondent: in an anonymous campaign even a pilot gets none of their answers."""
    url = "/api/campaigns/enquete-2024/results/?type=lycee"
    named = clients["pilot"].get(url).json()
    assert named["respondents"] == 1 and not named["withheld"], "a named campaign's pilot sees everything"
    type(campaign).objects.filter(pk=campaign.pk).update(anonymous=True)  # as if created anonymous
    anonymous = clients["pilot"].get(url).json()
    assert anonymous["withheld"] and not any(q["options"] or q["numeric"] for q in anonymous["questions"])
    whole = clients["pilot"].get("/api/campaigns/enquete-2024/results/").json()
    assert not whole["withheld"] and whole["respondents"] == 5, "at the threshold, shown"


def test_a_bad_filter_is_a_400_in_french(clients):
    response = clients["reader"].get("/api/campaigns/enquete-2024/results/?type=usine")
    assert response.status_code == 400
    assert "type d'établissement inconnu" in response.json()["type"][0]


def test_published_report_versions_are_listed_and_readable(clients, campaign):
    ReportVersion.objects.create(campaign=campaign, number=1, published_at=timezone.now() - dt.timedelta(days=1),
                                 document={"title": "Être RUPN en 2023-2024", "sections": []})
    ReportVersion.objects.create(campaign=campaign, number=2, published_at=timezone.now(),
                                 document={"title": "Être RUPN en 2023-2024 (corrigé)", "sections": []})
    listed = clients["reader"].get("/api/campaigns/enquete-2024/reports/").json()
    assert [v["number"] for v in listed] == [2, 1]
    detail = clients["reader"].get(listed[1]["url"]).json()
    assert detail["document"]["title"] == "Être RUPN en 2023-2024"
    assert clients["reader"].get("/api/campaigns/enquete-2024/reports/9/").status_code == 404


def test_the_openapi_description_is_served_and_valid(campaign):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert {"/api/campaigns/", "/api/campaigns/{slug}/participation/", "/api/campaigns/{slug}/results/",
            "/api/campaigns/{slug}/reports/"} <= set(schema["paths"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_api_token_command_prints_a_working_token(clients, django_user_model):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("api_token", "lecteur", stdout=out)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    assert client.get("/api/campaigns/").status_code == 200
