"""Personal link tokens: random, shown once, stored only as a hash."""

import hashlib
import re
import secrets

# 24 random bytes = 192 bits, 32 URL-safe characters.
TOKEN_BYTES = 24
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    # A fast hash is enough: the token is 192 random bits, not a password,
    # so there is nothing to brute-force; lookups must stay O(1) by index.
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(value: str) -> bool:
    return bool(TOKEN_PATTERN.match(value or ""))
