"""Reading staff pages as a persona would, for the page tests."""

import html as htmllib

from django.test import Client


def page_text(user, url) -> str:
    """The page's HTML, entities decoded, as ``user`` sees it (asserting it answers 200)."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())
