"""No personal link's token in any log line (issue 13, finding 4).

A respondent's whole walk (start, every section, review, sending, receipt, a mistyped link) is
made with the test client; each request is then written the way the servers write it — gunicorn's
access log through ``bilan serve``'s logger class, runserver's ``django.server`` line — and Django's
own request log (« Not Found: /r/… ») is captured from the configured console handler. None holds
the token.
"""

import io
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from gunicorn.config import Config

from bilan.core.redaction import GunicornLogger, RedactTokens, redact_tokens
from tests.surveys.test_respondent_views import form_data, post_section

GUNICORN_ACCESS = "--access-logfile - --logger-class bilan.core.redaction.GunicornLogger"


@pytest.mark.parametrize(("line", "expected"), [
    ('"GET /r/abcDEF_123-x/ HTTP/1.1" 200', '"GET /r/…/ HTTP/1.1" 200'),
    ('"POST /r/abc/section/info/?x=1 HTTP/1.1" 302', '"POST /r/…/section/info/?x=1 HTTP/1.1" 302'),
    ("Not Found: /r/abc", "Not Found: /r/…"),
    ("https://bilan.ac-poitiers.fr/r/abc/envoyer/ et /r/def?x", "https://bilan.ac-poitiers.fr/r/…/envoyer/ et /r/…?x"),
    ('"GET /r/ HTTP/1.1" 404', '"GET /r/ HTTP/1.1" 404'),  # no token: nothing to hide
    ('"GET /campagnes/2024/resultats/ HTTP/1.1" 200', '"GET /campagnes/2024/resultats/ HTTP/1.1" 200'),
])
def test_a_token_is_written_as_an_ellipsis(line, expected):
    assert redact_tokens(line) == expected


def test_the_filter_rewrites_a_formatted_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, '"%s" %s', ("GET /r/secret/ HTTP/1.1", 200), None)
    assert RedactTokens().filter(record) is True
    assert record.getMessage() == '"GET /r/…/ HTTP/1.1" 200'


class _Resp:
    def __init__(self, response):
        self.status = f"{response.status_code} {response.reason_phrase}"
        self.headers = list(response.items())
        self.sent = len(response.content) if not response.streaming else 0


def _gunicorn_logger(stream) -> GunicornLogger:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(U)s %(q)s')
    logger = GunicornLogger(config)
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    return logger


@pytest.fixture
def console():
    """The text the handlers of settings.LOGGING write (those carrying the redacting filter)."""
    stream = io.StringIO()
    handlers = {handler for name in ("", "django", "django.server")
                for handler in logging.getLogger(name).handlers}
    previous = {handler: handler.setStream(stream) for handler in handlers
                if any(isinstance(each, RedactTokens) for each in handler.filters)}
    assert len(previous) == 2, "the console and server handlers must carry the redacting filter"
    yield stream
    for handler, old in previous.items():
        handler.setStream(old)


@pytest.mark.django_db
def test_the_logs_of_a_whole_respondent_walk_hold_no_token(client, token, invitation, complete_answers, console):
    responses = [client.get(reverse("respondent:start", args=[token]))]
    for section, answers in complete_answers.items():
        responses.append(client.get(reverse("respondent:section", args=[token, section])))
        responses.append(post_section(client, token, section, form_data(answers)))
        assert responses[-1].status_code == 302, section
    responses.append(client.get(reverse("respondent:review", args=[token])))
    responses.append(client.post(reverse("respondent:review", args=[token]), {"action": "submit"}))
    responses.append(client.get(reverse("respondent:receipt", args=[token])))
    responses.append(client.get(f"/r/{token}x/"))  # a mistyped link: 404, logged by Django
    responses.append(client.get(f"/r/{token}/section/pas-une-section/"))
    assert len(responses) > 15 and {404} <= {response.status_code for response in responses}

    access = io.StringIO()
    gunicorn = _gunicorn_logger(access)
    server = logging.getLogger("django.server")
    for response in responses:
        environ = dict(response.wsgi_request.environ)
        query = environ.get("QUERY_STRING", "")
        environ["RAW_URI"] = environ["PATH_INFO"] + (f"?{query}" if query else "")
        environ.setdefault("SERVER_PROTOCOL", "HTTP/1.1")
        environ["HTTP_REFERER"] = f"https://bilan.ac-poitiers.fr/r/{token}/"
        gunicorn.access(_Resp(response), environ, environ, timedelta(milliseconds=12))
        # runserver's line (django.core.servers.basehttp.WSGIRequestHandler.log_message)
        server.info('"%s" %s %s', f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} HTTP/1.1",
                    response.status_code, 0, extra={"request": None, "status_code": response.status_code})

    access_log, console_log = access.getvalue(), console.getvalue()
    assert access_log.count("\n") == len(responses)
    assert access_log.count("/r/…/") >= 2 * len(responses)  # the path and the referer of each line
    assert "Not Found: /r/…/" in console_log and '"GET /r/…/ HTTP/1.1" 200' in console_log
    for log in (access_log, console_log):
        assert token not in log
        assert token[:12] not in log


def test_bilan_serve_starts_gunicorn_with_the_redacting_logger(settings, monkeypatch):
    from django.core.management import call_command

    settings.DEBUG = True
    started = {}

    def fake_execve(path, argv, environment):
        started["argv"] = argv

    monkeypatch.setattr("os.execve", fake_execve)
    call_command("serve", "--no-collectstatic")
    assert GUNICORN_ACCESS in " ".join(started["argv"])
