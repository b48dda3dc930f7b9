"""Fixtures for the team and password pages: a real SMTP server on loopback (``smtp``, tests/conftest.py's)."""

from __future__ import annotations

import re


def link_in(text: str, site_url: str) -> str:
    """The one link of an e-mail that starts with the site's address."""
    links = re.findall(re.escape(site_url) + r"/mot-de-passe/(?:choisir|nouveau)/\S+/", text)
    assert len(links) == 1, f"expected one password link in:\n{text}"
    return links[0]
