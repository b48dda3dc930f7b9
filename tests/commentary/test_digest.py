import re
from itertools import pairwise

import pytest

from bilan.commentary.services import comment_digest, digest_as_dict
from bilan.roster.models import Referent, School
from bilan.surveys.models import Campaign

pytestmark = pytest.mark.django_db

SEED_CAMPAIGN = "2023-2024"


@pytest.fixture(scope="module")
def digest(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        campaign = Campaign.objects.get(slug=SEED_CAMPAIGN)
        return comment_digest(campaign)


def test_the_digest_covers_every_free_text_question(digest, demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        campaign = Campaign.objects.get(slug=SEED_CAMPAIGN)
        codes = [q.code for q in campaign.questionnaire.schema.questions if q.type.value in ("text", "longtext")]
    assert list(digest) == codes
    assert digest["INFO_MISSING"].answered == 40


def test_two_respondents_ask_how_to_use_ai_as_in_the_seed(digest):
    themes = {t.code: t for t in digest["INFO_MISSING"].themes}
    assert themes["ia"].respondents == 2
    assert all("IA" in quote for quote in themes["ia"].quotes)


def test_themes_come_by_rank_with_ties_sharing_a_rank(digest):
    for question in digest.values():
        counts = [t.respondents for t in question.themes]
        assert counts == sorted(counts, reverse=True)
        for before, after in pairwise(question.themes):
            assert (after.rank == before.rank) == (after.respondents == before.respondents)


def test_the_digest_never_contains_a_name_a_school_an_email_or_a_phone(digest, demo_db, django_db_blocker):
    texts = []
    for question in digest_as_dict(digest).values():
        texts += question["published_quotes"]
        for theme in question["themes"]:
            texts += theme["quotes"]
    assert texts
    with django_db_blocker.unblock():
        names = {f"{first} {last}" for first, last in Referent.objects.values_list("first_name", "last_name")}
        names |= {f"{last} {first}" for first, last in Referent.objects.values_list("first_name", "last_name")}
        schools = set(School.objects.values_list("name", flat=True))
    joined = "\n".join(texts)
    for needle in names | schools:
        assert needle not in joined, needle
    assert not re.search(r"[\w.-]+@[\w-]+\.\w+", joined)
    assert not re.search(r"\b0[1-9](?:[ .-]?\d{2}){4}\b", joined)


def test_the_second_call_reads_the_cache_and_a_decision_invalidates_it(digest, demo_db, django_db_blocker):
    from bilan.commentary.models import DigestCache
    from bilan.commentary.services import decide

    with django_db_blocker.unblock():
        campaign = Campaign.objects.get(slug=SEED_CAMPAIGN)
        computed_at = DigestCache.objects.get(campaign=campaign).computed_at
        assert comment_digest(campaign) == digest
        assert DigestCache.objects.get(campaign=campaign).computed_at == computed_at
        ai = next(t for t in digest["INFO_MISSING"].themes if t.code == "ia")
        assignments = DigestCache.objects.get(campaign=campaign).data["INFO_MISSING"]["assignments"]
        first = next(rid for rid, code, *_ in assignments if code == "ia")
        decide(campaign, first, "INFO_MISSING", "ia", include=False)
        again = {t.code: t for t in comment_digest(campaign)["INFO_MISSING"].themes}
        assert again["ia"].respondents == ai.respondents - 1
        assert DigestCache.objects.get(campaign=campaign).computed_at > computed_at
