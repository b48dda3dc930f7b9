"""Static files as production serves them: hashed names, compressed, cached for a year; the respondent's icons."""

import gzip
import re
import urllib.request
from pathlib import Path

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

import bilan
from tests.production_static import production_server

A_YEAR = 365 * 24 * 3600
HASHED = re.compile(r"\.[0-9a-f]{12}\.")


def fetch(url: str, accept_encoding: str):
    # The test server on loopback, over http.
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept_encoding})  # noqa: S310
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def max_age(cache_control: str) -> int:
    return int(re.search(r"max-age=(\d+)", cache_control).group(1))


@pytest.mark.django_db(transaction=True)  # the server's request signals check its connection
def test_a_hashed_static_file_is_served_compressed_and_cached_for_a_year(production_static_root):
    with production_server(production_static_root) as address:
        hashed_url = static("dsfr/dist/dsfr/dsfr.main.min.css")
        assert HASHED.search(hashed_url), hashed_url
        collected = (production_static_root / hashed_url.removeprefix("/static/")).read_bytes()

        status, headers, body = fetch(address + hashed_url, "gzip, br")
        assert status == 200 and headers["Content-Encoding"] == "br"
        assert "immutable" in headers["Cache-Control"] and max_age(headers["Cache-Control"]) >= A_YEAR
        assert brotli.decompress(body) == collected
        assert len(body) < len(collected) / 8  # 51 KB for 576 KB

        _, headers, body = fetch(address + hashed_url, "gzip")
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == collected
        # The same file under its plain name may change with the next version: cached briefly, not for ever.
        _, headers, _ = fetch(address + "/static/dsfr/dist/dsfr/dsfr.main.min.css", "gzip, br")
        assert "immutable" not in headers["Cache-Control"] and max_age(headers["Cache-Control"]) < A_YEAR


BILAN = Path(bilan.__file__).parent
RESPONDENT_TEMPLATES = BILAN / "surveys" / "templates" / "surveys" / "respondent"
BASE_TEMPLATE = BILAN / "templates" / "base.html"


def test_every_icon_a_respondent_page_shows_is_in_the_respondent_icons_sheet():
    sheet = Path(finders.find("surveys/icons.css")).read_text()
    shown = set()
    for template in [BASE_TEMPLATE, *RESPONDENT_TEMPLATES.glob("*.html")]:
        shown |= set(re.findall(r"\bfr-icon-[a-z0-9-]+", template.read_text()))
    assert {"fr-icon-edit-line", "fr-icon-arrow-right-line"} <= shown
    defined = set(re.findall(r"\.(fr-icon-[a-z0-9-]+)::before", sheet))
    assert shown <= defined, f"icons missing from surveys/icons.css: {sorted(shown - defined)}"
    # Each rule's image is one of the DSFR's own files.
    for path in re.findall(r'url\("\.\./([^"]+)"\)', sheet):
        assert finders.find(path), path
