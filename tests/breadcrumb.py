"""The staff pages' one breadcrumb (``bilan/templates/_breadcrumb.html``), read back from a page."""

from html.parser import HTMLParser

from django.urls import reverse

from bilan.french import french_spacing


class _Breadcrumb(HTMLParser):
    def __init__(self):
        super().__init__()
        self.navs = 0
        self.crumbs: list[list] = []  # [label, href, is the current page]
        self._in_link = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "nav" and "fr-breadcrumb" in classes:
            self.navs += 1
        if tag == "a" and "fr-breadcrumb__link" in classes:
            self.crumbs.append(["", attrs.get("href"), attrs.get("aria-current") == "page"])
            self._in_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_link = False

    def handle_data(self, data):
        if self._in_link:
            self.crumbs[-1][0] += data


def check_breadcrumb(client, url: str, *labels: str) -> list[tuple[str, str]]:
    """Open ``url`` and check its one breadcrumb: « Campagnes » (the home page), then ``labels``;
    the last is the current page (no link), every other one opens. Returns the links, ``(label, href)``."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Breadcrumb()
    parser.feed(response.content.decode())
    assert parser.navs == 1, url
    # Labels as pages show them: no-break spaces before « : ; ? ! » (FrenchTypographyMiddleware).
    assert [crumb[0] for crumb in parser.crumbs] == ["Campagnes", *(french_spacing(label, narrow=True)
                                                                   for label in labels)], url
    *links, (_label, here_href, here_is_current) = parser.crumbs
    assert here_href is None and here_is_current, url
    assert links[0][1] == reverse("dashboard:home")
    for label, href, is_current in links:
        assert href and not is_current, (url, label)
        assert client.get(href).status_code == 200, (url, label, href)
    return [(label, href) for label, href, _ in links]
