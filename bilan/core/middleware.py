"""French typography on every HTML page, in one place.

Templates are written with plain spaces before « : ; ? ! % » and inside
« guillemets » (« Base : 12 réponses »); a browser may then break the line
before the colon. ``FrenchTypographyMiddleware`` turns those spaces into
no-break ones (``bilan.french.french_spacing(…, narrow=True)``: U+202F before
« ; ? ! », U+00A0 before « : % » and inside « … ») in the text between tags of
every ``text/html`` page, so a new template is right without anyone thinking
of it.

What it never touches:

- tags and their attribute values (``value``, ``href``, ``title``,
  ``aria-label``…): only visible text nodes are spaced (a screen reader reads
  « vous êtes ici : » the same with either space, and a value is data);
- the content of ``<script>``, ``<style>``, ``<pre>``, ``<code>``, ``<kbd>``,
  ``<samp>`` and ``<textarea>`` (a textarea holds what the person edits: it
  would change their data when they save), and HTML comments;
- a mark with no space before it (« 18:01 », « https://… », « 50% » stay as
  typed: ``french_spacing`` only turns the spaces already typed), nor a space
  and its mark in two different text nodes (« Base <b>:</b> »: write
  « Base&nbsp;<b>:</b> » there);
- streaming responses, attachments (downloads), compressed bodies, the admin.

Only the marks with a space beside them are visited (a few hundred in a big
page), so a 1 MB page costs a few milliseconds (see tests/test_typography.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from bilan.french import NBSP, NNBSP, french_spacing

# An element whose content is not prose, or a comment: skipped whole.
_RAW_ELEMENTS = ("script", "style", "pre", "code", "kbd", "samp", "textarea")
_RAW = re.compile("|".join(rf"<{name}\b.*?</{name}\s*>" for name in _RAW_ELEMENTS) + r"|<!--.*?-->",
                  re.IGNORECASE | re.DOTALL)
# A mark with a space of any kind before it, or « with one after it: the places french_spacing may
# change. The pattern starts with the mark (rare in a page) so the search skips ahead fast.
_SPACE = " \t\r\n\f\u00a0\u202f"
_MARK_AFTER_SPACE = re.compile(rf"[:;?!%»«](?:(?<=[{_SPACE}].)|(?<=«)(?=[{_SPACE}]))")
_ALREADY_RIGHT = {f"{NBSP}:", f"{NBSP}%", f"{NBSP}»", f"{NNBSP};", f"{NNBSP}?", f"{NNBSP}!", f"«{NBSP}"}
# In HTML text a line break or tab is a breakable space like any other: make it a space so
# that french_spacing (which knows spaces only) turns the run into one no-break space.
_HTML_SPACE = re.compile(r"[\t\r\n\f]")


def _spaced(site: str) -> str:
    return site if site in _ALREADY_RIGHT else french_spacing(_HTML_SPACE.sub(" ", site), narrow=True)


def space_html_text(html: str) -> str:
    """``html`` with French no-break spaces in its text nodes only (see the module docstring).

    Rather than cutting the page at every tag, it visits each mark that has a space beside it
    (a few hundred in a big page) and skips it when it is inside a tag (the last « < » before it
    comes after the last « > ») or inside a raw element or a comment. A literal « > » in an
    attribute value would end the tag early, as it does for an HTML tokenizer that splits on
    « > »: Django escapes it in values (« &gt; »), so only hand-written attributes could hold one.
    """
    raw_spans = None
    pieces, done, size = [], 0, len(html)
    for match in _MARK_AFTER_SPACE.finditer(html):
        mark = match.start()
        if mark < done or html.rfind("<", 0, mark) > html.rfind(">", 0, mark):
            continue
        if raw_spans is None:
            raw_spans = [raw.span() for raw in _RAW.finditer(html)]
            raw_starts = [span[0] for span in raw_spans]
        inside = bisect_right(raw_starts, mark) - 1
        if inside >= 0 and mark < raw_spans[inside][1]:
            continue
        start = end = mark
        if html[mark] == "«":
            end += 1
            while end < size and html[end] in _SPACE:
                end += 1
        else:
            end += 1
            while start > done and html[start - 1] in _SPACE:
                start -= 1
        pieces += [html[done:start], _spaced(html[start:end])]
        done = end
    if not pieces:
        return html
    pieces.append(html[done:])
    return "".join(pieces)


def _wants_spacing(request, response) -> bool:
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return False
    if "attachment" in response.get("Content-Disposition", "") or response.has_header("Content-Encoding"):
        return False
    match = getattr(request, "resolver_match", None)
    return not (match is not None and "admin" in match.namespaces)


class FrenchTypographyMiddleware:
    """No-break spaces before « : ; ? ! % » and inside « … » in the text of HTML pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _wants_spacing(request, response) or not response.content:
            return response
        charset = response.charset or "utf-8"
        try:
            html = response.content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return response
        spaced = space_html_text(html)
        if spaced != html:
            response.content = spaced.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
