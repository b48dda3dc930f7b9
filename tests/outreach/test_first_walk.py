"""What a first walk through the participation board found (issue 12), on the demo académie."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bilan.french import NBSP
from bilan.surveys.models import Campaign, Response, ResponseStatus
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_answer(demo_db, db):
    """The open demo campaign with exactly one answer sent, its link opened by that person only."""
    campaign = Campaign.objects.get(slug="2025-2026")
    Response.objects.filter(campaign=campaign).delete()
    campaign.invitations.update(opened_at=None, started_at=None, submitted_at=None)
    invitation = campaign.invitations.first()
    now = timezone.now()
    campaign.invitations.filter(pk=invitation.pk).update(opened_at=now, started_at=now, submitted_at=now)
    Response.objects.create(campaign=campaign, invitation=invitation, status=ResponseStatus.SUBMITTED,
                            school_type=invitation.school_type, departement_code=invitation.departement_code,
                            answers={}, submitted_on=timezone.localdate())
    return campaign


def test_one_answer_is_written_in_the_singular(personas, one_answer):
    page = page_text(personas["reader"], reverse("outreach:board", args=[one_answer.slug]))
    invited = one_answer.invitations.count()
    assert f"(1{NBSP}réponse sur {invited}{NBSP}invitations)" in page
    assert "1 réponses" not in page and f"1{NBSP}réponses" not in page


def test_every_step_is_a_share_of_the_invitations_with_the_same_precision(personas, one_answer):
    page = page_text(personas["reader"], reverse("outreach:board", args=[one_answer.slug]))
    steps = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>[^<]*</td><td>([^<]*)</td></tr>', page))
    share = steps["Réponse envoyée"]
    assert share.startswith("0,") and share.endswith(f"{NBSP}%")  # 1 of ~450: 0,2 %, not « 0 % »
    assert steps["Lien ouvert"] == steps["Questionnaire commencé"] == share
    assert steps["Invitées"] == f"100,0{NBSP}%"


def test_reminder_times_are_written_18_h_01(personas):
    page = page_text(personas["pilot"], reverse("outreach:reminders", args=["2025-2026"]))
    moments = re.findall(rf"<li>j[+-]\d+{NBSP}: (.*?)</li>", page)
    assert moments, "the open demo campaign plans reminders"
    for moment in moments:
        assert re.search(rf" à \d{{1,2}}{NBSP}h{NBSP}\d\d$", moment), moment
        assert not re.search(r"\d:\d\d", moment)
