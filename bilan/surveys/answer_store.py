"""The one loading path of stored answers for every reader (results, report, API, comments, exports).

A response's answers are stored as one JSON object (``Response.answers``),
which is what the respondent's form needs. Readers never walk them value by
value in Python: the sent answers are read in chunks ordered by primary key
(``id > last ORDER BY id LIMIT n``, so that the database never hands over
more than one chunk, on SQLite as on PostgreSQL), with the JSON as text,
and each chunk is decoded by column by the pure core
(:class:`bilan.analysis.table.JsonAnswerDecoder`, polars ``str.json_decode``).
Only one chunk of JSON texts is ever in memory; the table keeps typed columns
(free texts as booleans "has text" where the engine only counts them).

Measured against a columnar Parquet copy per campaign: see "Reading the
answers: one path, by column" in ``docs/architecture.md``. ``tests/test_answer_store.py`` fails
when another module builds a table from records or reads the answers for
analysis.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db.models import TextField
from django.db.models.functions import Cast

from bilan.analysis import AnswerTable
from bilan.analysis.table import decode_texts
from bilan.surveys.models import Campaign, Response, ResponseStatus

TABLE_CHUNK = 10_000
# Responses per chunk of an export: 2 000 cost 0.4 s of polars overhead per 10^5, 10 000 passed 300 MB.
EXPORT_CHUNK = 5_000
ANSWERS_TEXT = "answers_text"


def submitted(campaign: Campaign | int, *, school_type: str | None = None, departement: str | None = None):
    """The sent responses of a campaign (drafts are unfinished work, left out of every reading)."""
    campaign_id = campaign if isinstance(campaign, int) else campaign.pk
    responses = Response.objects.filter(campaign_id=campaign_id, status=ResponseStatus.SUBMITTED)
    if school_type:
        responses = responses.filter(school_type=school_type)
    if departement:
        responses = responses.filter(departement_code=departement)
    return responses


def chunks(responses, fields: Sequence[str], *, size: int = EXPORT_CHUNK) -> Iterator[list[tuple]]:
    """``responses`` as lists of ``(pk, answers as JSON text, *fields)`` tuples, by primary key.

    Keyset pagination rather than one cursor: SQLite and PostgreSQL's client-side cursor would
    hand the whole result to the process at once."""
    rows = responses.annotate(**{ANSWERS_TEXT: Cast("answers", output_field=TextField())}).order_by("pk")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).values_list("pk", ANSWERS_TEXT, *fields)[:size])
        if not chunk:
            return
        yield chunk
        if len(chunk) < size:
            return
        last = chunk[-1][0]


def load_table(campaign: Campaign, *, school_type: str | None = None, departement: str | None = None,
               keep_texts: bool = False) -> AnswerTable:
    """The sent answers of ``campaign`` as the analysis core's table (optionally one stratum's).

    ``keep_texts``: free texts as texts rather than booleans "has text" (the engine only counts them,
    except those a condition compares, which stay texts either way).

    A named campaign's table carries each response's referent as its respondent key, so that the
    engine can pair the referents who answered two years running; an anonymous campaign's never does."""
    responses = submitted(campaign, school_type=school_type, departement=departement)
    fields = ("school_type", "departement_code") + (() if campaign.anonymous else ("invitation__referent_id",))

    def columns():
        for chunk in chunks(responses, fields, size=TABLE_CHUNK):
            _, answers, *strata_and_keys = zip(*chunk, strict=True)
            yield answers, *strata_and_keys

    return AnswerTable.from_json_chunks(campaign.questionnaire.schema, columns(), keep_texts=keep_texts)


def text_answers(campaign: Campaign, codes: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
    """The non-empty string answers to the questions ``codes``: ``(response id, text as stored)``
    per code, in response order."""
    found: dict[str, list[tuple[int, str]]] = {code: [] for code in codes}
    if not codes:
        return found
    for chunk in chunks(submitted(campaign), (), size=TABLE_CHUNK):
        ids, answers = zip(*chunk, strict=True)
        for code, values in decode_texts(answers, list(codes)).items():
            found[code].extend((pk, text) for pk, text in zip(ids, values, strict=True) if text and text.strip())
    return found


def answers_fingerprint_rows(campaign: Campaign) -> Iterator[tuple[int, int, str]]:
    """``(id, revision, answers as JSON text)`` of every sent response, for a cache key."""
    for chunk in chunks(submitted(campaign), ("revision",), size=TABLE_CHUNK):
        yield from ((pk, revision, text) for pk, text, revision in chunk)

