"""Demo data shared by the demo tests: built once per session (the generator is pure and fast)."""

import os
from pathlib import Path

import pytest
import yaml

from bilan.demo.generator import build_academie, build_campaign_answers
from bilan.questionnaire import builtin_path, load_builtin


def shared_seed_dir() -> Path:
    """shared/seed next to the checkout, or under $BILAN_SHARED_DIR."""
    candidates = [Path(__file__).resolve().parents[2].parent / "shared" / "seed"]
    if os.environ.get("BILAN_SHARED_DIR"):
        shared = Path(os.environ["BILAN_SHARED_DIR"])
        candidates += [shared / "seed", shared]
    for candidate in candidates:
        if (candidate / "seed-figures.yaml").is_file():
            return candidate
    raise FileNotFoundError("seed-figures.yaml introuvable ; cherché dans : " + ", ".join(map(str, candidates)))


@pytest.fixture(scope="session")
def seed_figures():
    return yaml.safe_load((shared_seed_dir() / "seed-figures.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_mapping():
    path = builtin_path("bilan-rupn").with_name("bilan-rupn.seed-mapping.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def questionnaire():
    return load_builtin("bilan-rupn")


@pytest.fixture(scope="session")
def academie():
    return build_academie()


@pytest.fixture(scope="session")
def answers_by_year(academie, questionnaire):
    return {year: build_campaign_answers(academie, questionnaire, year) for year in ("2022-2023", "2023-2024")}
