"""Survey analysis: a pure core (no Django import).

Answers go in as an :class:`AnswerTable` (columnar, built from records or
from whole columns); :func:`analyse` returns :class:`CampaignResults`, plain
dataclasses whose ``to_dict()`` is the JSON shape of ``docs/results-json.md``.
"""

from bilan.analysis.engine import analyse  # noqa: F401
from bilan.analysis.results import (  # noqa: F401
    Base,
    Breakdown,
    CampaignResults,
    Comparison,
    Estimate,
    GridRow,
    NumericSummary,
    QuestionResult,
)
from bilan.analysis.stats import (  # noqa: F401
    percent_rounded,
    round_half_up,
    two_proportion_test,
    wilson_interval,
)
from bilan.analysis.suppression import suppress_table  # noqa: F401
from bilan.analysis.table import (  # noqa: F401
    SCHOOL_TYPES,
    AnalysisError,
    AnswerTable,
    answer_columns,
    column_name,
)
from bilan.analysis.weighting import poststratification  # noqa: F401
