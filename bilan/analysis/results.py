"""Plain results of the analysis (dataclasses), and their JSON shape.

Percentages are exact floats on 0–100 (``percent_rounded`` gives the whole
percent rounded half-up for display); shares never leave this module as
0–1 numbers, so a reader never has to guess the scale. The JSON shape given
by :meth:`CampaignResults.to_dict` is documented in ``docs/results-json.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bilan.lookup import find

RESULTS_FORMAT = "bilan-results/1"


@dataclass
class Comparison:
    """The same proportion in the previous campaign, both on the base ``basis``."""

    basis: str                         # "respondents", "asked" or "answered"
    current_percent: float | None      # this year's percentage on that base
    previous_count: int
    previous_base: int
    previous_percent: float | None
    difference_points: float | None
    z: float | None
    p_value: float | None                # of this one test
    significant: bool                    # q_value < 0.05 (Benjamini–Hochberg across the campaign)
    q_value: float | None = None         # p-value adjusted for the false discovery rate (see engine)
    method: str = "z-pooled"             # COMPARISON_METHODS: the test that gave ``z`` and ``p_value``


# The tests of a year-over-year comparison (docs/methodology.md, « Évolutions »).
COMPARISON_METHODS = {
    "z-pooled": "test z de comparaison de deux proportions (variance commune), échantillons indépendants",
    "z-unpooled": "test z de comparaison de deux moyennes (variances distinctes), échantillons indépendants",
    "overlap": "test z pour échantillons en partie appariés (Derrick et al.)",
}


@dataclass
class Estimate:
    """One option, grid cell, grid group or scale value of a question."""

    code: str
    label: str
    count: int
    percent: float | None                 # of the campaign's respondents
    percent_of_asked: float | None
    percent_of_answered: float | None
    percent_rounded: int | None           # ``percent`` rounded half-up, for display
    ci95: tuple[float, float] | None      # Wilson 95 % interval of ``percent``
    percent_of_mentions: float | None = None   # multiple choice only
    weighted_percent: float | None = None      # post-stratified ``percent``
    weighted_ci95: tuple[float, float] | None = None   # design-based 95 % interval of ``weighted_percent``
    previous: Comparison | None = None


@dataclass
class Base:
    respondents: int   # all respondents of the campaign
    asked: int         # respondents to whom the question was shown (conditions)
    answered: int      # respondents who answered it


@dataclass
class GridRow:
    code: str
    label: str
    base: Base
    columns: list[Estimate]
    cumulative: list[Estimate]   # "at least column k" (k ≥ 2), code ``at_least_<column>``
    groups: list[Estimate]       # named groups given to ``analyse(grid_groups=...)``


@dataclass
class BreakdownCell:
    code: str
    count: int | None
    percent: float | None              # of the stratum's respondents
    percent_of_answered: float | None  # of the stratum's answers to the question (or grid row)
    suppressed: bool


@dataclass
class BreakdownRow:
    stratum: str                       # a stratum's code, or merged strata's codes joined by « + »
    respondents: int                   # participation: stays public, however small
    asked: int | None                  # None: under the threshold (secret statistique)
    answered: int | None               # None: under the threshold, or hidden to protect another row's
    suppressed: bool                   # the row's base is hidden: so are all its cells
    cells: list[BreakdownCell]
    mean: float | None = None          # scale and number questions
    mean_suppressed: bool = False
    members: list[str] = field(default_factory=list)   # the strata of the row (several when merged)


@dataclass
class Breakdown:
    dimension: str                     # "school_type" or "departement_code"
    grid_row: str | None
    rows: list[BreakdownRow]
    notes: list[str] = field(default_factory=list)   # strata merged, cells hidden beyond the small ones


@dataclass
class MeanComparison:
    previous_n: int
    previous_mean: float | None
    difference: float | None
    z: float | None
    p_value: float | None
    significant: bool                    # q_value < 0.05, as for :class:`Comparison`
    q_value: float | None = None
    method: str = "z-unpooled"


@dataclass
class NumericSummary:
    n: int
    mean: float | None
    median: float | None
    min: float | None
    max: float | None
    std: float | None
    distribution: list[Estimate] | None  # scale values, or a number's values when few
    weighted_mean: float | None = None
    weighted_mean_ci95: tuple[float, float] | None = None   # design-based 95 % interval of ``weighted_mean``
    previous: MeanComparison | None = None


@dataclass
class QuestionResult:
    code: str
    type: str
    text: str
    label: str
    section: str
    base: Base
    options: list[Estimate] = field(default_factory=list)
    ranking: list[str] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)
    numeric: NumericSummary | None = None
    breakdowns: list[Breakdown] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    withheld: bool = False   # figures left out: answered by fewer people than the threshold (see withholding)

    def option(self, code: str) -> Estimate:
        return find(self.options, code)

    def row(self, code: str) -> GridRow:
        return find(self.rows, code)

    def breakdown(self, dimension: str, grid_row: str | None = None) -> Breakdown:
        for breakdown in self.breakdowns:
            if breakdown.dimension == dimension and breakdown.grid_row == grid_row:
                return breakdown
        raise KeyError((dimension, grid_row))


@dataclass
class Rate:
    stratum: str
    invited: int
    respondents: int
    percent: float | None          # exact: the whole invited list is known (no interval)


@dataclass
class ResponseRates:
    overall: Rate
    by_school_type: list[Rate]
    by_departement: list[Rate]
    by_cell: list[Rate]            # stratum "school_type × departement_code"


@dataclass
class WeightingSummary:
    method: str                    # "poststrat"
    population: int
    respondents: int
    effective_n: float
    weights: dict[str, float]      # "school_type × departement_code" → weight
    notes: list[str]


@dataclass
class CampaignResults:
    questionnaire_code: str
    questionnaire_version: str
    respondents: int
    small_cell: int
    respondents_by_school_type: dict[str, int]
    respondents_by_departement: dict[str, int]
    questions: list[QuestionResult]
    response_rates: ResponseRates | None = None
    weighting: WeightingSummary | None = None
    previous_respondents: int | None = None
    previous_questionnaire_version: str | None = None
    paired_respondents: int | None = None   # answered both years (named campaigns); None when unknown
    notes: list[str] = field(default_factory=list)
    withheld: bool = False   # every figure left out: fewer respondents than the threshold (see withholding)

    def question(self, code: str) -> QuestionResult:
        return find(self.questions, code)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (``docs/results-json.md``); json.dumps-ready."""
        data = asdict(self)
        data = {"format": RESULTS_FORMAT, **data}
        return _listify(data)


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _listify(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_listify(item) for item in value]
    return value
