"""The demo's codebook and comments give the seed report's comment figures."""

from pathlib import Path

import pytest
import yaml

from bilan.commentary.services import comment_digest

pytestmark = pytest.mark.django_db

MAPPING = yaml.safe_load((Path(__file__).parents[2] / "bilan/questionnaire/builtin/bilan-rupn.seed-mapping.yaml")
                         .read_text(encoding="utf-8"))
SEED_FIGURES = Path("/work/shared/seed/seed-figures.yaml")


def test_the_mapping_agrees_with_the_seed_figures_when_present():
    if SEED_FIGURES.exists():
        figures = {f["id"]: f for f in yaml.safe_load(SEED_FIGURES.read_text(encoding="utf-8"))["figures"]}
        assert figures["info-missing-ai"]["value"] == MAPPING["figures"]["info-missing-ai"]["expected"]


def test_as_many_respondents_ask_how_to_use_ai_as_in_the_seed(seed_campaign):
    spec = MAPPING["figures"]["info-missing-ai"]
    ai = next(t for t in comment_digest(seed_campaign)[spec["question"]].themes if t.code == "ia")
    assert ai.respondents == spec["expected"]
    assert ai.rank == min(t.rank for t in comment_digest(seed_campaign)[spec["question"]].themes if t.respondents == 2)
