"""Migration 0002: the shared codebook rows go to each académie whose campaigns use the questionnaire."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("commentary", "0001_initial")]
AFTER = [("commentary", "0002_codebooks_per_academie")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_migrations():
    """Later tests find every table again (this one leaves the app at 0002 otherwise)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_themes_are_copied_to_every_academie_using_the_questionnaire():
    apps = _migrate(BEFORE)
    Academie = apps.get_model("roster", "Academie")
    QuestionnaireVersion = apps.get_model("surveys", "QuestionnaireVersion")
    Campaign = apps.get_model("surveys", "Campaign")
    ThemeRecord = apps.get_model("commentary", "ThemeRecord")
    DismissedSuggestion = apps.get_model("commentary", "DismissedSuggestion")
    poitiers = Academie.objects.create(code="poitiers", name="Poitiers")
    limoges = Academie.objects.create(code="limoges", name="Limoges")
    Academie.objects.create(code="nantes", name="Nantes")
    shared = QuestionnaireVersion.objects.create(code="bilan-rupn", version="1", title="Bilan", source_yaml="x")
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    for slug, academie in (("p-2023", poitiers), ("p-2024", poitiers), ("l-2024", limoges)):
        Campaign.objects.create(slug=slug, title=slug, academie=academie, school_year="2023-2024",
                                questionnaire=shared, opens_at=moment, closes_at=moment)
    ThemeRecord.objects.create(questionnaire_code="bilan-rupn", code="ia", label="Renommé avant")
    ThemeRecord.objects.create(questionnaire_code="orphelin", code="x", label="Sans campagne")
    DismissedSuggestion.objects.create(questionnaire_code="bilan-rupn", question_code="Q", label="Écartée")

    apps = _migrate(AFTER)
    ThemeRecord = apps.get_model("commentary", "ThemeRecord")
    DismissedSuggestion = apps.get_model("commentary", "DismissedSuggestion")
    rows = sorted(ThemeRecord.objects.values_list("academie__code", "code", "label"))
    assert rows == [("limoges", "ia", "Renommé avant"), ("poitiers", "ia", "Renommé avant")]
    assert sorted(DismissedSuggestion.objects.values_list("academie__code", flat=True)) == ["limoges", "poitiers"]
