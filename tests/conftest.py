"""Fixtures and hooks shared by every test area; each area adds its own conftest.py.

- ``demo_db``: the demo académie (``bilan demo``'s data), loaded once per module
  and rolled back at its end; modules using it carry ``pytest.mark.django_db``
  (pytest-django sets up the test database only for tests that ask for it).
- ``personas``: a pilot and a reader of the demo académie, and an outsider
  (a pilot of another académie).
- Tests marked ``browser`` need Debian's Chromium: on a developer machine
  without it they are deselected with a message; in CI (``CI`` set) they run
  and fail if it is missing.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie
from tests.smtp import SmtpServer

CHROMIUM = Path("/usr/bin/chromium")
_deselected = []

# Playwright's sync API runs an event loop in the test's thread, where the
# test also uses the ORM to build its data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def shared_dir() -> Path:
    """``shared/`` beside the checkout (seed report, interop samples), or ``$BILAN_SHARED_DIR``."""
    if os.environ.get("BILAN_SHARED_DIR"):
        return Path(os.environ["BILAN_SHARED_DIR"])
    return Path(__file__).resolve().parents[1].parent / "shared"


def pytest_collection_modifyitems(config, items):
    """Tests that need what this machine lacks are deselected, with the reason at the end of the run;
    in CI (``CI`` set) nothing is: Chromium and PostgreSQL are required there (.ci/run runs the
    PostgreSQL-only tests in its PostgreSQL pass, and leaves them out of the SQLite one with -m)."""
    if os.environ.get("CI"):
        return
    if not CHROMIUM.exists():
        _deselect(config, items, "browser", f"browser test(s) deselected: {CHROMIUM} not found "
                                            "(apt-get install chromium); they are required when CI is set.")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _deselect(config, items, "postgres", "PostgreSQL test(s) deselected: DATABASE_URL does not point to "
                                             "PostgreSQL (DATABASE_URL=postgres://… runs them).")


@pytest.fixture(autouse=True)
def postgresql_when_marked(request):
    """A ``postgres`` test reached on another database fails: in CI it is required, and off CI the hook
    above has already deselected it unless it was asked for by name."""
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.fail("ce test demande PostgreSQL : définir DATABASE_URL=postgres://…")


def _deselect(config, items, marker: str, reason: str) -> None:
    dropped = [item for item in items if item.get_closest_marker(marker)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
        _deselected.append(f"{len(dropped)} {reason}")


def pytest_terminal_summary(terminalreporter):
    for reason in _deselected:
        terminalreporter.write_line(reason, yellow=True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test's rows may come back under the same ids
    in the next one (SQLite reuses them), and the results cache is keyed by ids and counts."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo académie, loaded once for the module (rolled back at its end)."""
    with django_db_blocker.unblock():
        from django.db import connection, transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load_demo()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connection.close()


def _user(username, role=None, academie=None):
    user = get_user_model().objects.create_user(username=username, password="motdepasse-test-1")
    if role:
        Membership.objects.create(user=user, academie=academie, role=role)
    return user


@pytest.fixture
def personas(demo_db, db):
    poitiers = Academie.objects.get(code="poitiers")
    other = Academie.objects.create(code="limoges", name="Limoges")
    return {
        "pilot": _user("pilote-test", Role.PILOT, poitiers),
        "reader": _user("lecteur-test", Role.READER, poitiers),
        "outsider": _user("pilote-limoges", Role.PILOT, other),
    }


# --- Real Chromium (Debian's) driven by Playwright, and axe-core ------------------------------

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


# --- Static files collected as `bilan serve` collects them (tests/production_static.py) ---------

@pytest.fixture(scope="session")
def production_static_root(tmp_path_factory):
    """STATIC_ROOT after `bilan serve`'s collection: hashed names, gzip and brotli copies (20 s, once)."""
    from tests.production_static import collect_like_bilan_serve

    static_root = tmp_path_factory.mktemp("static")
    collect_like_bilan_serve(static_root)
    return static_root


# --- A real SMTP server on loopback -------------------------------------------------------------

@pytest.fixture
def smtp(settings):
    """aiosmtpd on 127.0.0.1 (tests/smtp.py), Django's e-mail settings pointed at it."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_RATE_PER_SECOND = 0
    yield server
    server.stop()
