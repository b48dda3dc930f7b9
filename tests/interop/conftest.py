import os
from pathlib import Path

import pytest

from bilan.questionnaire import load_questionnaire

DATA = Path(__file__).resolve().parent / "data"


def _samples_dir() -> Path:
    default = Path(__file__).resolve().parents[2].parent / "shared/interop-samples"
    if default.is_dir():
        return default
    return Path(os.environ.get("BILAN_SHARED_DIR", "/work/shared")) / "interop-samples"


@pytest.fixture
def samples() -> Path:
    return _samples_dir()


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def questionnaire():
    return load_questionnaire(DATA / "enquete.yaml")
