"""The participation board on the demo académie: 32 % in 2023-2024, 42 % the year before."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from bilan.demo.loader import load_demo
from bilan.outreach.participation import participation
from bilan.surveys.models import Campaign


@pytest.fixture
def demo(db):
    load_demo()
    return Campaign.objects.get(slug="2023-2024")


def test_the_demo_campaigns_show_their_published_rates(demo):
    figures = participation(demo)
    # Published truncated: 145 / 446 = 32.5 % → « 32 % ».
    assert (figures.submitted, figures.invited) == (145, 446) and int(figures.rate * 100) == 32
    assert figures.previous.slug == "2022-2023"
    assert int(figures.previous_final_rate * 100) == 42
    assert figures.previous_final_rate == participation(figures.previous).rate
    # 2023-2024 ran fewer days than 2022-2023: on its last day, last year was not yet at its final rate.
    assert figures.previous_rate_same_day <= figures.previous_final_rate
    assert sum(row.invited for row in figures.by_departement) == figures.invited
    assert sum(row.submitted for row in figures.by_school_type) == figures.submitted
    assert figures.curve[-1][1] == figures.rate


def test_the_demo_board_page_shows_both_rates(client, demo):
    client.force_login(User.objects.get(username="pilote") if User.objects.filter(username="pilote").exists()
                       else User.objects.create(username="admin-demo", is_superuser=True))
    page = client.get(reverse("outreach:board", args=[demo.slug])).content.decode()
    previous = participation(demo).previous_final_rate * 100
    assert "Taux de réponse\u00a0: <strong>32,5\u00a0%</strong>" in page
    assert f'<strong id="taux-final-an-dernier">{previous:.1f}\u00a0%</strong>'.replace(".", ",") in page
    assert f"{previous:.1f}".startswith("42")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_board_in_chromium_has_no_axe_violation(live_server, new_page, assert_accessible, client):
    load_demo()
    user = User.objects.create(username="pilote-navigateur", is_superuser=True)
    client.force_login(user)
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(live_server.url + reverse("outreach:board", args=["2023-2024"]))
    assert "32,5\u00a0%" in page.locator("#taux-global").inner_text()
    assert page.locator("#taux-final-an-dernier").inner_text().startswith("42,")
    assert page.locator("svg[role=img] polyline").count() == 2
    assert_accessible(page, "tableau de participation")
    page.goto(live_server.url + reverse("outreach:reminders", args=["2024-2025"]))
    assert_accessible(page, "relances")
    page.goto(live_server.url + reverse("outreach:template", args=["2024-2025", "invitation"]))
    assert_accessible(page, "modèle de courriel")
