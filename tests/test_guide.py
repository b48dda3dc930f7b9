"""The pilot's guide (docs/guide-pilote.md) names a page for each step of the year, and its pictures exist.

The pictures are those the whole-year browser test takes (``make guide``); each one the guide shows is a
file, and each one the test takes is in the guide.
"""

import re
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide-pilote.md"
YEAR_TEST = ROOT / "tests" / "browser" / "test_the_year.py"

# Each step that once needed the command line, and the page that does it now.
STEP_PAGES = {
    "campagne": ("dashboard:campaign_new", {"academie": "<académie>"}),
    "états de la campagne": ("dashboard:campaign", {"slug": "<campagne>"}),
    "questionnaire": ("questionnaires:detail", {"slug": "<campagne>"}),
    "référentiel": ("roster:index", {"academie": "<académie>"}),
    "invitations et envoi": ("outreach:invitations", {"slug": "<campagne>"}),
    "plan d'action": ("reports:actions", {"slug": "<campagne>"}),
    "comptes": ("accounts:team", {"academie": "<académie>"}),
}


def test_the_guide_names_the_page_of_each_step():
    guide = GUIDE.read_text(encoding="utf-8")
    for step, (name, kwargs) in STEP_PAGES.items():
        path = reverse(name, kwargs=dict.fromkeys(kwargs, "PLACEHOLDER"))
        for shown in kwargs.values():
            path = path.replace("PLACEHOLDER", shown, 1)
        assert f"`{path}`" in guide, f"{step}: the guide does not name {path}"


def test_every_picture_of_the_guide_is_taken_by_the_year_test_and_exists():
    guide = GUIDE.read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(guide-pilote/([a-z-]+\.jpg)\)", guide))
    taken = set(re.findall(r'"([a-z-]+\.jpg)"', YEAR_TEST.read_text(encoding="utf-8")))
    assert shown, "the guide shows no picture"
    assert shown <= taken, f"pictures no test takes: {sorted(shown - taken)}"
    missing = [name for name in shown if not (GUIDE.parent / "guide-pilote" / name).is_file()]
    assert not missing, f"run `make guide`: missing {missing}"
