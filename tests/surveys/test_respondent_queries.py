"""How many database queries each respondent page makes: a fixed number, whatever the questionnaire's size.

A page that ran one query per question, per section or per answer (N+1) would pass these
limits on a small questionnaire and fail on the built-in one (12 parts, 40 questions).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.surveys.test_respondent_views import form_data, post_section, url

pytestmark = pytest.mark.django_db

# The most queries each page may make, as measured on SQLite and on PostgreSQL (the same there),
# savepoints included. The link's token, invitation, campaign and questionnaire come in one query.
LIMITS = {
    "GET start": 3,  # the link, its first opening recorded, the answers so far
    "GET section": 2,
    "POST first section": 12,  # creates the response and records the start
    "POST section": 8,
    "GET review": 2,
    "POST review": 8,
    "GET receipt": 2,
}


class QueryCounter:
    def __init__(self):
        self.counts: dict[str, list[tuple[str, int]]] = {}
        self.queries: dict[str, list[str]] = {}

    def run(self, page: str, label: str, request, *args):
        with CaptureQueriesContext(connection) as captured:
            response = request(*args)
        assert response.status_code in {200, 302}, (label, response.status_code)
        self.counts.setdefault(page, []).append((label, len(captured)))
        self.queries[label] = [query["sql"] for query in captured.captured_queries]
        return response

    def over_limit(self) -> list[str]:
        return [f"{label}: {count} queries > {LIMITS[page]}\n  " + "\n  ".join(self.queries[label])
                for page, counts in self.counts.items() for label, count in counts if count > LIMITS[page]]


def test_each_respondent_page_makes_a_fixed_number_of_queries(client, token, complete_answers):
    counter = QueryCounter()
    counter.run("GET start", "GET start", client.get, url("start", token))
    for position, (section, answers) in enumerate(complete_answers.items()):
        counter.run("GET section", f"GET {section}", client.get, url("section", token, section))
        response = counter.run("POST section" if position else "POST first section", f"POST {section}",
                               post_section, client, token, section, form_data(answers))
        assert response.status_code == 302, section
    counter.run("GET review", "GET review", client.get, url("review", token))
    counter.run("POST review", "POST review", client.post, url("review", token))
    counter.run("GET receipt", "GET receipt", client.get, url("receipt", token))

    assert set(counter.counts) == set(LIMITS)
    assert len(counter.counts["GET section"]) == len(complete_answers) == 12
    assert not counter.over_limit(), "\n".join(counter.over_limit())
    # The same number on every part: nothing grows with a part's questions or the answers so far.
    for counts in (counter.counts["GET section"], counter.counts["POST section"]):
        assert len({count for _, count in counts}) == 1, counts
