import pytest


@pytest.fixture(scope="module")
def seed_campaign(demo_db, django_db_blocker):
    """The 2023-2024 campaign (the seed report's), its automatic pass computed once for the module."""
    from bilan.commentary.services import comment_digest
    from bilan.surveys.models import Campaign

    with django_db_blocker.unblock():
        campaign = Campaign.objects.select_related("academie", "questionnaire").get(slug="2023-2024")
        comment_digest(campaign)
        return campaign
