"""Comments of a campaign: codebook in the database, the team's decisions, digest for the report.

The pure engine is :mod:`bilan.comments`; this module adapts the models to it.
A comment is identified by (response id, question code). The automatic pass
(assignment + summaries) is cached per campaign in :class:`DigestCache` and
recomputed when answers, themes, decisions, quotes or the roster change.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Q

from bilan.commentary.models import (
    CommentReview,
    DigestCache,
    DismissedSuggestion,
    PublishedQuote,
    ThemeDecision,
    ThemeRecord,
)
from bilan.comments import (
    Codebook,
    CodebookError,
    Comment,
    Decision,
    Person,
    Pseudonymiser,
    Theme,
    assign,
    default_embedder,
    keyword_words,
    suggest_themes,
    summarise,
)
from bilan.french import NBSP
from bilan.questionnaire.schema import QuestionType
from bilan.roster.models import Referent, School
from bilan.surveys.answer_store import answers_fingerprint_rows, text_answers
from bilan.surveys.models import Response

BUILTIN_DIR = Path(__file__).with_name("builtin")
QUOTES_PER_THEME = 2
FREE_TEXT_TYPES = (QuestionType.TEXT, QuestionType.LONGTEXT)
CACHE_VERSION = "1"


class CommentaryError(ValueError):
    """A request on themes that cannot be done; the message is French."""


# --------------------------------------------------------------------------- contract

@dataclass
class ThemeDigest:
    code: str
    label: str
    respondents: int          # respondents citing the theme
    rank: int                 # 1 = most cited
    quotes: list[str]         # pseudonymised; the quotes marked for publication first, else representative ones
    departements: dict[str, int] = field(default_factory=dict)  # respondents citing the theme, by département


@dataclass
class QuestionDigest:
    question_code: str
    answered: int             # non-empty comments
    themes: list[ThemeDigest] = field(default_factory=list)  # by rank
    published_quotes: list[str] = field(default_factory=list)  # pseudonymised quotes marked for publication
    # For each published quote, the words that match a theme's keywords (set in bold in the report).
    published_emphasis: list[list[str]] = field(default_factory=list)


def comment_digest(campaign) -> dict[str, QuestionDigest]:
    """For each free-text question code of the campaign's questionnaire: themes, counts and quotes.

    Every text returned went through the campaign's roster pseudonymiser (names, schools,
    e-mails and phone numbers replaced), even quotes frozen earlier.
    """
    passes = automatic_pass(campaign)
    pseudonymiser = roster_pseudonymiser(campaign.academie_id)
    published = _published_by_question(campaign)
    # Where those who cite a theme work (the report names a theme cited in one département mostly).
    place_of = dict(Response.objects.filter(campaign=campaign).values_list("id", "departement_code"))
    digest: dict[str, QuestionDigest] = {}
    # In questionnaire order: the cached pass is a JSON object, and PostgreSQL's
    # jsonb does not keep key order.
    for question in free_text_questions(campaign):
        question_code = question.code
        data = passes.get(question_code)
        if data is None:
            continue
        marked = published.get(question_code, [])
        members = {}
        for response_id, theme_code, *_ in data["assignments"]:
            members.setdefault(theme_code, set()).add(response_id)
        themes = []
        for row in data["themes"]:
            marked_here = [q.text for q in marked
                           if q.theme_code == row["code"]
                           or (not q.theme_code and q.response_id in members.get(row["code"], ()))]
            quotes = list(dict.fromkeys([*marked_here, *row["quotes"]]))
            if marked_here:
                quotes = quotes[:max(len(marked_here), QUOTES_PER_THEME)]
            places = Counter(place_of.get(response_id, "") for response_id in members.get(row["code"], ()))
            themes.append(ThemeDigest(row["code"], row["label"], row["respondents"], row["rank"],
                                      [pseudonymiser.apply(q) for q in quotes], dict(places)))
        quoted = [pseudonymiser.apply(q.text) for q in marked]
        codebook = codebook_for(campaign, question_code) if quoted else None
        digest[question_code] = QuestionDigest(
            question_code=question_code,
            answered=data["answered"],
            themes=themes,
            published_quotes=quoted,
            published_emphasis=[keyword_words(codebook, text) for text in quoted] if codebook else [],
        )
    return digest


def digest_as_dict(digest: dict[str, QuestionDigest]) -> dict:
    """Plain JSON-able form of :func:`comment_digest` (for the CLI and exports)."""
    return {code: asdict(question) for code, question in digest.items()}


# --------------------------------------------------------------------------- codebook

def free_text_questions(campaign) -> list:
    """The text/longtext questions of the campaign's questionnaire, in questionnaire order."""
    return [q for q in campaign.questionnaire.schema.questions if q.type in FREE_TEXT_TYPES]


def builtin_codebook(questionnaire_code: str) -> dict | None:
    """The codebook shipped with a built-in questionnaire, as a dict, or None."""
    path = BUILTIN_DIR / f"{questionnaire_code}.codebook.yaml"
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def themes_of(campaign):
    """Every theme record (merged ones too) of the campaign's codebook: its académie's, for its questionnaire.

    Each académie has its own codebook: nothing one team does to its themes shows in another's pages.
    """
    return ThemeRecord.objects.filter(academie_id=campaign.academie_id, questionnaire_code=campaign.questionnaire.code)


def import_codebook(campaign, data: dict, *, replace: bool = False) -> int:
    """Store a codebook dict (core format + ``questions`` per theme) as the campaign's académie's
    codebook for its questionnaire; atomic; returns the theme count."""
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise CodebookError("Le livre de codes doit contenir une liste « themes ».")
    core_themes, questions = [], []
    for position, raw in enumerate(data["themes"], start=1):
        raw = dict(raw) if isinstance(raw, dict) else raw
        codes = raw.pop("questions", []) if isinstance(raw, dict) else []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise CodebookError(
                f"Thème n°{NBSP}{position}{NBSP}: « questions » doit être une liste de codes de questions.")
        core_themes.append(raw)
        questions.append(codes)
    codebook = Codebook.from_dict({**data, "themes": core_themes})  # validates, French errors
    with transaction.atomic():
        if replace:
            themes_of(campaign).delete()
        for position, (theme, codes) in enumerate(zip(codebook.themes, questions, strict=True)):
            ThemeRecord.objects.update_or_create(
                academie_id=campaign.academie_id, questionnaire_code=campaign.questionnaire.code, code=theme.code,
                defaults={"label": theme.label, "description": theme.description, "keywords": list(theme.keywords),
                          "examples": list(theme.examples), "question_codes": codes, "position": position,
                          "merged_into": ""})
    return len(codebook)


def ensure_codebook(campaign) -> None:
    """Seed the académie's themes for the questionnaire from its built-in codebook the first time they are needed."""
    if themes_of(campaign).exists():
        return
    data = builtin_codebook(campaign.questionnaire.code)
    if data:
        import_codebook(campaign, data)


def theme_records(campaign, question_code: str | None = None) -> list[ThemeRecord]:
    """Live (not merged) themes of the campaign's codebook, optionally only those of one question."""
    ensure_codebook(campaign)
    records = themes_of(campaign).filter(merged_into="")
    return [r for r in records if question_code is None or r.applies_to(question_code)]


def codebook_for(campaign, question_code: str) -> Codebook:
    """The engine's codebook for one question."""
    return Codebook(
        themes=tuple(Theme(r.code, r.label, r.description, tuple(r.keywords), tuple(r.examples))
                     for r in theme_records(campaign, question_code)),
        questionnaire=campaign.questionnaire.code,
    )


def _survivor_map(campaign) -> dict[str, str]:
    """Theme code → the live theme it was merged into (following chains of merges)."""
    merged = dict(themes_of(campaign).exclude(merged_into="").values_list("code", "merged_into"))

    def survivor(code: str) -> str:
        seen = set()
        while code in merged and code not in seen:
            seen.add(code)
            code = merged[code]
        return code

    return {code: survivor(code) for code in merged}


def _record(campaign, code: str) -> ThemeRecord:
    try:
        return themes_of(campaign).get(code=code, merged_into="")
    except ThemeRecord.DoesNotExist:
        raise CommentaryError(f"Thème « {code} » introuvable.") from None


def slug_code(label: str) -> str:
    """A theme code made from a label (« Prise en main » → ``prise-en-main``)."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "theme"


def _free_code(campaign, wanted: str) -> str:
    existing = set(themes_of(campaign).values_list("code", flat=True))
    code, n = wanted, 2
    while code in existing:
        code, n = f"{wanted}-{n}", n + 1
    return code


# --------------------------------------------------------------------------- comments and roster

def comments_of(campaign, question_code: str) -> list[Comment]:
    """Non-empty answers to a free-text question, as engine comments identified by response id."""
    return [Comment(response_id, text.strip())
            for response_id, text in text_answers(campaign, [question_code])[question_code]]


def _roster(academie_id: int) -> tuple[list[Person], list[str]]:
    schools = School.objects.filter(departement__academie_id=academie_id)
    referents = Referent.objects.filter(
        Q(mandates__school__departement__academie_id=academie_id)
        | Q(invitations__campaign__academie_id=academie_id)).distinct()
    people = [Person(first, last) for first, last in referents.values_list("first_name", "last_name")]
    return people, list(schools.values_list("name", flat=True))


_PSEUDONYMISERS: dict[tuple[int, str], Pseudonymiser] = {}


def _roster_signature(academie_id: int) -> str:
    people, schools = _roster(academie_id)
    text = json.dumps([sorted((p.first, p.last) for p in people), sorted(schools)], ensure_ascii=False)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def roster_pseudonymiser(academie_id: int) -> Pseudonymiser:
    """A pseudonymiser knowing every referent and school of the académie (kept while the roster is unchanged)."""
    signature = _roster_signature(academie_id)
    key = (academie_id, signature)
    if key not in _PSEUDONYMISERS:
        people, schools = _roster(academie_id)
        _PSEUDONYMISERS.clear()
        _PSEUDONYMISERS[key] = Pseudonymiser(people, schools)
    return _PSEUDONYMISERS[key]


def _decisions(campaign, question_code: str | None = None) -> dict[str, list[Decision]]:
    survivors = _survivor_map(campaign)
    rows = ThemeDecision.objects.filter(response__campaign=campaign)
    if question_code:
        rows = rows.filter(question_code=question_code)
    decisions: dict[str, dict] = {}
    for row in rows.order_by("decided_at", "id"):
        theme = survivors.get(row.theme_code, row.theme_code)
        # The latest decision on a (comment, theme) wins, including after a merge.
        decisions.setdefault(row.question_code, {})[(row.response_id, theme)] = row.include
    return {q: [Decision(rid, theme, include) for (rid, theme), include in d.items()] for q, d in decisions.items()}


# --------------------------------------------------------------------------- automatic pass (cached)

def _fingerprint(campaign) -> str:
    parts = [
        CACHE_VERSION,
        # Answers themselves, not only the revision: an edit that forgets to bump it still counts.
        _answers_digest(campaign),
        [(r.code, r.label, r.description, r.keywords, r.examples, r.question_codes, r.merged_into, r.position)
         for r in themes_of(campaign).order_by("code")],
        list(ThemeDecision.objects.filter(response__campaign=campaign).order_by("id")
             .values_list("id", "theme_code", "include", "decided_at")),
        # The reviews the model learns from: this year's and last year's.
        list(CommentReview.objects.filter(response__campaign_id__in=[campaign.id, campaign.previous_id])
             .order_by("id").values_list("id", "themes", "reviewed_at")),
        _roster_signature(campaign.academie_id),
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _answers_digest(campaign) -> str:
    digest = hashlib.sha256()
    for row in answers_fingerprint_rows(campaign):
        digest.update(json.dumps(row).encode())
    return digest.hexdigest()


def automatic_pass(campaign, *, embedder=None) -> dict[str, dict]:
    """Per free-text question: answered count, assignments and ranked theme summaries (cached)."""
    ensure_codebook(campaign)
    fingerprint = _fingerprint(campaign)
    cached = DigestCache.objects.filter(campaign=campaign).first()
    if cached and cached.fingerprint == fingerprint:
        return cached.data
    embedder = embedder or default_embedder()
    pseudonymiser = roster_pseudonymiser(campaign.academie_id)
    decisions = _decisions(campaign)
    data = {}
    for question in free_text_questions(campaign):
        comments = comments_of(campaign, question.code)
        codebook = codebook_for(campaign, question.code)
        learned = None
        if comments and len(codebook):
            # Once the team has reviewed comments of the question, the model learnt from them decides.
            from bilan.commentary.review import learned_assignments  # (the review imports this module)

            learned = learned_assignments(campaign, question.code, codebook, comments,
                                          decisions.get(question.code, []))
        assignments = learned if learned is not None else (
            assign(codebook, comments, decisions.get(question.code, []), embedder=embedder)
            if comments and len(codebook) else [])
        summaries = summarise(codebook, assignments, comments, lambda comment_id: comment_id,
                              pseudonymiser=pseudonymiser, quotes_per_theme=QUOTES_PER_THEME)
        data[question.code] = {
            "answered": len(comments),
            "assignments": [[a.comment_id, a.theme_code, round(float(a.confidence), 4), a.source]
                            for a in assignments],
            "themes": [{"code": s.code, "label": s.label, "respondents": s.respondents, "comments": s.comments,
                        "rank": s.rank, "quotes": list(s.quotes)} for s in summaries],
        }
    DigestCache.objects.update_or_create(campaign=campaign, defaults={"fingerprint": fingerprint, "data": data})
    return data


def _published_by_question(campaign) -> dict[str, list[PublishedQuote]]:
    quotes: dict[str, list[PublishedQuote]] = {}
    for quote in PublishedQuote.objects.filter(response__campaign=campaign).order_by("marked_at", "id"):
        quotes.setdefault(quote.question_code, []).append(quote)
    return quotes


# --------------------------------------------------------------------------- the team's decisions

def _check_comment(campaign, response_id: int, question_code: str) -> Response:
    response = Response.objects.filter(campaign=campaign, id=response_id).first()
    if response is None:
        raise CommentaryError(f"Réponse n°{NBSP}{response_id} introuvable dans cette campagne.")
    if question_code not in {q.code for q in free_text_questions(campaign)}:
        raise CommentaryError(f"La question « {question_code} » n'est pas une question à réponse libre.")
    return response


def decide(campaign, response_id: int, question_code: str, theme_code: str, include: bool, user=None) -> None:
    """Force a comment into (include=True) or out of a theme; the next automatic pass respects it."""
    response = _check_comment(campaign, response_id, question_code)
    _record(campaign, theme_code)
    ThemeDecision.objects.update_or_create(
        response=response, question_code=question_code, theme_code=theme_code,
        defaults={"include": include, "decided_by": user if getattr(user, "pk", None) else None})


def move_comment(campaign, response_id: int, question_code: str, from_code: str, to_code: str, user=None) -> None:
    """Move a comment from one theme to another (two decisions, atomically)."""
    if from_code == to_code:
        raise CommentaryError("Le thème d'arrivée doit être différent du thème de départ.")
    with transaction.atomic():
        decide(campaign, response_id, question_code, from_code, False, user)
        decide(campaign, response_id, question_code, to_code, True, user)


def create_theme(campaign, label: str, *, code: str = "", description: str = "",
                 keywords: Iterable[str] = (), question_codes: Iterable[str] = (),
                 examples: Iterable[str] = ()) -> ThemeRecord:
    """Add a theme to the campaign's codebook (its académie's, for its questionnaire; validated by the engine)."""
    label = (label or "").strip()
    if not label:
        raise CommentaryError("Le libellé du thème est obligatoire.")
    code = (code or "").strip() or _free_code(campaign, slug_code(label))
    if themes_of(campaign).filter(code=code).exists():
        raise CommentaryError(f"Le code « {code} » est déjà utilisé.")
    theme = Theme(code, label, description, tuple(k for k in keywords if k.strip()), tuple(examples))
    try:
        Codebook(themes=(theme,))
    except CodebookError as error:
        raise CommentaryError(str(error)) from None
    last = themes_of(campaign).order_by("-position").first()
    return ThemeRecord.objects.create(
        academie_id=campaign.academie_id, questionnaire_code=campaign.questionnaire.code, code=code, label=label,
        description=description, keywords=list(theme.keywords), examples=list(theme.examples),
        question_codes=list(question_codes), position=(last.position + 1) if last else 0)


def rename_theme(campaign, code: str, label: str, *, description: str | None = None,
                 keywords: Iterable[str] | None = None) -> ThemeRecord:
    """Change a theme's label (and optionally description and keywords); its code stays."""
    record = _record(campaign, code)
    label = (label or "").strip()
    if not label:
        raise CommentaryError("Le libellé du thème est obligatoire.")
    record.label = label
    if description is not None:
        record.description = description.strip()
    if keywords is not None:
        kept = [k.strip() for k in keywords if k.strip()]
        try:
            Codebook(themes=(Theme(code, label, keywords=tuple(kept)),))
        except CodebookError as error:
            raise CommentaryError(str(error)) from None
        record.keywords = kept
    record.save()
    return record


def merge_themes(campaign, source_code: str, target_code: str) -> ThemeRecord:
    """Merge ``source`` into ``target``: keywords, examples and questions join it; decisions follow."""
    if source_code == target_code:
        raise CommentaryError("On ne peut pas fusionner un thème avec lui-même.")
    with transaction.atomic():
        source = _record(campaign, source_code)
        target = _record(campaign, target_code)
        target.keywords = list(dict.fromkeys([*target.keywords, *source.keywords]))
        target.examples = list(dict.fromkeys([*target.examples, *source.examples]))
        if target.question_codes and source.question_codes:
            target.question_codes = list(dict.fromkeys([*target.question_codes, *source.question_codes]))
        else:
            target.question_codes = []
        target.save()
        source.merged_into = target.code
        source.save()
        # The quotes of every campaign sharing this codebook (same académie, same questionnaire), and no other.
        PublishedQuote.objects.filter(theme_code=source_code, response__campaign__academie_id=campaign.academie_id,
                                      response__campaign__questionnaire__code=campaign.questionnaire.code
                                      ).update(theme_code=target_code)
    return target


def split_theme(campaign, code: str, new_label: str, comments: Iterable[tuple[int, str]], user=None,
                *, keywords: Iterable[str] = ()) -> ThemeRecord:
    """Create a theme from part of another: the given comments (response id, question code) move to it."""
    comments = list(comments)
    if not comments:
        raise CommentaryError("Choisissez au moins un commentaire à déplacer dans le nouveau thème.")
    with transaction.atomic():
        source = _record(campaign, code)
        new = create_theme(campaign, new_label, keywords=keywords,
                           question_codes=source.question_codes, description="")
        for response_id, question_code in comments:
            move_comment(campaign, int(response_id), question_code, code, new.code, user)
    return new


def mark_quote(campaign, response_id: int, question_code: str, theme_code: str = "", user=None) -> PublishedQuote:
    """Mark a comment for publication; its pseudonymised text is frozen now."""
    response = _check_comment(campaign, response_id, question_code)
    text = (response.answers or {}).get(question_code)
    if not isinstance(text, str) or not text.strip():
        raise CommentaryError(f"La réponse n°{NBSP}{response_id} n'a pas de commentaire à « {question_code} ».")
    frozen = roster_pseudonymiser(campaign.academie_id).apply(text.strip())
    quote, _ = PublishedQuote.objects.update_or_create(
        response=response, question_code=question_code,
        defaults={"theme_code": theme_code, "text": frozen, "marked_by": user if getattr(user, "pk", None) else None})
    return quote


def unmark_quote(campaign, response_id: int, question_code: str) -> None:
    PublishedQuote.objects.filter(response__campaign=campaign, response_id=response_id,
                                  question_code=question_code).delete()


# --------------------------------------------------------------------------- suggestions

@dataclass
class SuggestedTheme:
    label: str
    members: list[tuple[int, str]]  # (response id, pseudonymised text), most typical first
    cohesion: float

    @property
    def member_ids(self) -> list[int]:
        return [response_id for response_id, _ in self.members]

    @property
    def quotes(self) -> list[str]:
        return [text for _, text in self.members[:3]]


def suggestions(campaign, question_code: str, *, embedder=None) -> list[SuggestedTheme]:
    """New themes proposed from the comments no theme surely covers, minus those the team dismissed.

    A comment placed in a theme only by similarity is a guess, and the comments of a theme
    the codebook lacks end up there (measured: 39 of 52 held back comments); so only the
    comments placed by a keyword or by the team are left out of the suggestions.
    """
    data = automatic_pass(campaign).get(question_code)
    if data is None:
        raise CommentaryError(f"La question « {question_code} » n'est pas une question à réponse libre.")
    comments = comments_of(campaign, question_code)
    covered = {row[0] for row in data["assignments"] if row[3] != "similarity"}
    if len(comments) - len(covered) < 6:
        return []
    dismissed = dismissed_labels(campaign, question_code)
    texts = {c.id: c.text for c in comments}
    pseudonymiser = roster_pseudonymiser(campaign.academie_id)
    found = suggest_themes(comments, exclude=covered, embedder=embedder or default_embedder())
    return [SuggestedTheme(s.label, [(i, pseudonymiser.apply(texts[i])) for i in s.member_ids], float(s.cohesion))
            for s in found if s.label not in dismissed]


def accept_suggestion(campaign, question_code: str, label: str, member_ids: Iterable[int], user=None) -> ThemeRecord:
    """Turn a suggestion into a theme of this question; its members are forced into it."""
    member_ids = [int(i) for i in member_ids]
    pseudonymiser = roster_pseudonymiser(campaign.academie_id)
    texts = {c.id: c.text for c in comments_of(campaign, question_code)}
    with transaction.atomic():
        record = create_theme(campaign, label, question_codes=[question_code],
                              examples=[pseudonymiser.apply(texts[i]) for i in member_ids[:5] if i in texts])
        for response_id in member_ids:
            decide(campaign, response_id, question_code, record.code, True, user)
    return record


def split_suggestion(campaign, question_code: str, label: str, member_ids: Iterable[int], other_label: str,
                     other_ids: Iterable[int], user=None) -> tuple[ThemeRecord, ThemeRecord]:
    """A suggestion that mixes two subjects becomes two themes: ``member_ids`` under ``label``, the rest
    (``other_ids``) under ``other_label``; both or neither."""
    member_ids, other_ids = [int(i) for i in member_ids], [int(i) for i in other_ids]
    if not member_ids or not other_ids or set(member_ids) & set(other_ids):
        raise CommentaryError("Pour diviser une suggestion, cochez les commentaires du premier thème et laissez "
                              "ceux du second décochés.")
    if label.strip().casefold() == other_label.strip().casefold():
        raise CommentaryError("Les deux thèmes issus de la division doivent avoir des libellés différents.")
    with transaction.atomic():
        return (accept_suggestion(campaign, question_code, label, member_ids, user),
                accept_suggestion(campaign, question_code, other_label, other_ids, user))


def dismissed_labels(campaign, question_code: str) -> set[str]:
    """The suggestions the campaign's académie dismissed for that question (of any campaign on its questionnaire)."""
    return set(DismissedSuggestion.objects.filter(
        academie_id=campaign.academie_id, questionnaire_code=campaign.questionnaire.code,
        question_code=question_code).values_list("label", flat=True))


def dismiss_suggestion(campaign, question_code: str, label: str) -> None:
    DismissedSuggestion.objects.get_or_create(academie_id=campaign.academie_id,
                                              questionnaire_code=campaign.questionnaire.code,
                                              question_code=question_code, label=label)


# --------------------------------------------------------------------------- pages

@dataclass
class CommentRow:
    response_id: int
    text: str                 # pseudonymised
    themes: list[str]
    sources: dict[str, str]
    published: bool


def question_comments(campaign, question_code: str) -> list[CommentRow]:
    """Every comment of a question, pseudonymised, with its themes (for the review page)."""
    data = automatic_pass(campaign).get(question_code)
    if data is None:
        raise CommentaryError(f"La question « {question_code} » n'est pas une question à réponse libre.")
    pseudonymiser = roster_pseudonymiser(campaign.academie_id)
    by_comment: dict[int, dict[str, str]] = {}
    for response_id, theme_code, _confidence, source in data["assignments"]:
        by_comment.setdefault(response_id, {})[theme_code] = source
    published = set(PublishedQuote.objects.filter(response__campaign=campaign, question_code=question_code)
                    .values_list("response_id", flat=True))
    return [CommentRow(c.id, pseudonymiser.apply(c.text), list(by_comment.get(c.id, {})), by_comment.get(c.id, {}),
                       c.id in published)
            for c in comments_of(campaign, question_code)]
