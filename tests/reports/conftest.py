import pytest
import yaml

from tests.conftest import shared_dir


@pytest.fixture(scope="session")
def seed():
    return yaml.safe_load((shared_dir() / "seed" / "seed-figures.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_db(demo_db, django_db_blocker):
    """The shared demo académie, plus the demo action plan of 2023-2024 (rolled back with it)."""
    from bilan.reports.services import create_demo_action_plan
    from bilan.surveys.models import Campaign

    with django_db_blocker.unblock():
        create_demo_action_plan(Campaign.objects.get(slug="2023-2024"))
    return demo_db
