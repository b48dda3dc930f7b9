import pytest
from django.contrib.auth import get_user_model

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo académie, loaded once for the module (rolled back at its end)."""
    with django_db_blocker.unblock():
        from django.db import connection, transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load_demo()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connection.close()


def _user(username, role=None, academie=None):
    user = get_user_model().objects.create_user(username=username, password="motdepasse-test-1")
    if role:
        Membership.objects.create(user=user, academie=academie, role=role)
    return user


@pytest.fixture
def personas(demo_db, db):
    poitiers = Academie.objects.get(code="poitiers")
    other = Academie.objects.create(code="limoges", name="Limoges")
    return {
        "pilot": _user("pilote-test", Role.PILOT, poitiers),
        "reader": _user("lecteur-test", Role.READER, poitiers),
        "outsider": _user("pilote-limoges", Role.PILOT, other),
    }


@pytest.fixture(scope="module")
def seed_campaign(demo_db, django_db_blocker):
    """The 2023-2024 campaign (the seed report's), its automatic pass computed once for the module."""
    from bilan.commentary.services import comment_digest
    from bilan.surveys.models import Campaign

    with django_db_blocker.unblock():
        campaign = Campaign.objects.select_related("academie", "questionnaire").get(slug="2023-2024")
        comment_digest(campaign)
        return campaign
