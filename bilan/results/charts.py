"""Charts of question results: one Vega-Lite spec, rendered to SVG offline.

The same spec serves the staff pages, the HTML report and the PDF. Text is
set in DejaVu Sans, a font WeasyPrint has, so labels do not clip in the PDF.
Every chart comes with a French text alternative; pages also show the data
table beside it.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

import vl_convert

from bilan.analysis import QuestionResult
from bilan.french import fr_percent

FONT = "DejaVu Sans"
BAR_COLOR = "#000091"      # DSFR blue France
PREVIOUS_COLOR = "#8585F6"
SCALE_LIGHTEST = "#CACAFB"  # DSFR blue France 925: still visible on white, framed by a white stroke
LABEL_WIDTH = 38            # characters of a wrapped label line
LABEL_LIMIT = 320           # pixels: above 38 characters of DejaVu Sans at 11 px, so no line is cut
LINE_HEIGHT = 13            # pixels per label line at 11 px


def _wrap(label: str, width: int = 38) -> list[str]:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines or [label]


def scale_colors(count: int) -> list[str]:
    """One hue from dark to light in the columns' order.

    A grid's columns are an ordinal scale (« Bonnes / Moyennes / Mauvaises »,
    « Je ne connais pas / Je connais / Je l'ai utilisé »), but the
    questionnaire does not say which end is the good one: red-to-green
    colours given by position painted « Bonnes » red. One hue keeps the
    scale's order readable without saying good or bad.
    """
    start, end = (tuple(int(color[i:i + 2], 16) for i in (1, 3, 5)) for color in (BAR_COLOR, SCALE_LIGHTEST))
    steps = max(count - 1, 1)
    return ["#" + "".join(f"{round(a + (b - a) * k / steps):02X}" for a, b in zip(start, end, strict=True))
            for k in range(count)]


def chart_rows(question: QuestionResult) -> list[dict]:
    """The bars of a question's chart: (label, series, percent of respondents)."""
    rows = []
    if question.rows:  # grids: share of respondents per row and column
        for row in question.rows:
            for estimate in row.columns:
                rows.append({"label": row.label, "series": estimate.label, "percent": estimate.percent or 0.0})
        return rows
    options = question.options
    if question.ranking:
        order = {code: index for index, code in enumerate(question.ranking)}
        options = sorted(options, key=lambda option: order.get(option.code, len(order)))
    for option in options:
        rows.append({"label": option.label, "series": "Cette année", "percent": option.percent or 0.0})
        if option.previous is not None and option.previous.previous_percent is not None:
            rows.append({"label": option.label, "series": "Année précédente",
                         "percent": option.previous.previous_percent})
    return rows


def chart_spec(question: QuestionResult, width: int = 560) -> dict | None:
    rows = chart_rows(question)
    if not rows:
        return None
    for row in rows:
        row["text"] = fr_percent(row["percent"])
        # The axis shows the label on several lines rather than cut it: lines joined by "\n", split by labelExpr.
        row["wrapped"] = "\n".join(_wrap(row["label"], LABEL_WIDTH))
    series = list(dict.fromkeys(row["series"] for row in rows))
    labels = list(dict.fromkeys(row["wrapped"] for row in rows))
    grid = bool(question.rows)
    colors = scale_colors(len(series)) if grid else [BAR_COLOR, PREVIOUS_COLOR][:len(series)]
    encoding_y = {"field": "wrapped", "type": "nominal", "sort": labels, "title": None,
                  "axis": {"labelExpr": "split(datum.value, '\\n')", "labelLimit": LABEL_LIMIT,
                           "labelPadding": 6}}
    if grid:
        mark = {"type": "bar", "stroke": "white", "strokeWidth": 1}
        encoding = {
            "y": encoding_y,
            "x": {"field": "percent", "type": "quantitative", "stack": "zero", "title": "% des répondant·es",
                  "scale": {"domain": [0, 100]}},
            "color": {"field": "series", "type": "nominal", "sort": series, "title": None,
                      "scale": {"domain": series, "range": colors},
                      "legend": {"orient": "bottom", "columns": 2, "labelLimit": LABEL_LIMIT}},
            "order": {"field": "order", "type": "quantitative"},
        }
        for row in rows:
            row["order"] = series.index(row["series"])
        layers = [{"mark": mark, "encoding": encoding}]
    else:
        offset = {"yOffset": {"field": "series", "type": "nominal", "sort": series}} if len(series) > 1 else {}
        color = {"color": {"field": "series", "type": "nominal", "sort": series, "title": None,
                           "scale": {"domain": series, "range": colors},
                           "legend": {"orient": "bottom", "labelLimit": LABEL_LIMIT} if len(series) > 1 else None}}
        base_encoding = {"y": encoding_y,
                         "x": {"field": "percent", "type": "quantitative", "title": "% des répondant·es",
                               "scale": {"domain": [0, 100]}}, **offset}
        layers = [
            {"mark": {"type": "bar"}, "encoding": {**base_encoding, **color}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "font": FONT, "fontSize": 11},
             "encoding": {**base_encoding, "text": {"field": "text"}}},
        ]
    lines = max(label.count("\n") + 1 for label in labels)
    bars = len(series) if len(series) > 1 and not grid else 1
    step = max(18 if bars > 1 else 24, -(-(lines * LINE_HEIGHT + 6) // bars))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "width": width,
        "height": {"step": step},
        "layer": layers,
        "config": {"font": FONT, "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 11},
                   "legend": {"labelFont": FONT, "labelFontSize": 11}, "view": {"stroke": None}},
    }


@lru_cache(maxsize=512)
def _render(spec_json: str) -> str:
    return vl_convert.vegalite_to_svg(json.loads(spec_json))


def chart_svg(question: QuestionResult, width: int = 560) -> str | None:
    spec = chart_spec(question, width)
    return _render(json.dumps(spec, sort_keys=True, ensure_ascii=False)) if spec else None


def chart_data_uri(question: QuestionResult, width: int = 560) -> str | None:
    svg = chart_svg(question, width)
    if svg is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_alt_text(question: QuestionResult) -> str:
    """A sentence a screen reader can read in place of the chart."""
    if question.rows:
        parts = [f"{row.label} : " + ", ".join(f"{c.label} {fr_percent(c.percent)}" for c in row.columns)
                 for row in question.rows]
        kind = "Barres empilées"
    else:
        options = question.options
        if question.ranking:
            order = {code: i for i, code in enumerate(question.ranking)}
            options = sorted(options, key=lambda o: order.get(o.code, len(order)))
        parts = [f"{o.label} {fr_percent(o.percent)}" for o in options]
        kind = "Diagramme en barres"
    return (f"{kind}, {question.label}, en pourcentage des {question.base.respondents} répondant·es : "
            + " ; ".join(parts) + ". Les données figurent dans le tableau qui suit.")
