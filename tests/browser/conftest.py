"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server.

Browser tests are required in CI: when Chromium is missing and ``CI`` is set,
they fail. On a developer machine without Chromium they are deselected, and
the run says why (the hook is in tests/conftest.py, for every ``browser`` test).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread, where the
# test also uses the ORM to build its data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.surveys.conftest import (  # noqa: E402,F401  (shared personas)
    academie, campaign, complete_answers, invitation, invited, referent, school, token,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: browser tests are required in CI (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """Open pages in fresh contexts (no shared cookies), phone-sized, French."""
    contexts = []

    def open_page(**options):
        context = chromium.new_context(viewport=VIEWPORT, locale="fr-FR", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; fail listing every violation."""
    checked = []

    def check(page, label: str):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
                                         "resultTypes": ["violations"]})
        violations = results.response["violations"]
        checked.append(label)
        assert not violations, f"axe-core, page « {label} » ({page.url}):\n" + results.generate_report()

    check.checked = checked
    return check
