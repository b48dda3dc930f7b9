from pathlib import Path

import pytest

from bilan.questionnaire import load_questionnaire
from tests.conftest import shared_dir

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def samples() -> Path:
    return shared_dir() / "interop-samples"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def questionnaire():
    return load_questionnaire(DATA / "enquete.yaml")
