"""The team's decisions are kept and the next automatic pass respects them."""

import pytest

from bilan.commentary import services
from bilan.commentary.models import PublishedQuote, ThemeDecision
from bilan.roster.models import Referent
from bilan.surveys.models import Response

pytestmark = pytest.mark.django_db


def themes_of(campaign, question):
    return {t.code: t for t in services.comment_digest(campaign)[question].themes}


def members(campaign, question, theme):
    data = services.automatic_pass(campaign)[question]
    return {rid for rid, code, *_ in data["assignments"] if code == theme}


def test_a_comment_forced_out_of_a_theme_stays_out(seed_campaign, db):
    ai = sorted(members(seed_campaign, "INFO_MISSING", "ia"))
    services.decide(seed_campaign, ai[0], "INFO_MISSING", "ia", include=False)
    assert members(seed_campaign, "INFO_MISSING", "ia") == set(ai[1:])
    assert themes_of(seed_campaign, "INFO_MISSING")["ia"].respondents == len(ai) - 1


def test_moving_a_comment_puts_it_in_the_other_theme_only(seed_campaign, db):
    ai = sorted(members(seed_campaign, "INFO_MISSING", "ia"))
    services.move_comment(seed_campaign, ai[0], "INFO_MISSING", "ia", "rgpd")
    assert ai[0] in members(seed_campaign, "INFO_MISSING", "rgpd")
    assert ai[0] not in members(seed_campaign, "INFO_MISSING", "ia")
    assignments = services.automatic_pass(seed_campaign)["INFO_MISSING"]["assignments"]
    sources = {code: source for rid, code, _c, source in assignments if rid == ai[0]}
    assert sources == {"rgpd": "manual"}


def test_merging_two_themes_adds_their_respondents_and_keeps_decisions(seed_campaign, db):
    before = themes_of(seed_campaign, "INFO_MISSING")
    pix = members(seed_campaign, "INFO_MISSING", "calendrier-pix")
    ent = members(seed_campaign, "INFO_MISSING", "evolutions-ent")
    assert pix and ent
    services.merge_themes(seed_campaign, "calendrier-pix", "evolutions-ent")
    after = themes_of(seed_campaign, "INFO_MISSING")
    assert "calendrier-pix" not in after
    assert after["evolutions-ent"].respondents >= max(before["calendrier-pix"].respondents,
                                                      before["evolutions-ent"].respondents)
    assert pix | ent <= members(seed_campaign, "INFO_MISSING", "evolutions-ent")
    # A decision taken on the merged theme now applies to the surviving one.
    one = sorted(pix)[0]
    ThemeDecision.objects.create(response_id=one, question_code="INFO_MISSING", theme_code="calendrier-pix",
                                 include=False)
    assert one not in members(seed_campaign, "INFO_MISSING", "evolutions-ent")


def test_renaming_keeps_the_code_and_the_members(seed_campaign, db):
    before = members(seed_campaign, "INFO_MISSING", "ia")
    services.rename_theme(seed_campaign, "ia", "Intelligence artificielle : quels usages\u00a0?")
    theme = themes_of(seed_campaign, "INFO_MISSING")["ia"]
    assert theme.label == "Intelligence artificielle : quels usages\u00a0?"
    assert members(seed_campaign, "INFO_MISSING", "ia") == before


def test_splitting_moves_the_chosen_comments_to_a_new_theme(seed_campaign, db):
    time = sorted(members(seed_campaign, "WS_DIFFICULTIES", "manque-temps"))
    assert len(time) >= 2
    new = services.split_theme(seed_campaign, "manque-temps", "Pas de créneau commun", [(time[0], "WS_DIFFICULTIES")])
    assert new.question_codes == ["WS_DIFFICULTIES"]
    assert time[0] in members(seed_campaign, "WS_DIFFICULTIES", new.code)
    assert time[0] not in members(seed_campaign, "WS_DIFFICULTIES", "manque-temps")


def test_a_new_theme_with_a_bad_keyword_is_refused_in_french(seed_campaign, db):
    with pytest.raises(services.CommentaryError, match="mot-clé « le »"):
        services.create_theme(seed_campaign, "Thème vide", keywords=["le"])


def test_a_marked_quote_is_frozen_pseudonymised_and_comes_first(seed_campaign, db):
    named = None
    last_names = set(Referent.objects.values_list("last_name", flat=True))
    for response in Response.objects.filter(campaign=seed_campaign).order_by("id"):
        for code in ("INFO_MISSING", "WS_DIFFICULTIES", "SUGGESTIONS"):
            text = response.answers.get(code)
            if isinstance(text, str) and any(f" {name}" in text for name in last_names):
                named = (response, code, text)
                break
        if named:
            break
    assert named, "the demo writes names into some comments"
    response, code, text = named
    # The demo already marks some quotes (as the team would); this one is added to them.
    before = services.comment_digest(seed_campaign)[code].published_quotes
    quote = services.mark_quote(seed_campaign, response.id, code)
    assert not any(f" {name}" in quote.text for name in last_names if name in text)
    assert "[" in quote.text
    digest = services.comment_digest(seed_campaign)[code]
    assert quote.text not in before
    assert sorted(digest.published_quotes) == sorted([*before, quote.text])
    # The frozen text stays even if the answer changes afterwards.
    response.answers = {**response.answers, code: "Texte modifié."}
    response.save()
    assert PublishedQuote.objects.get(pk=quote.pk).text == quote.text


def test_a_marked_quote_goes_first_in_its_theme(seed_campaign, db):
    ai = sorted(members(seed_campaign, "INFO_MISSING", "ia"))
    quote = services.mark_quote(seed_campaign, ai[-1], "INFO_MISSING", "ia")
    assert themes_of(seed_campaign, "INFO_MISSING")["ia"].quotes[0] == quote.text


def test_the_cache_follows_a_changed_answer(seed_campaign, db):
    assert themes_of(seed_campaign, "INFO_MISSING")["ia"].respondents == 2
    response = Response.objects.filter(campaign=seed_campaign).exclude(answers__has_key="INFO_MISSING").first()
    response.answers = {**response.answers, "INFO_MISSING": "Comment utiliser l'IA avec les élèves de 6e ?"}
    response.save()
    assert themes_of(seed_campaign, "INFO_MISSING")["ia"].respondents == 3


def test_a_dismissed_suggestion_is_not_proposed_again(seed_campaign, db):
    found = services.suggestions(seed_campaign, "MOB_COMMENTS")
    assert found, "the demo leaves some suggestions uncovered by the codebook"
    services.dismiss_suggestion(seed_campaign, "MOB_COMMENTS", found[0].label)
    assert found[0].label not in [s.label for s in services.suggestions(seed_campaign, "MOB_COMMENTS")]


def test_an_accepted_suggestion_becomes_a_theme_with_its_members(seed_campaign, db):
    found = services.suggestions(seed_campaign, "MOB_COMMENTS")[0]
    record = services.accept_suggestion(seed_campaign, "MOB_COMMENTS", "Thème accepté", found.member_ids)
    assert set(found.member_ids) <= members(seed_campaign, "MOB_COMMENTS", record.code)
    assert all("@" not in example for example in record.examples)
