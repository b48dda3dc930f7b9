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

The spacing itself is :func:`bilan.french.french_spacing_html` (the HTML e-mails use it too).
Only the marks with a space beside them are visited (a few hundred in a big
page), so a 1 MB page costs a few milliseconds (see tests/test_typography.py).
"""

from __future__ import annotations

from bilan.french import french_spacing_html


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
        spaced = french_spacing_html(html)
        if spaced != html:
            response.content = spaced.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
