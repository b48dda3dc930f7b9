"""The raw answer exports are streams: memory does not grow with the number of answers (issue 14)."""

import tracemalloc
from datetime import date

import pytest

from bilan.demo.synthetic import synthetic_answers
from bilan.surveys import exports
from bilan.surveys.models import Response, ResponseStatus

CHUNK = 100  # rows read from the database at a time, small so that N and 4N both span several chunks


def _store(campaign, n, seed):
    records = synthetic_answers(campaign.questionnaire.schema, n, seed=seed, columnar=False)
    Response.objects.bulk_create([
        Response(campaign=campaign, school_type=r["school_type"], departement_code=r["departement_code"],
                 answers=r["answers"], status=ResponseStatus.SUBMITTED, submitted_on=date(2023, 6, 12))
        for r in records])


def _peak_bytes(campaign, fmt):
    """Peak memory traced while the whole export is written (to nowhere), and its size."""
    tracemalloc.start()
    try:
        size = sum(len(piece) for piece in exports.stream_answers(campaign, fmt).pieces)
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods", "json"])
def test_exporting_four_times_the_answers_does_not_take_four_times_the_memory(enquete_campaign, monkeypatch, fmt):
    monkeypatch.setattr(exports, "EXPORT_CHUNK", CHUNK)
    _store(enquete_campaign, 600, seed=1)
    _peak_bytes(enquete_campaign, fmt)  # first use: imports and caches, not the export's own memory
    small, small_size = _peak_bytes(enquete_campaign, fmt)
    _store(enquete_campaign, 1800, seed=2)
    large, large_size = _peak_bytes(enquete_campaign, fmt)
    assert large_size > 3 * small_size  # the file did grow four times…
    assert large < 1.5 * small, (small, large)  # …the memory did not
