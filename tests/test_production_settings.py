"""Production settings (issue 13, finding 8): a secret key or no start, HTTPS, CSP, no cache.

The production environment is the one docs/configuration.md documents (its « Production »
block, read here): ``bilan check --deploy`` with it prints no warning; without its secret key
the web application refuses to start.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from bilan.core.checks import check_secret_key

ROOT = Path(__file__).resolve().parents[1]
BILAN = str(Path(sys.executable).parent / "bilan")
TEMPLATES = sorted(ROOT.glob("bilan/**/templates/**/*.html"))


def documented_environment() -> dict[str, str]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    block = re.search(r"## Production\n.*?```sh\n(.*?)```", text, re.S).group(1)
    pairs = [line.split("=", 1) for line in block.splitlines() if line.strip() and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def process_env(tmp_path, **changes) -> dict[str, str]:
    """The documented environment, its key file written in ``tmp_path``, nothing else of ours."""
    documented = documented_environment()
    key = tmp_path / "secret-key"
    key.write_text(secrets.token_urlsafe(50) + "\n", encoding="utf-8")
    documented["SECRET_KEY_FILE"] = str(key)
    documented.pop("DATABASE_URL")  # the check opens no database; never point tests at a shared one
    ours = {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "SITE_URL", "ALLOWED_HOSTS", "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
            "SECURE_PROXY_SSL_HEADER", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {name: value for name, value in os.environ.items() if name not in ours}
    env.update(documented)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args, tmp_path, env) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_the_documented_environment_is_complete():
    documented = documented_environment()
    assert documented["SITE_URL"].startswith("https://") and "SECRET_KEY_FILE" in documented
    assert "DEBUG" not in documented


def test_check_deploy_prints_no_warning_with_the_documented_production_environment(tmp_path):
    result = run([BILAN, "check", "--deploy"], tmp_path, process_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?: (" not in output


def test_without_a_secret_key_the_application_refuses_to_start(tmp_path):
    env = process_env(tmp_path, SECRET_KEY_FILE=None)
    check = run([BILAN, "check", "--deploy"], tmp_path, env)
    assert check.returncode != 0 and "bilan.E002" in check.stderr
    assert "aucune clé secrète n'est définie" in check.stderr
    # Any WSGI server (gunicorn, uwsgi, runserver) imports bilan.wsgi: it stops there.
    wsgi = run([sys.executable, "-c", "import bilan.wsgi"], tmp_path, env)
    assert wsgi.returncode != 0
    assert "ImproperlyConfigured: Bilan refuse de démarrer" in wsgi.stderr and "SECRET_KEY_FILE" in wsgi.stderr
    # With the key, the same import starts the application.
    assert run([sys.executable, "-c", "import bilan.wsgi"], tmp_path, process_env(tmp_path)).returncode == 0


def test_bilan_serve_refuses_the_development_key_without_debug(settings, monkeypatch):
    monkeypatch.setattr("os.execve", lambda *args: pytest.fail("gunicorn must not start"))
    settings.DEBUG = False
    settings.SITE_URL = "https://bilan.ac-poitiers.fr"
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    with pytest.raises(SystemCheckError, match=r"bilan\.E002"):
        call_command("serve")


@pytest.mark.parametrize(("debug", "key", "refused"), [
    (True, None, False),            # development: the public key is fine
    (False, None, True),            # production without a key
    (False, "k" * 60, True),        # one character repeated
    (False, "abcdefghij" * 4 + "abcdefghi", True),  # 49 characters: one short
    (False, "abcdefghij" * 5, False),               # 50 characters
])
def test_the_secret_key_check_at_its_edges(settings, debug, key, refused):
    settings.DEBUG = debug
    settings.SECRET_KEY = key or settings.DEVELOPMENT_SECRET_KEY
    errors = check_secret_key()
    assert [error.id for error in errors] == (["bilan.E002"] if refused else [])


def _settings_in(tmp_path, env) -> dict:
    code = ("import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'bilan.settings'); "
            "from django.conf import settings as s; print(json.dumps({n: getattr(s, n) for n in ("
            "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
            "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))")
    result = run([sys.executable, "-c", code], tmp_path, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_https_settings_follow_an_https_site_url_and_each_can_be_set(tmp_path):
    production = _settings_in(tmp_path, process_env(tmp_path))
    assert production == {"SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
                          "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                          "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
                          "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True}
    tuned = _settings_in(tmp_path, process_env(tmp_path, SECURE_HSTS_SECONDS="3600", SECURE_PROXY_SSL_HEADER="",
                                               SECURE_SSL_REDIRECT="false"))
    assert (tuned["SECURE_HSTS_SECONDS"], tuned["SECURE_PROXY_SSL_HEADER"], tuned["SECURE_SSL_REDIRECT"]) == (
        3600, None, False)
    local = _settings_in(tmp_path, process_env(tmp_path, SITE_URL="http://127.0.0.1:8000"))
    assert not local["SECURE_SSL_REDIRECT"] and local["SECURE_HSTS_SECONDS"] == 0
    assert local["SECURE_PROXY_SSL_HEADER"] is None and not local["SESSION_COOKIE_SECURE"]


# --- headers of the pages --------------------------------------------------------------------

def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_the_csp_and_no_store_and_static_files_stay_cacheable(client, personas, demo_db):
    client.force_login(personas["pilot"])
    pages = [reverse("dashboard:home"), reverse("outreach:board", args=["2023-2024"]), reverse("core:login")]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url
        policy = _csp(response)
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert not any("unsafe" in source for sources in policy.values() for source in sources)
    static = client.get("/static/core/bilan.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_download_with_personal_data_is_not_stored(client, personas, demo_db):
    client.force_login(personas["pilot"])
    response = client.get(reverse("reports:download", args=["2023-2024", "md"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_a_respondent_page_is_not_stored(client, db):
    response = client.get("/r/un-lien-qui-n-existe-pas/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_needs_unsafe_inline(path):
    """The CSP allows no inline script, event handler or style attribute: no template may hold one."""
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>: move it to a static file"
    assert not re.search(r"\son[a-z]+\s*=", text), "event handler attribute: use addEventListener in a static file"
    assert not re.search(r"\sstyle\s*=", text), "style attribute: use a class of a static stylesheet"
    assert "<style" not in text, "<style> element: use a static stylesheet"
    assert "javascript:" not in text


@pytest.mark.parametrize("url", ["", "sqlite:////tmp/bilan-essai.sqlite3"])
def test_sqlite_waits_for_other_writers_however_it_is_named(url):
    """WAL, a busy timeout and IMMEDIATE transactions, with or without DATABASE_URL: without them two
    processes writing at once answered « database is locked » (a 500 page) under load."""
    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bilan.settings"}
    code = ("import django; django.setup(); from django.db import connection; "
            "print(connection.settings_dict['OPTIONS'].get('transaction_mode'), "
            "'busy_timeout' in connection.settings_dict['OPTIONS'].get('init_command', ''))")
    shown = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["IMMEDIATE", "True"]
