"""No personal link in any log line.

A respondent's link (``/r/<token>/…``) opens their answers: whoever reads it can answer in
their name, and the time it was used undoes the anonymous mode's day-only dates
(docs/anonymity.md). Logs are read by more people, and kept longer, than the database, so
every line that could carry a path goes through :class:`RedactTokens`, which writes the
token as « … » (``/r/…/envoyer/``):

- Django's loggers (``django.request``'s « Not Found: /r/… », ``django.server``'s access
  lines of ``runserver``), through the ``redact_tokens`` filter of the console handler in
  ``settings.LOGGING``;
- gunicorn's access and error logs (``bilan serve``), through :class:`GunicornLogger`,
  its ``--logger-class``.

The whole formatted message is redacted (request line, path, query string and referer
alike), whatever the format.
"""

from __future__ import annotations

import logging
import re

# A token is what stands between « /r/ » and the next « / », space, quote, « ? » or « # »
# (the path of a request line, a referer, a URL in a message).
_TOKEN_PATH = re.compile(r"/r/[^/\s\"'?#]+")
REDACTED = "/r/…"


def redact_tokens(text: str) -> str:
    """``text`` with every respondent token of a ``/r/<token>`` path written « … »."""
    return _TOKEN_PATH.sub(REDACTED, text) if "/r/" in text else text


class RedactTokens(logging.Filter):
    """A logging filter that rewrites a record's message without the personal links' tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format: logging reports it itself later
            return True
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a dependency; this module must import without it
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger with :class:`RedactTokens` on its access and error logs (``bilan serve``)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(existing, RedactTokens) for existing in log.filters):
                log.addFilter(RedactTokens())
