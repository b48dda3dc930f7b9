import os
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie

SHARED = Path(os.environ.get("BILAN_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared")


@pytest.fixture(scope="session")
def seed():
    return yaml.safe_load((SHARED / "seed" / "seed-figures.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_db(django_db_setup, django_db_blocker):
    """The demo académie with its 2023-2024 action plan, loaded once (rolled back at the end).

    Tests that write use ``db``, whose own transaction is rolled back after each test.
    """
    with django_db_blocker.unblock():
        from django.db import connection, transaction

        from bilan.reports.services import create_demo_action_plan
        from bilan.surveys.models import Campaign

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            summary = load_demo()
            create_demo_action_plan(Campaign.objects.get(slug="2023-2024"))
            yield summary
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
        "pilot": _user("pilote-rapport", Role.PILOT, poitiers),
        "reader": _user("lecteur-rapport", Role.READER, poitiers),
        "outsider": _user("pilote-limoges-rapport", Role.PILOT, other),
    }
