"""Draft the report document from the data (no Django).

The sentences come from a report template (``builtin/<questionnaire>.report.yaml``)
whose figures are measured on the campaign's analysis results; nothing here
holds a number of any campaign. The team's edits, hidden or reordered
sections and added blocks are applied on top, and an edited paragraph is
flagged when a figure it was written against has changed since.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bilan.analysis import CampaignResults, QuestionResult
from bilan.comments.similarity import distinct
from bilan.french import (
    NBSP,
    enumeration,
    fr_number,
    fr_percent,
    fr_points,
    french_spacing,
    guillemets,
    numeric_date,
    plural,
)
from bilan.reports.document import Block, Chart, Image, Note, Quote, ReportDocument, Section
from bilan.reports.typography import typeset_document
from bilan.vocabularies import SCHOOL_TYPES, departement_label

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
ACTION_SECTION = "action"
FOLLOW_UP_SECTION = "follow-up"


class ReportTemplateError(ValueError):
    """The report template names a question, choice or measure that does not exist."""


@lru_cache(maxsize=8)
def load_template(questionnaire_code: str) -> dict:
    path = BUILTIN_DIR / f"{questionnaire_code}.report.yaml"
    if not path.exists():
        path = BUILTIN_DIR / "bilan-rupn.report.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- Plain inputs --------------------------------------------------------

@dataclass
class Participation:
    invited: int                      # referents in post, invited
    respondents: int
    schools: int                      # schools with at least one referent
    by_school_type: dict[str, int]
    previous_invited: int | None = None
    previous_respondents: int | None = None
    reminders: int | None = None              # reminder rounds sent (days on which reminders went out)
    previous_reminders: int | None = None


@dataclass
class Edit:
    text: str
    figures: dict[str, str]           # the figures as stated when the edit was made


@dataclass
class Addition:
    key: str
    section: str
    text: str = ""
    image: Image | None = None


@dataclass
class Indicator:
    """A measure an action is meant to move (a selector of the template's kind)."""

    selector: dict[str, Any]
    statement: str                    # what is measured, after the figure


@dataclass
class ActionData:
    title: str
    description: str
    owner: str
    due_date: date | None
    status: str                       # French label
    indicators: list[Indicator] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)


@dataclass
class Inputs:
    results: CampaignResults
    participation: Participation
    academie: str
    school_year: str
    campaign: str
    texts: dict[str, list[str]] = field(default_factory=dict)          # free text per question
    digests: dict[str, Any] = field(default_factory=dict)              # comment digest per question
    actions: list[ActionData] = field(default_factory=list)
    previous_actions: list[ActionData] = field(default_factory=list)
    previous_school_year: str | None = None
    edits: dict[str, Edit] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    today: date | None = None


# --- Measures ------------------------------------------------------------

def truncated_rate(respondents: int, invited: int) -> int | None:
    """Response rates are published truncated: 145 / 446 = 32,5 % is « 32 % »."""
    if not invited:
        return None
    return math.floor(100 * respondents / invited + 1e-9)


WORDS_SCALE: tuple[tuple[float, str], ...] = (
    (99, "tout le monde"),
    (95, "quasiment tout le monde"),
    (70, "la grande majorité"),
)
PLURAL_WORDS = {"beaucoup", "peu"}


def share_in_words(percent: float | None) -> str:
    """A share of a population in the report's words: the one documented scale.

    On the exact share (not the rounded percentage), limits included:

    - ≥ 99 % « tout le monde »
    - ≥ 95 % « quasiment tout le monde »
    - ≥ 70 % « la grande majorité »
    - > 50 % « la majorité »
    - = 50 % « la moitié »
    - ≥ 40 % « beaucoup »
    - ≥ 28 % « le tiers »
    - ≥ 20 % « le quart »
    - > 0 % « peu »
    - 0 % (or no one asked) « personne »

    The seed's uses on the demo: Pix known by 144 of 145 (99,3 %) « tout le
    monde », Apps Éducation 97 % « quasiment tout le monde », tablets 88 % and
    smartphones 74 % « la grande majorité », training wanted by 56 to 60 % of
    those who do not know « la majorité », 46 % « beaucoup », 33 % « le tiers ».
    """
    if not percent:
        return "personne"
    for limit, words in WORDS_SCALE:
        if percent >= limit:
            return words
    if percent > 50:
        return "la majorité"
    if percent == 50:
        return "la moitié"
    if percent >= 40:
        return "beaucoup"
    if percent >= 28:
        return "le tiers"
    if percent >= 20:
        return "le quart"
    return "peu"


def words_with_verb(words: str, verb: str) -> str:
    """The words and the verb agreed with them; `verb` is « singulier|pluriel » (« connaît|connaissent »).

    « beaucoup » and « peu » take the plural; « tout le monde », « personne » (with
    its « ne ») and the collective nouns (« la majorité », « le tiers »…) the singular.
    """
    singular, _, plural = verb.partition("|")
    if words == "personne":
        return f"personne n'{singular}" if singular[:1].lower() in "aeiouyâàéèêëîïôû" else f"personne ne {singular}"
    return f"{words} {(plural or singular) if words in PLURAL_WORDS else singular}"


def _question(results: CampaignResults, code: str) -> QuestionResult:
    try:
        return results.question(code)
    except KeyError:
        raise ReportTemplateError(f"Modèle de compte-rendu : la question « {code} » n'existe pas.") from None


def estimate(results: CampaignResults, selector: dict[str, Any]):
    """The analysis estimate a selector names (an option, or a grid cell)."""
    question = _question(results, selector["q"])
    try:
        if "row" in selector:
            row = question.row(selector["row"])
            cells = row.columns + row.cumulative
            return next(c for c in cells if c.code == selector["col"])
        return question.option(selector["c"])
    except (KeyError, StopIteration):
        raise ReportTemplateError(
            f"Modèle de compte-rendu : la question « {selector['q']} » n'a pas le choix "
            f"« {selector.get('c') or selector.get('row')}/{selector.get('col', '')} »."
        ) from None


def ranked_labels(question: QuestionResult, top: int | None = None) -> list[str]:
    by_code = {option.code: option for option in question.options}
    codes = [code for code in question.ranking if by_code.get(code) and by_code[code].count > 0]
    labels = [by_code[code].label for code in codes]
    return labels[:top] if top else labels


def measure(inputs: Inputs, selector: dict[str, Any]) -> str:
    """A figure as the report states it (French typography)."""
    kind = selector.get("as", "percent")
    results = inputs.results
    if kind == "ranking":
        return ", ".join(ranked_labels(_question(results, selector["q"]), selector.get("top")))
    if kind == "theme":
        pattern = re.compile(selector["pattern"])
        digest = inputs.digests.get(selector["q"])
        for theme in getattr(digest, "themes", None) or []:
            if pattern.search(theme.label):
                label = theme.label.strip()
                if label.lower().startswith(("comment ", "pourquoi ", "quand ", "quel")) and not label.endswith("?"):
                    label += " ?"
                return french_spacing(guillemets(label), insert=True)
        return selector["otherwise"]
    if kind == "themes":
        # The most cited themes of a question's comments, by name: « les collègues RUPN et le SRANE ».
        labels = _themes_cited(inputs.digests.get(selector["q"]), selector.get("at_least", 2))[:selector.get("top", 2)]
        if not labels:
            return ""
        return selector.get("prefix", "") + enumeration([label[:1].lower() + label[1:] for label in labels])
    if kind == "verdict":
        # Words chosen by the data: `then` when every share of `of` (of those asked) reaches `at_least`.
        shares = [estimate(results, part).percent_of_asked for part in selector["of"]]
        holds = all(share is not None and share >= selector["at_least"] for share in shares)
        return selector["then"] if holds else selector["otherwise"]
    if kind == "mention":
        pattern = re.compile(selector["pattern"])
        return fr_number(sum(1 for text in inputs.texts.get(selector["q"], []) if pattern.search(text)))
    found = estimate(results, selector)
    if kind == "count":
        return fr_number(found.count)
    if kind == "words":
        words = share_in_words(found.percent_of_asked)
        if selector.get("verb"):
            words = words_with_verb(words, selector["verb"])
        return words[:1].upper() + words[1:] if selector.get("capital") else words
    if kind == "percent":
        return fr_percent(found.percent_rounded)
    raise ReportTemplateError(f"Modèle de compte-rendu : mesure « {kind} » inconnue.")


def _fill(inputs: Inputs, text: str, selectors: dict[str, dict], prefix: str = "") -> tuple[str, dict[str, str]]:
    figures = {f"{prefix}{name}": measure(inputs, selector) for name, selector in (selectors or {}).items()}
    local = {name: figures[f"{prefix}{name}"] for name in (selectors or {})}
    return french_spacing(text.format(**local), insert=True), figures


# --- Blocks ----------------------------------------------------------------

def chart_block(key: str, question: QuestionResult, svg_of: Callable | None, alt_of: Callable | None) -> Block | None:
    if not (question.options or question.rows) or svg_of is None:
        return None
    svg = svg_of(question)
    if not svg:
        return None
    if question.rows:
        headers = ["Ligne"] + [c.label for c in question.rows[0].columns]
        rows = [[row.label] + [fr_percent(c.percent) for c in row.columns] for row in question.rows]
    else:
        headers = ["Réponse", "Effectif", "Part des répondants"]
        order = {code: i for i, code in enumerate(question.ranking)}
        options = sorted(question.options, key=lambda o: order.get(o.code, len(order)))
        rows = [[o.label, fr_number(o.count), fr_percent(o.percent)] for o in options]
        if any(o.previous is not None and o.previous.previous_percent is not None for o in options):
            headers.append("Année précédente")
            for row, option in zip(rows, options, strict=True):
                before = option.previous.previous_percent if option.previous else None
                row.append(fr_percent(before))
    chart = Chart(title=question.label, svg=svg,
                  alt=french_spacing(alt_of(question) if alt_of else question.label, insert=True),
                  headers=headers, rows=rows)
    return Block(kind="chart", key=key, chart=chart)


QUOTES_PER_BLOCK = 6


def _digest_quotes(digest: Any, limit: int | None = None) -> tuple[list[str], list[Quote]]:
    """Theme labels by frequency, and the published quotes (in the team's order), from a comment digest."""
    labels = _themes_cited(digest, 1)
    quotes = []
    emphasis = getattr(digest, "published_emphasis", None) or []
    for index, quote in enumerate(getattr(digest, "published_quotes", []) or []):
        text = quote if isinstance(quote, str) else getattr(quote, "text", str(quote))
        theme = "" if isinstance(quote, str) else getattr(quote, "theme", "") or ""
        words = list(emphasis[index]) if index < len(emphasis) else []
        quotes.append(Quote(text=french_spacing(text, insert=True), theme=theme, emphasis=words))
    return labels, quotes[:limit] if limit else quotes


def _themes_cited(digest: Any, at_least: int) -> list[str]:
    """The labels of the digest's themes cited by at least ``at_least`` respondents, most cited first."""
    themes = sorted(getattr(digest, "themes", []) or [], key=lambda t: (getattr(t, "rank", 0) or 0))
    return [t.label for t in themes if (getattr(t, "respondents", 0) or 0) >= at_least]


def template_blocks(inputs: Inputs, spec: dict, svg_of, alt_of, seen: list | None = None) -> list[Block]:
    """The blocks of one section of the template. ``seen`` holds the signatures of the remarks the report
    already quotes (:func:`bilan.comments.similarity.distinct`): no remark is quoted twice, nor two that
    share most of their words."""
    seen = [] if seen is None else seen
    blocks = []
    for item in spec.get("blocks", []):
        kind = item.get("kind", "paragraph")
        key = item["key"]
        if kind == "paragraph":
            text, figures = _fill(inputs, item["text"], item.get("figures"))
            blocks.append(Block(kind="paragraph", key=key, text=text, figures=figures))
        elif kind == "list":
            text, figures = _fill(inputs, item.get("text", ""), item.get("figures"))
            items = []
            if "q" in item:
                question = _question(inputs.results, item["q"])
                items = ranked_labels(question, item.get("top"))
                # The choices as the report says them (reported speech for first-person labels).
                spoken = {question.option(code).label: label for code, label in (item.get("labels") or {}).items()}
                items = [spoken.get(label, label) for label in items]
                detail = item.get("detail")
                if detail:
                    option = question.option(detail["c"])
                    value = measure(inputs, {"q": item["q"], "c": detail["c"]})
                    figures[f"{detail['c']}"] = value
                    items = [f"{label} ({detail['text'].format(**{detail['c']: value})})"
                             if label == option.label else label for label in items]
            for index, entry in enumerate(item.get("items", [])):
                line, line_figures = _fill(inputs, entry["text"], entry.get("figures"), prefix=f"{index}.")
                items.append(line)
                figures.update(line_figures)
            blocks.append(Block(kind="list", key=key, text=text, items=[french_spacing(i, insert=True) for i in items],
                                figures=figures))
        elif kind == "chart":
            block = chart_block(key, _question(inputs.results, item["q"]), svg_of, alt_of)
            if block:
                blocks.append(block)
        elif kind == "quotes":
            digest = inputs.digests.get(item["q"])
            if digest is None:
                continue
            labels, quotes = _digest_quotes(digest)
            quotes = distinct(quotes, lambda quote: quote.text, seen, limit=item.get("limit", QUOTES_PER_BLOCK))
            lead = item.get("text", "Thèmes cités par ordre décroissant de fréquence :")
            text = f"{lead} {'; '.join(labels)}." if labels and not item.get("no_themes") else ""
            if text or quotes:
                blocks.append(Block(kind="quotes", key=key, text=french_spacing(text, insert=True), quotes=quotes))
        elif kind == "themes":
            # What several people cite: the digest's themes with at least `at_least` respondents.
            labels = _themes_cited(inputs.digests.get(item["q"]), item.get("at_least", 2))
            if labels:
                blocks.append(Block(kind="list", key=key, text=french_spacing(item["text"], insert=True),
                                    items=[french_spacing(label, insert=True) for label in labels]))
        elif kind == "places":
            blocks += place_blocks(key, item, inputs.digests.get(item["q"]))
        elif kind == "remarks":
            # One bullet per distinct remark the team marked for publication, in the team's order.
            _, quotes = _digest_quotes(inputs.digests.get(item["q"]))
            remarks = distinct(quotes, lambda quote: quote.text, seen)
            if remarks:
                # Key words in bold, as the seed sets them: those that made each remark match its theme.
                blocks.append(Block(kind="list", key=key, text=french_spacing(item.get("text", ""), insert=True),
                                    items=[quote.text for quote in remarks],
                                    emphasis=[list(quote.emphasis) for quote in remarks]))
        else:
            raise ReportTemplateError(f"Modèle de compte-rendu : bloc « {key} » de type « {kind} » inconnu.")
    return blocks


def place_blocks(key: str, item: dict, digest: Any) -> list[Block]:
    """A paragraph for each theme cited mostly in one département: by at least ``at_least`` people there
    (never fewer than the secret statistique would let a table show) and by at least ``share`` of all who
    cite it (« Des personnes de la Charente-Maritime signalent… » in the seed)."""
    blocks = []
    for theme in getattr(digest, "themes", None) or []:
        places = getattr(theme, "departements", None) or {}
        total = sum(places.values())
        for code, count in sorted(places.items(), key=lambda place: -place[1]):
            if code and count >= item.get("at_least", 5) and count >= item.get("share", 0.8) * total:
                text = item["text"].format(place=departement_label(code), theme=theme.label)
                blocks.append(Block(kind="paragraph", key=f"{key}-{theme.code}",
                                    text=french_spacing(text, insert=True)))
    return blocks


def participation_blocks(inputs: Inputs) -> list[Block]:
    p = inputs.participation
    figures = {"invited": fr_number(p.invited),
               "per_school": fr_number(p.invited / p.schools, 2) if p.schools else "—"}
    blocks = [Block(kind="paragraph", key="participation-invited", figures=dict(figures), text=french_spacing(
        f"{figures['invited']} personnes ont exercé la mission de RUPN cette année, soit une moyenne de "
        f"{figures['per_school']} personnes par établissement.", insert=True))]
    rate = truncated_rate(p.respondents, p.invited)
    figures = {"respondents": fr_number(p.respondents), "rate": fr_percent(rate)}
    text = f"{figures['respondents']} ont répondu au questionnaire, soit {figures['rate']}"
    previous_rate = truncated_rate(p.previous_respondents or 0, p.previous_invited or 0)
    if previous_rate is not None and rate is not None:
        change = rate - previous_rate
        figures["change"] = fr_number(abs(change))
        figures["previous_rate"] = fr_percent(previous_rate)
        if change == 0:
            text += f" (stable par rapport à l'an dernier, {figures['previous_rate']})"
        else:
            direction = "baisse" if change < 0 else "hausse"
            text += (f" ({direction} de {plural(abs(change), 'point')} par rapport à l'an dernier, "
                     f"où le taux était de {figures['previous_rate']}{_reminder_cause(p, change)})")
    text += "." + _reminder_sentence(p, previous_rate is not None and rate is not None)
    if p.reminders is not None:
        figures["reminders"] = fr_number(p.reminders)
    blocks.append(Block(kind="paragraph", key="participation-rate", text=french_spacing(text, insert=True),
                        figures=figures))
    parts, figures = [], {}
    for term in SCHOOL_TYPES:
        code, place = term.code, term.place
        count = p.by_school_type.get(code)
        if count:
            figures[code] = fr_number(count)
            parts.append(f"{figures[code]} {place}")
    if parts:
        listed = enumeration(parts)
        first, _, rest = listed.partition(" ")
        blocks.append(Block(kind="paragraph", key="participation-types", figures=figures,
                            text=french_spacing(f"{first} de ces personnes sont RUPN {rest}.", insert=True)))
    return blocks


# A change against last year worth naming in the opening summaries (points, on the rounded percentages).
OPENING_CHANGE_POINTS = 5
OPENING_MOVES = 4         # the largest moves only: a summary, not the list of every change


def _moves(inputs: Inputs, indicators: list[dict]) -> tuple[list[str], list[str], dict[str, str]]:
    """The indicators that moved by OPENING_CHANGE_POINTS or more since last year, the better way
    (``better: up``, the default, or ``down``) and the worse way, as phrases, largest moves first."""
    better, worse, figures = [], [], {}
    for index, indicator in enumerate(indicators):
        found = estimate(inputs.results, indicator)
        comparison = found.previous
        if comparison is None or comparison.previous_percent is None or found.percent_rounded is None:
            continue
        before = round(comparison.previous_percent + 1e-9)
        change = found.percent_rounded - before
        if abs(change) < OPENING_CHANGE_POINTS:
            continue
        figures[f"opening.{index}"] = f"{fr_percent(before)} → {fr_percent(found.percent_rounded)}"
        phrase = (f"{indicator['statement']} ({fr_percent(before)} l'an dernier, "
                  f"{fr_percent(found.percent_rounded)} cette année)")
        improved = change > 0 if indicator.get("better", "up") == "up" else change < 0
        (better if improved else worse).append((abs(change), phrase))
    ordered = lambda moves: [phrase for _, phrase in sorted(moves, key=lambda m: -m[0])]  # noqa: E731
    return ordered(better), ordered(worse), figures


def opening_blocks(inputs: Inputs, spec: dict | None) -> list[Block]:
    """The two summaries that open the report, drafted from the year's findings for the team to rewrite:
    « Certaines difficultés demeurent : » (the difficulties most cited in the comments, what went down)
    and « Ce qui avance : » (what went up since last year)."""
    if not spec:
        return []
    better, worse, figures = _moves(inputs, spec.get("indicators", []))
    difficulties = []
    for source in spec.get("difficulties", []):
        labels = _themes_cited(inputs.digests.get(source["q"]), source.get("at_least", 2))[:source.get("top", 3)]
        if labels:
            difficulties.append(f"{source['about']} {enumeration([label.lower() for label in labels])}")
    if worse:
        difficulties.append("en recul par rapport à l'an dernier : " + " ; ".join(worse[:OPENING_MOVES]))
    blocks = []
    if difficulties:
        text = "Certaines difficultés demeurent : " + " ; ".join(difficulties) + "."
        blocks.append(Block(kind="paragraph", key="opening-difficulties", draft=True, figures=dict(figures),
                            text=french_spacing(text, insert=True)))
    if better:
        text = "Ce qui avance : " + " ; ".join(better[:OPENING_MOVES]) + "."
        blocks.append(Block(kind="paragraph", key="opening-progress", draft=True, figures=dict(figures),
                            text=french_spacing(text, insert=True)))
    return blocks


def _reminder_cause(p: Participation, change: int) -> str:
    """The reminders as a possible cause of a fall: none this year when there were some last year."""
    if change < 0 and p.reminders == 0 and p.previous_reminders:
        return (", peut-être parce qu'aucune relance n'a été envoyée cette année, contre "
                f"{plural(p.previous_reminders, 'relance')} l'an dernier")
    return ""


def _reminder_sentence(p: Participation, compared: bool) -> str:
    """How many reminder rounds went out, when not already said as the cause of a fall."""
    if p.reminders is None or (compared and p.reminders == 0 and p.previous_reminders):
        return ""
    if p.reminders == 0:
        return " Aucune relance n'a été envoyée cette année."
    rounds = "une relance a été envoyée" if p.reminders == 1 else f"{fr_number(p.reminders)} relances ont été envoyées"
    return f" Cette année, {rounds} aux personnes qui n'avaient pas encore répondu."


def _indicator_text(inputs: Inputs, indicator: Indicator) -> str:
    return french_spacing(f"{measure(inputs, indicator.selector)} {indicator.statement}", insert=True)


def action_blocks(inputs: Inputs) -> list[Block]:
    if not inputs.actions:
        return [Block(kind="paragraph", key="action-empty",
                      text="Le plan d'action de cette campagne n'a pas encore été rédigé.")]
    items, figures = [], {}
    for index, action in enumerate(inputs.actions):
        findings = [_indicator_text(inputs, indicator) for indicator in action.indicators]
        for number, indicator in enumerate(action.indicators):
            figures[f"{index}.{number}"] = measure(inputs, indicator.selector)
        findings += [f"les remarques du thème « {theme} »" for theme in action.themes]
        items.append(action_sentence(action, findings))
    annex = Block(kind="table", key="action-table", text="Le plan d'action en détail :",
                  chart=Chart(title="Plan d'action", svg="", alt="",
                              headers=["Action", "Responsable", "Échéance", "État"],
                              rows=[[a.title, a.owner or "—", numeric_date(a.due_date) if a.due_date else "—",
                                     a.status] for a in inputs.actions]))
    return [Block(kind="list", key="action-plan", items=items, figures=figures), annex]


def action_sentence(action: ActionData, findings: list[str]) -> str:
    """An action as the report says it: the finding it answers, then what is planned.

    « Parce que 40 % des répondants n'ont pas de connaissances sur l'accessibilité numérique, il est prévu
    de former à l'accessibilité numérique : temps dédiés … (SRANE, d'ici le 30/06/2025). »
    The title is an infinitive (« Former… », « Poursuivre… »), as action plans write them.
    """
    title = action.title.strip().rstrip(".")
    verb = title[:1].lower() + title[1:]
    planned = f"il est prévu d'{verb}" if verb[:1] in "aeiouyâàéèêëîïôûh" else f"il est prévu de {verb}"
    sentence = f"Parce que {' ; '.join(findings)}, {planned}" if findings else planned[:1].upper() + planned[1:]
    description = action.description.strip().rstrip(".")
    if description:
        sentence += f" : {description[:1].lower() + description[1:]}"
    details = [action.owner or "", f"d'ici le {numeric_date(action.due_date)}" if action.due_date else "",
               f"état{NBSP}: {action.status.lower()}" if action.status else ""]
    sentence += " (" + ", ".join(d for d in details if d) + ")."
    return french_spacing(sentence, insert=True)


def follow_up_blocks(inputs: Inputs) -> list[Block]:
    """How the indicators of last year's actions moved."""
    items, figures = [], {}
    for index, action in enumerate(inputs.previous_actions):
        moves = []
        for number, indicator in enumerate(action.indicators):
            found = estimate(inputs.results, indicator.selector)
            now = fr_percent(found.percent_rounded)
            comparison = found.previous
            if comparison is None or comparison.previous_percent is None:
                moves.append(f"{now} {indicator.statement} (pas de mesure l'an dernier)")
                continue
            before = fr_percent(comparison.previous_percent)
            difference = found.percent_rounded - round(comparison.previous_percent + 1e-9)
            change = fr_points(difference)
            figures[f"{index}.{number}"] = f"{before} → {now}"
            moves.append(f"part des répondants qui {indicator.statement} : {before} en "
                         f"{inputs.previous_school_year}, {now} cette année ({change})")
        line = f"{action.title} (état{NBSP}: {action.status})"
        if moves:
            line += ". " + " ; ".join(m[:1].upper() + m[1:] for m in moves)
        items.append(french_spacing(line + ".", insert=True))
    text = (f"Pour chaque action décidée après le bilan {inputs.previous_school_year}, "
            "l'évolution de l'indicateur qu'elle visait :")
    return [Block(kind="list", key="follow-up", text=french_spacing(text, insert=True), items=items, figures=figures)]


# --- Edits, layout, notes ------------------------------------------------

# A figure kept live in the team's wording: « {{chiffre:unknown}} » is stated with today's value.
LIVE_FIGURE = re.compile(r"\{\{chiffre:([\w.]+)\}\}")


def _figure_pattern(value: str) -> re.Pattern:
    """Where a figure as stated (« 57 % », « la majorité ») appears in a text, any kind of space inside,
    never inside a longer number or word (« 157 % », « 57,5 % »)."""
    body = r"[\s\u00a0\u202f]".join(re.escape(part) for part in value.split())
    return re.compile(rf"(?<![\w,]){body}(?![\w]|,\d)")


def with_live_figures(text: str, figures: dict[str, str]) -> str:
    """The team's wording of a paragraph with each figure it states as drafted replaced by its mark
    (:data:`LIVE_FIGURE`), so that the number follows the data while the words stay the team's.

    A figure is made live only when that is unambiguous: its value is stated exactly once in the text and
    no other figure of the paragraph has the same value. Otherwise it stays as the team wrote it (and the
    paragraph is flagged « À relire » when the data change, as every edited paragraph whose figures move).
    """
    names_of: dict[str, list[str]] = {}
    for name, value in figures.items():
        if value.strip():
            names_of.setdefault(value, []).append(name)
    # Longest values first: « 157 % » is made live before « 57 % » is looked for.
    for value, names in sorted(names_of.items(), key=lambda item: -len(item[0])):
        pattern = _figure_pattern(value)
        if len(names) == 1 and len(pattern.findall(text)) == 1:
            text = pattern.sub(lambda _, name=names[0]: f"{{{{chiffre:{name}}}}}", text)
    return text


def apply_edit(block: Block, edit: Edit) -> None:
    changed = [f"{name} : {edit.figures.get(name, '—')} → {value}"
               for name, value in block.figures.items() if edit.figures.get(name) != value]
    # Live figures take today's value (the value written against when the template no longer has it).
    block.text = LIVE_FIGURE.sub(lambda m: block.figures.get(m.group(1), edit.figures.get(m.group(1), m.group(0))),
                                 edit.text)
    block.edited = True
    block.flagged = bool(changed)
    block.changed = [french_spacing(c, insert=True) for c in changed]


def collect_notes(sections: list[Section], glossary: dict[str, str]) -> list[Note]:
    """Footnotes for the acronyms the visible text uses, numbered by first use."""
    # In reading order: a block's text, then its items, then its quotes.
    text = "\n".join(" ".join([s.title] + [part for b in s.blocks
                                           for part in [b.text, *b.items, *(q.text for q in b.quotes)]])
                     for s in sections if not s.hidden)
    found = []
    for term, meaning in glossary.items():
        match = re.search(rf"\b{re.escape(term)}\b", text)
        if match:
            found.append((match.start(), term, meaning))
    return [Note(number=i + 1, term=term, text=meaning) for i, (_, term, meaning) in enumerate(sorted(found))]


def build_report(inputs: Inputs, svg_of: Callable | None = None, alt_of: Callable | None = None) -> ReportDocument:
    """The whole report document for a campaign, with the team's edits applied."""
    template = load_template(inputs.results.questionnaire_code)
    start, _, end = inputs.school_year.partition("-")
    title = template["title"].format(year_end=end or start)
    subtitle = french_spacing(template["subtitle"].format(school_year_slash=inputs.school_year.replace("-", "/")),
                              insert=True)
    intro = Block(kind="paragraph", key="intro", text=french_spacing(template["intro"], insert=True))
    opening = opening_blocks(inputs, template.get("opening"))
    sections = [Section(key="participation", title="Participation",
                        blocks=[intro, *participation_blocks(inputs), *opening])]
    quoted: list = []     # the remarks already quoted, so that none is quoted twice
    for spec in template["sections"]:
        sections.append(Section(key=spec["key"], title=spec["title"], level=spec.get("level", 1),
                                blocks=template_blocks(inputs, spec, svg_of, alt_of, quoted)))
    if inputs.previous_actions:
        sections.append(Section(key=FOLLOW_UP_SECTION,
                                title=f"Suivi du plan d'action {inputs.previous_school_year}",
                                blocks=follow_up_blocks(inputs)))
    closing = [Block(kind="paragraph", key="closing", text=french_spacing(template["closing"], insert=True))
               ] if template.get("closing") else []
    sections.append(Section(key=ACTION_SECTION, title="Après le bilan, l'action",
                            blocks=action_blocks(inputs) + closing))

    by_key = {section.key: section for section in sections}
    for addition in inputs.additions:
        section = by_key.get(addition.section)
        if section is not None:
            section.blocks.append(Block(kind="image" if addition.image else "paragraph", key=addition.key,
                                        text=french_spacing(addition.text, insert=True), image=addition.image,
                                        custom=True))
    for section in sections:
        section.hidden = section.key in inputs.hidden
        for block in section.blocks:
            edit = inputs.edits.get(block.key)
            if edit is not None and block.kind in ("paragraph", "list") and not block.custom:
                apply_edit(block, edit)
    # A section with nothing to say (no comments digested yet, say) is left out.
    sections = [section for section in sections if section.blocks]
    if inputs.order:
        rank = {key: i for i, key in enumerate(inputs.order)}
        sections.sort(key=lambda s: rank.get(s.key, len(rank)))
    # French typography last (’, 6ᵉ…), over everything the document says, the team's words included.
    return typeset_document(ReportDocument(
        title=title, subtitle=subtitle, campaign=inputs.campaign, school_year=inputs.school_year,
        academie=inputs.academie, generated_on=(inputs.today or datetime.now().astimezone().date()).isoformat(),
        sections=sections, notes=collect_notes(sections, template.get("notes", {})),
    ))
