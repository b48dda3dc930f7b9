"""Fixtures and hooks shared by every test area; each area adds its own conftest.py.

- ``demo_db``: the demo académie (``bilan demo``'s data), there for a whole module
  and rolled back at its end; modules using it carry ``pytest.mark.django_db``
  (pytest-django sets up the test database only for tests that ask for it).
  ``load_demo()`` builds it once per test process; the next modules get a copy
  of the rows it inserted (``DemoSnapshot``), which takes a fraction of the time.
- ``personas``: a pilot and a reader of the demo académie, and an outsider
  (a pilot of another académie).
- Tests marked ``browser`` need Debian's Chromium: on a developer machine
  without it they are deselected with a message; in CI (``CI`` set) they run
  and fail if it is missing.
"""

import dataclasses
import functools
import os
from datetime import datetime, timedelta
from graphlib import TopologicalSorter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from bilan.core.models import Membership, Role
from bilan.demo.loader import DemoSummary, load_demo
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
    """The demo académie, there for the whole module (rolled back at its end).

    The first module runs ``load_demo()`` (≈ 5 s) and keeps a snapshot of what it inserted; the next ones
    get the same rows back from it (a fraction of a second), unless the database they start from differs.
    """
    global _demo_snapshot  # one per test process (so one per xdist worker too)

    with django_db_blocker.unblock():
        from django.db import connection, transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            before = _read_tables(connection)
            if _demo_snapshot is not None and _demo_snapshot.applies_to(before):
                yield _demo_snapshot.restore(connection)
            else:
                summary = load_demo()
                _demo_snapshot = DemoSnapshot.take(connection, before, timezone.now(), summary)
                yield summary
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connection.close()


TableRows = dict[str, tuple[list[str], list[tuple]]]  # table -> (column names, rows)


def _read_tables(connection) -> TableRows:
    """Every row of every table, in the order a plain SELECT gives them: on PostgreSQL, the order they are
    stored in, which the copy keeps (a query without ORDER BY then lists them as after load_demo())."""
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608  (names from the schema)
            tables[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return tables


def _fingerprint(tables: TableRows) -> dict[str, frozenset[str]]:
    # Rows by their repr: PostgreSQL hands back lists for array columns, which are not hashable.
    return {table: frozenset(map(repr, rows)) for table, (_columns, rows) in tables.items()}


@dataclasses.dataclass
class DemoSnapshot:
    """The rows ``load_demo()`` inserted, to put them back in a later module's transaction.

    - It applies only to the database it was taken on (the same rows in every table beforehand: content
      types and permissions, which a transactional test's flush re-creates under new ids, for instance);
      otherwise ``load_demo()`` runs again.
    - Rows keep their ids; on PostgreSQL each sequence is then set to its table's largest id (SQLite's
      AUTOINCREMENT follows explicit ids by itself).
    - Dates and times that came from the clock (``auto_now``, ``timezone.now()``, the open campaign's
      « three days ago » and « in 40 days ») move forward by the time elapsed since the load ended, so
      that a module sees its data as if the load had just ended: nothing « was created 20 minutes ago »,
      and nothing is later than the module's first test either (a test may check that its own change
      stamps a later time). The demo's own history (generator.CAMPAIGN_WINDOWS) lies years before and
      keeps its dates.
    - The respondent link of the summary stays valid: its token's row is part of the copy.
    """

    before: dict[str, frozenset[str]]
    inserted: list[tuple[str, list[str], list[tuple]]]  # (table, columns, rows), referenced tables first
    loaded_at: datetime  # when load_demo() returned
    summary: DemoSummary

    # Dates and times from less than this before the load came from the clock, not from the demo's history.
    CLOCK_HORIZON = timedelta(days=30)

    @classmethod
    def take(cls, connection, before: TableRows, loaded_at: datetime, summary: DemoSummary) -> "DemoSnapshot":
        before_rows = _fingerprint(before)
        inserted = {}
        for table, (columns, rows) in _read_tables(connection).items():
            old = before_rows.get(table, frozenset())
            kept = {repr(row) for row in rows} & old
            if kept != old:
                raise RuntimeError(f"load_demo() changed or deleted rows of {table} that were there before it: "
                                   "the demo snapshot (tests/conftest.py) only knows how to add rows.")
            new_rows = [row for row in rows if repr(row) not in old]
            if new_rows:
                inserted[table] = (columns, new_rows)
        ordered = [(table, *inserted[table]) for table in _referenced_first(inserted)]
        return cls(before=before_rows, inserted=ordered, loaded_at=loaded_at, summary=summary)

    def applies_to(self, before: TableRows) -> bool:
        return _fingerprint(before) == self.before

    def restore(self, connection) -> DemoSummary:
        from django.core.management.color import no_style

        quote = connection.ops.quote_name
        shift = timezone.now() - self.loaded_at
        models = _models_by_table()
        with connection.cursor() as cursor:
            for table, columns, rows in self.inserted:
                model = models.get(table)
                datetime_columns = {field.column for field in model._meta.concrete_fields
                                    if field.get_internal_type() == "DateTimeField"} if model else set()
                shifted = [index for index, column in enumerate(columns) if column in datetime_columns]
                if shifted:
                    rows = [self._shift_row(connection, row, shifted, shift) for row in rows]
                insert = (f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
                          f"VALUES ({', '.join(['%s'] * len(columns))})")
                cursor.executemany(insert, rows)
            # Inserting explicit ids does not move PostgreSQL's sequences.
            touched = [models[table] for table, _columns, _rows in self.inserted if table in models]
            for statement in connection.ops.sequence_reset_sql(no_style(), touched):
                cursor.execute(statement)
        return dataclasses.replace(self.summary, notes=list(self.summary.notes))

    def _shift_row(self, connection, row: tuple, indexes: list[int], shift: timedelta) -> tuple:
        from django.utils.dateparse import parse_datetime

        row = list(row)
        for index in indexes:
            value = row[index]
            if value is None:
                continue
            # SQLite hands back the stored text (naive, in the connection's time zone).
            moment = parse_datetime(value) if isinstance(value, str) else value
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, connection.timezone)
            if moment >= self.loaded_at - self.CLOCK_HORIZON:
                row[index] = connection.ops.adapt_datetimefield_value(moment + shift)
        return tuple(row)


_demo_snapshot: DemoSnapshot | None = None


def _models_by_table() -> dict:
    from django.apps import apps

    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def _referenced_first(tables) -> list[str]:
    """The tables in an order where each comes after those its foreign keys point to (Django's
    constraints are deferred to the commit, which never comes here, but a copy in order is valid all along)."""
    models = _models_by_table()
    graph = {}
    for table in tables:
        fields = models[table]._meta.concrete_fields if table in models else []
        referenced = {field.related_model._meta.db_table for field in fields if field.is_relation}
        graph[table] = referenced & (set(tables) - {table})
    return list(TopologicalSorter(graph).static_order())


@functools.cache
def _persona_password_hash() -> str:
    """The personas' password, hashed once for the run: ``make_password()`` takes a quarter of a second
    (PBKDF2, as in production), three times for each of the 300-odd tests using ``personas``."""
    from django.contrib.auth.hashers import make_password

    return make_password("motdepasse-test-1")


def _user(username, role=None, academie=None):
    # As create_user(username=username, password="motdepasse-test-1"), with the hash made once.
    user = get_user_model().objects.create(username=username, password=_persona_password_hash())
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
