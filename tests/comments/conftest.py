from pathlib import Path

import pytest
import yaml

from bilan.comments import Codebook, Comment, Person, Pseudonymiser

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def labelled():
    return yaml.safe_load((DATA / "labelled.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def codebook(labelled):
    return Codebook.from_dict(labelled["codebook"])


@pytest.fixture(scope="session")
def labelled_comments(labelled):
    return [Comment(i, item["text"]) for i, item in enumerate(labelled["items"])]


@pytest.fixture(scope="session")
def pseudonymisation_corpus():
    return yaml.safe_load((DATA / "pseudonymisation.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def roster_pseudonymiser(pseudonymisation_corpus):
    roster = pseudonymisation_corpus["roster"]
    return Pseudonymiser([Person(**p) for p in roster["people"]], roster["schools"])


@pytest.fixture(scope="session")
def development():
    """Labelled comments written apart from labelled.yaml; the algorithm's constants were chosen on them."""
    return yaml.safe_load((DATA / "development.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def development_comments(development):
    return [Comment(f"dev-{i}", item["text"]) for i, item in enumerate(development["items"])]
