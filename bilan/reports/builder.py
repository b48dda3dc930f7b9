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
from bilan.vocabularies import SCHOOL_TYPES

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


def share_in_words(percent: float | None) -> str:
    """A share of a sub-population in the report's words."""
    if percent is None:
        return "personne"
    if percent >= 80:
        return "la grande majorité"
    if percent > 55:
        return "la majorité"
    if percent >= 45:
        return "la moitié"
    if percent >= 40:
        return "plus du tiers"
    if percent >= 28:
        return "le tiers"
    if percent >= 20:
        return "le quart"
    return "une minorité"


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
    if kind == "mention":
        pattern = re.compile(selector["pattern"])
        return fr_number(sum(1 for text in inputs.texts.get(selector["q"], []) if pattern.search(text)))
    found = estimate(results, selector)
    if kind == "count":
        return fr_number(found.count)
    if kind == "words":
        words = share_in_words(found.percent_of_asked)
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


def _digest_quotes(digest: Any, limit: int = 6) -> tuple[list[str], list[Quote]]:
    """Theme labels by frequency, and the published quotes, from a comment digest."""
    themes = sorted(getattr(digest, "themes", []) or [], key=lambda t: (getattr(t, "rank", 0) or 0))
    labels = [t.label for t in themes if getattr(t, "respondents", 0)]
    quotes = []
    for quote in getattr(digest, "published_quotes", []) or []:
        text = quote if isinstance(quote, str) else getattr(quote, "text", str(quote))
        theme = "" if isinstance(quote, str) else getattr(quote, "theme", "") or ""
        quotes.append(Quote(text=french_spacing(text, insert=True), theme=theme))
    return labels, quotes[:limit]


def template_blocks(inputs: Inputs, spec: dict, svg_of, alt_of) -> list[Block]:
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
            text = ("Thèmes cités par ordre décroissant de fréquence : " + ", ".join(labels) + ".") if labels else ""
            if labels or quotes:
                blocks.append(Block(kind="quotes", key=key, text=french_spacing(text, insert=True), quotes=quotes))
        else:
            raise ReportTemplateError(f"Modèle de compte-rendu : bloc « {key} » de type « {kind} » inconnu.")
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
                     f"où le taux était de {figures['previous_rate']})")
    blocks.append(Block(kind="paragraph", key="participation-rate", text=french_spacing(text + ".", insert=True),
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


def _indicator_text(inputs: Inputs, indicator: Indicator) -> str:
    return french_spacing(f"{measure(inputs, indicator.selector)} {indicator.statement}", insert=True)


def action_blocks(inputs: Inputs) -> list[Block]:
    if not inputs.actions:
        return [Block(kind="paragraph", key="action-empty",
                      text="Le plan d'action de cette campagne n'a pas encore été rédigé.")]
    items, figures = [], {}
    for index, action in enumerate(inputs.actions):
        line = f"{action.title}. {action.description.strip().rstrip('.')}".strip().rstrip(".")
        details = [f"responsable{NBSP}: {action.owner}" if action.owner else "",
                   f"échéance{NBSP}: {numeric_date(action.due_date)}" if action.due_date else "",
                   f"état{NBSP}: {action.status}"]
        line += " (" + ", ".join(d for d in details if d) + ")"
        answers = [_indicator_text(inputs, indicator) for indicator in action.indicators]
        for number, indicator in enumerate(action.indicators):
            figures[f"{index}.{number}"] = measure(inputs, indicator.selector)
        answers += [f"thème « {theme} »" for theme in action.themes]
        if answers:
            line += ". En réponse au constat : " + " ; ".join(answers)
        items.append(french_spacing(line + ".", insert=True))
    return [Block(kind="list", key="action-plan", items=items, figures=figures)]


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

def apply_edit(block: Block, edit: Edit) -> None:
    changed = [f"{name} : {edit.figures.get(name, '—')} → {value}"
               for name, value in block.figures.items() if edit.figures.get(name) != value]
    block.text = edit.text
    block.edited = True
    block.flagged = bool(changed)
    block.changed = [french_spacing(c, insert=True) for c in changed]


def collect_notes(sections: list[Section], glossary: dict[str, str]) -> list[Note]:
    """Footnotes for the acronyms the visible text uses, numbered by first use."""
    text = "\n".join(" ".join([s.title] + [b.text for b in s.blocks] + [i for b in s.blocks for i in b.items]
                              + [q.text for b in s.blocks for q in b.quotes])
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
    sections = [Section(key="participation", title="Participation", blocks=[intro] + participation_blocks(inputs))]
    for spec in template["sections"]:
        sections.append(Section(key=spec["key"], title=spec["title"], level=spec.get("level", 1),
                                blocks=template_blocks(inputs, spec, svg_of, alt_of)))
    if inputs.previous_actions:
        sections.append(Section(key=FOLLOW_UP_SECTION,
                                title=f"Suivi du plan d'action {inputs.previous_school_year}",
                                blocks=follow_up_blocks(inputs)))
    sections.append(Section(key=ACTION_SECTION, title="Après le bilan, l'action", blocks=action_blocks(inputs)))

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
    return ReportDocument(
        title=title, subtitle=subtitle, campaign=inputs.campaign, school_year=inputs.school_year,
        academie=inputs.academie, generated_on=(inputs.today or datetime.now().astimezone().date()).isoformat(),
        sections=sections, notes=collect_notes(sections, template.get("notes", {})),
    )
