"""French comments engine (pure, no Django): normalisation, codebook, assignment to themes,
theme suggestions, per-theme summaries and pseudonymisation. See docs/comments.md."""

from .assignment import Assignment, Decision, assign, keyword_hits, keyword_words
from .codebook import Codebook, CodebookError, Comment, Theme
from .embedding import Embedder, TfidfEmbedder, UseEmbedder, default_embedder
from .learning import ReviewSimulation, TextFeatures, ThemeModel, review_order, simulate_review
from .normalise import analyse, fold, normalise
from .pseudonymise import Finding, Person, Pseudonymiser
from .suggestions import Suggestion, suggest_themes
from .summary import ThemeSummary, summarise

__all__ = [
    "Assignment", "Codebook", "CodebookError", "Comment", "Decision", "Embedder", "Finding", "Person",
    "Pseudonymiser", "ReviewSimulation", "Suggestion", "TextFeatures", "TfidfEmbedder", "Theme", "ThemeModel",
    "ThemeSummary", "UseEmbedder", "analyse", "assign", "default_embedder", "fold", "keyword_hits", "keyword_words",
    "normalise", "review_order", "simulate_review", "suggest_themes", "summarise",
]
