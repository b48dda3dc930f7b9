"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server.

Browser tests are required in CI: when Chromium is missing and ``CI`` is set,
they fail. On a developer machine without Chromium they are deselected, and
the run says why (the hook is in tests/conftest.py, for every ``browser`` test).
"""

from tests.surveys.conftest import (  # noqa: F401  (shared personas)
    academie,
    campaign,
    complete_answers,
    invitation,
    invited,
    referent,
    school,
    token,
)

