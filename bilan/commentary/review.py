"""The review page's workflow: the comments of a question in the order where a decision teaches most.

The team's confirmed comments (this year's reviews, and last year's for the same question in the
same académie) are labelled data: `bilan.comments.learning.ThemeModel` learns from them and proposes
themes for the rest with a probability each; the least confident comment comes first. Confirming a
comment records its themes as the team's decisions (the automatic pass and the digest obey them).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import transaction

from bilan.commentary.models import CommentReview, ThemeDecision
from bilan.commentary.services import (
    CommentaryError,
    _check_comment,
    _survivor_map,
    codebook_for,
    comments_of,
    roster_pseudonymiser,
    theme_records,
)
from bilan.comments.assignment import Assignment
from bilan.comments.learning import TextFeatures, ThemeModel, review_order
from bilan.french import NBSP

# Features (stems, keyword hits, sentence embeddings) kept per codebook across requests: each comment
# is embedded once per process, not at every page.
_FEATURES: OrderedDict[tuple, TextFeatures] = OrderedDict()
_FEATURES_KEPT = 8


@dataclass
class ReviewItem:
    response_id: int
    text: str                                   # pseudonymised
    proposed: list[str]                         # theme codes the model proposes (pre-selected)
    probabilities: dict[str, float] = field(default_factory=dict)


@dataclass
class ReviewState:
    question_code: str
    themes: list                                # ThemeRecord of the question, in the codebook's order
    total: int                                  # comments of the question
    confirmed: int                              # comments the team has reviewed this year
    estimated_wrong: float | None               # expected share of all comments whose themes are still wrong
    learned_from: int                           # coded comments the model learned from (this year and last)
    current: ReviewItem | None                  # the comment to review now (the least confident)
    waiting: list[ReviewItem] = field(default_factory=list)   # the next ones, in order
    skipped: list[int] = field(default_factory=list)          # passed over on this visit (not reviewed)

    @property
    def confirmed_share(self) -> float:
        return self.confirmed / self.total if self.total else 1.0


def _features(campaign, codebook) -> TextFeatures:
    key = (campaign.academie_id, tuple((t.code, t.label, t.description, t.keywords, t.examples) for t in codebook))
    if key in _FEATURES:
        _FEATURES.move_to_end(key)
    else:
        _FEATURES[key] = TextFeatures(codebook)
        while len(_FEATURES) > _FEATURES_KEPT:
            _FEATURES.popitem(last=False)
    return _FEATURES[key]


def _reviews(campaign, question_code: str) -> dict[int, list[str]]:
    survivors = _survivor_map(campaign)
    return {review.response_id: sorted({survivors.get(code, code) for code in review.themes})
            for review in CommentReview.objects.filter(response__campaign=campaign, question_code=question_code)}


def _last_year(campaign, question_code: str) -> tuple[list[str], list[list[str]]]:
    """Last year's reviewed comments of the same question (same académie: a campaign's previous one)."""
    previous = campaign.previous
    if previous is None or previous.academie_id != campaign.academie_id:
        return [], []
    reviews = _reviews(previous, question_code)
    texts = {comment.id: comment.text for comment in comments_of(previous, question_code)}
    kept = [(texts[rid], themes) for rid, themes in reviews.items() if rid in texts]
    return [text for text, _ in kept], [themes for _, themes in kept]


def training_data(campaign, question_code: str, texts: dict[int, str], live: set[str]):
    """The coded comments the model learns from: last year's reviews of the question, then this year's
    (only the themes still live)."""
    train_texts, train_labels = _last_year(campaign, question_code)
    train_labels = [[code for code in themes if code in live] for themes in train_labels]
    for rid, themes in _reviews(campaign, question_code).items():
        if rid in texts:
            train_texts.append(texts[rid])
            train_labels.append([code for code in themes if code in live])
    return train_texts, train_labels


def learned_assignments(campaign, question_code: str, codebook, comments, decisions) -> list[Assignment] | None:
    """The automatic pass of a question once the team has reviewed some of its comments (this year or last):
    the model's themes, with its probability as confidence (source « model »), the team's decisions first.
    None when nothing is reviewed yet: the unsupervised pass applies (the model would give the same)."""
    train_texts, train_labels = training_data(campaign, question_code, {c.id: c.text for c in comments},
                                              set(codebook.codes))
    if not train_texts:
        return None
    model = ThemeModel.fit(codebook, train_texts, train_labels, features=_features(campaign, codebook))
    probabilities = model.probabilities([comment.text for comment in comments])
    forced_in: dict = {}
    forced_out: dict = {}
    for decision in decisions:
        (forced_in if decision.include else forced_out).setdefault(decision.comment_id, set()).add(decision.theme_code)
    assignments = []
    for comment, row, chosen in zip(comments, probabilities, model.themes(probabilities), strict=True):
        kept_in, kept_out = forced_in.get(comment.id, set()), forced_out.get(comment.id, set())
        by_code = dict(zip(codebook.codes, row, strict=True))
        for code in codebook.codes:
            if code in kept_in:
                assignments.append(Assignment(comment.id, code, 1.0, "manual"))
            elif code in chosen and code not in kept_out:
                assignments.append(Assignment(comment.id, code, float(by_code[code]), "model"))
    return assignments


def review_state(campaign, question_code: str, waiting: int = 5, skipped: list[int] | None = None) -> ReviewState:
    """Where the review of a question stands, and the comments to read next (least confident first);
    ``skipped``: comments passed over on this visit, left out of the order (they stay to review)."""
    skipped = list(skipped or [])
    records = theme_records(campaign, question_code)
    codebook = codebook_for(campaign, question_code)
    comments = comments_of(campaign, question_code)
    reviewed = _reviews(campaign, question_code)
    live = set(codebook.codes)
    texts = {comment.id: comment.text for comment in comments}
    train_texts, train_labels = training_data(campaign, question_code, texts, live)
    confirmed = sum(1 for rid in reviewed if rid in texts)
    pending = [comment for comment in comments if comment.id not in reviewed]
    if not pending or not len(codebook):
        return ReviewState(question_code, records, len(comments), confirmed, 0.0 if comments else None,
                           len(train_texts), None, skipped=skipped)
    model = ThemeModel.fit(codebook, train_texts, train_labels, features=_features(campaign, codebook))
    probabilities = model.probabilities([comment.text for comment in pending])
    proposed = model.themes(probabilities)
    # The chance that a comment's proposed themes are all right, each theme taken on its own.
    right = [math.prod(p if code in chosen else 1 - p for code, p in zip(codebook.codes, row, strict=True))
             for row, chosen in zip(probabilities, proposed, strict=True)]
    estimated_wrong = sum(1 - r for r in right) / len(comments)
    pseudonymiser = roster_pseudonymiser(campaign.academie_id)
    passed = set(skipped)
    order = [i for i in review_order(probabilities) if pending[i].id not in passed][:waiting + 1]
    items = [ReviewItem(pending[i].id, pseudonymiser.apply(pending[i].text),
                        [code for code in codebook.codes if code in proposed[i]],
                        {code: float(p) for code, p in zip(codebook.codes, probabilities[i], strict=True)})
             for i in order]
    return ReviewState(question_code, records, len(comments), confirmed, estimated_wrong, len(train_texts),
                       items[0] if items else None, items[1:], skipped)


@transaction.atomic
def confirm_review(campaign, question_code: str, response_id: int, theme_codes: list[str], user=None) -> None:
    """The team's answer for one comment: these themes and no other of the question. Recorded as its
    review and as decisions (in each chosen theme, out of every other), which the automatic pass obeys."""
    response = _check_comment(campaign, response_id, question_code)
    live = [record.code for record in theme_records(campaign, question_code)]
    unknown = sorted(set(theme_codes) - set(live))
    if unknown:
        raise CommentaryError(f"Thème inconnu pour cette question{NBSP}: {', '.join(unknown)}.")
    who = user if getattr(user, "pk", None) else None
    CommentReview.objects.update_or_create(response=response, question_code=question_code,
                                           defaults={"themes": sorted(set(theme_codes)), "reviewed_by": who})
    for code in live:
        ThemeDecision.objects.update_or_create(
            response=response, question_code=question_code, theme_code=code,
            defaults={"include": code in theme_codes, "decided_by": who})
