"""Reading staff pages as a persona would, for the page tests and the browser tests."""

import html as htmllib
import os
from pathlib import Path

from django.test import Client


def page_text(user, url) -> str:
    """The page's HTML, entities decoded, as ``user`` sees it (asserting it answers 200)."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


def response_bytes(response) -> bytes:
    """The whole body of a response, streamed (the answers' exports) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def logged_in_page(new_page, live_server, user):
    """A fresh Chromium page (``new_page`` fixture) with ``user``'s session on the live server."""
    client = Client()
    client.force_login(user)
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return page


def screenshot(page, name):
    """For the pilot's guide (docs/guide-pilote.md), when ``BILAN_SCREENSHOTS`` names a folder."""
    if os.environ.get("BILAN_SCREENSHOTS"):
        page.screenshot(path=str(Path(os.environ["BILAN_SCREENSHOTS"]) / name), full_page=True)
