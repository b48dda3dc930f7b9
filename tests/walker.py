"""A small HTTP client that answers a questionnaire through the respondent's pages, as a browser does.

Shared by ``bench/respondents.py`` (load) and ``tests/test_multiprocess.py`` (several web processes):
GET the personal link, follow the link to the first section, then on each section page read the
form, tick or type a valid value in every field shown, POST it with the CSRF token and cookie and
follow the redirect, until the review page, whose form is posted too, leads to the receipt.
Standard library only (``http.client``, ``html.parser``), loopback addresses only; static files
(CSS, scripts) are not fetched: each page is one request.

Values chosen: a choice that is not « Autre » for radio buttons (grids included), one such box
for checkboxes, an integer from 0 to 5 for numeric fields, a short sentence for texts. The
questionnaire's own rules judge them on the server; a section that comes back with its errors
instead of the next page is a failed walk.
"""

from __future__ import annotations

import http.client
import math
import random
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
OTHER_CHOICE = "other"
MAX_REDIRECTS = 10
MAX_STEPS = 60  # sections + review + receipt: far more than any questionnaire has
ANSWER_TEXT = "Une année riche en échanges avec les collègues et les élèves."


class WalkError(RuntimeError):
    """A walk that did not reach its receipt: an HTTP error, a refused form, a broken connection."""


@dataclass
class Timing:
    method: str
    path: str
    status: int
    seconds: float


@dataclass
class Form:
    method: str
    action: str
    attrs: dict[str, str]
    inputs: list[dict[str, str]] = field(default_factory=list)  # every <input>, attributes as given
    textareas: list[dict[str, str]] = field(default_factory=list)
    selects: list[tuple[dict[str, str], list[str]]] = field(default_factory=list)  # (attributes, option values)
    buttons: list[dict[str, str]] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: tuple[dict[str, str], list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            self._form = Form(attributes.get("method", "get").lower(), attributes.get("action", ""), attributes)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form.inputs.append(attributes)
        elif tag == "textarea":
            self._form.textareas.append(attributes)
        elif tag == "select":
            self._select = (attributes, [])
            self._form.selects.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select[1].append(attributes.get("value", ""))
        elif tag == "button":
            self._form.buttons.append(attributes)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class Page:
    status: int
    path: str  # where the page was finally read, after redirects
    body: str
    redirected: bool

    @cached_property
    def _parsed(self) -> _PageParser:
        parser = _PageParser()
        parser.feed(self.body)
        return parser

    @property
    def forms(self) -> list[Form]:
        return self._parsed.forms

    @property
    def links(self) -> list[str]:
        return self._parsed.links

    def post_form(self) -> Form:
        forms = [form for form in self.forms if form.method == "post"]
        if not forms:
            raise WalkError(f"{self.path} : aucun formulaire POST")
        return forms[-1]  # the header's « Se déconnecter » form comes first on staff pages


class Browser:
    """One visitor: its own cookies and connection to one server on loopback; every request timed."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        parts = urlsplit(base_url)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"loopback only, not {parts.hostname}")
        self.base_url = base_url.rstrip("/")
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.cookies: dict[str, str] = {}
        self.timings: list[Timing] = []
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]):
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self._connection.request(method, path, body=body, headers=headers)
                response = self._connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed meanwhile: reopen once, as browsers do.
                self.close()
                if attempt == 2:
                    raise
                continue
            except (OSError, http.client.HTTPException):
                self.close()  # a connection left half-way cannot carry the next request
                raise
            if response.will_close:
                self.close()
            return response, data
        raise AssertionError("unreachable")

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None,
                *, referer: str = "") -> tuple[int, str, bytes, http.client.HTTPResponse]:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "bilan-walker",
                   "Accept-Language": "fr-FR", "Origin": self.base_url}
        if referer:
            headers["Referer"] = self.base_url + referer
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            response, data = self._send(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.timings.append(Timing(method, path, 0, time.perf_counter() - start))
            raise WalkError(f"{method} {path} : {error}") from error
        self.timings.append(Timing(method, path, response.status, time.perf_counter() - start))
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), data, response

    def open(self, method: str, path: str, fields: list[tuple[str, str]] | None = None,
             *, referer: str = "") -> Page:
        """A request and the redirects after it (followed with GET), as a browser shows the last page."""
        redirected = False
        for _ in range(MAX_REDIRECTS):
            status, location, data, response = self.request(method, path, fields, referer=referer)
            if status in (301, 302, 303, 307, 308) and location:
                referer, path = path, urlsplit(urljoin(path, location))._replace(scheme="", netloc="").geturl()
                method, fields, redirected = "GET", None, True
                continue
            charset = response.headers.get_content_charset() or "utf-8"
            return Page(status, path, data.decode(charset, errors="replace"), redirected)
        raise WalkError(f"{path} : plus de {MAX_REDIRECTS} redirections")

    def get(self, path: str) -> Page:
        return self.open("GET", path)

    def submit(self, page: Page, fields: list[tuple[str, str]]) -> Page:
        form = page.post_form()
        target = urljoin(page.path, form.action) if form.action else page.path
        return self.open("POST", target, fields, referer=page.path)


# --------------------------------------------------------------------------- filling a form

def _hidden_fields(form: Form) -> list[tuple[str, str]]:
    return [(item["name"], item.get("value", "")) for item in form.inputs
            if item.get("type") == "hidden" and item.get("name")]


def fill_form(form: Form, rng: random.Random) -> list[tuple[str, str]]:
    """A valid value for every field of a questionnaire section, plus the hidden ones (CSRF token)."""
    fields = _hidden_fields(form)
    groups: dict[tuple[str, str], list[str]] = {}
    for item in form.inputs:
        kind, name = item.get("type", "text").lower(), item.get("name", "")
        if not name or kind in ("hidden", "submit", "button"):
            continue
        if kind in ("radio", "checkbox"):
            groups.setdefault((kind, name), []).append(item.get("value", "on"))
        elif name.endswith("__other"):
            continue  # « Autre » is never chosen, so its text stays empty
        elif item.get("inputmode") in ("numeric", "decimal") or kind == "number":
            fields.append((name, str(rng.randint(0, 5))))
        else:
            fields.append((name, _text(item)))
    for (_kind, name), values in groups.items():
        choices = [value for value in values if value != OTHER_CHOICE] or values
        fields.append((name, rng.choice(choices)))  # one box for a checkbox group: within any « at most N »
    for item in form.textareas:
        if item.get("name"):
            fields.append((item["name"], _text(item)))
    for attributes, options in form.selects:
        values = [value for value in options if value]
        if attributes.get("name") and values:
            fields.append((attributes["name"], rng.choice(values)))
    return fields


def _text(attributes: dict[str, str]) -> str:
    limit = int(attributes["maxlength"]) if attributes.get("maxlength", "").isdigit() else len(ANSWER_TEXT)
    return ANSWER_TEXT[:limit]


def _button(form: Form, value: str) -> list[tuple[str, str]]:
    for button in form.buttons:
        if button.get("name") and button.get("value") == value:
            return [(button["name"], value)]
    return []


# --------------------------------------------------------------------------- the respondent's walk

@dataclass
class Walk:
    token: str
    sections: int = 0
    acknowledged: bool = False  # the receipt page was shown: the answer counts as stored


def _summary_of_errors(body: str) -> str:
    titles = re.findall(r"<title>(.*?)</title>", body, flags=re.S)
    return titles[0].strip() if titles else body[:200]


def answer_questionnaire(browser: Browser, token: str, rng: random.Random) -> Walk:
    """Walk one personal link from its first page to the receipt; raise WalkError on any problem."""
    walk = Walk(token)
    base = f"/r/{token}/"
    page = browser.get(base)
    if page.status != 200:
        raise WalkError(f"{base} : HTTP {page.status}")
    section_links = [link for link in page.links if link.startswith(base + "section/")]
    if not section_links:
        raise WalkError(f"{base} : pas de lien vers la première partie")
    page = browser.get(section_links[0])
    for _ in range(MAX_STEPS):
        if page.status != 200:
            raise WalkError(f"{page.path} : HTTP {page.status}")
        if page.path.startswith(base + "section/"):
            form = page.post_form()
            before = page.path
            page = browser.submit(page, fill_form(form, rng) + _button(form, "next"))
            if not page.redirected:
                raise WalkError(f"{before} : réponses refusées ({_summary_of_errors(page.body)})")
            walk.sections += 1
        elif page.path == base + "envoyer/":
            form = page.post_form()
            page = browser.submit(page, _hidden_fields(form))
            if not page.redirected:
                raise WalkError(f"{base}envoyer/ : envoi refusé ({_summary_of_errors(page.body)})")
        elif page.path == base + "accuse-de-reception/":
            walk.acknowledged = True
            return walk
        else:
            raise WalkError(f"page inattendue : {page.path}")
    raise WalkError(f"{base} : plus de {MAX_STEPS} pages sans accusé de réception")


def log_in(browser: Browser, username: str, password: str) -> None:
    """Log in through the login form (« /connexion/ »); raise WalkError when the form comes back."""
    page = browser.get("/connexion/")
    form = page.post_form()
    fields = _hidden_fields(form)
    for item in form.inputs:
        name = item.get("name", "")
        if name.endswith("username"):
            fields.append((name, username))
        elif name.endswith("password"):
            fields.append((name, password))
    page = browser.submit(page, fields)
    if not page.redirected or page.path.startswith("/connexion/"):
        raise WalkError(f"connexion refusée pour {username} ({_summary_of_errors(page.body)})")


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]
