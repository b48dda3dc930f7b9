"""The codebook: the themes a questionnaire's comments are grouped into.

A codebook is plain data that round-trips through YAML-able dicts, so that it is kept
with the questionnaire and carried over from one school year to the next.

Keywords are words or expressions matched on lemmas (« formations en présentiel »
matches « formation présentiel »). A keyword written with a leading « ~ » only
matches when negated: « ~fonctionner » matches « les tablettes ne fonctionnent pas »
but not « les tablettes fonctionnent ». A keyword written with a leading « - » is an
exclusion: the words it matches cannot signal the theme (« -réseau social » keeps
« les réseaux sociaux » out of a theme about the wifi network).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bilan.french import NBSP
from bilan.lookup import find

from .normalise import NEGATION_WORDS, analyse

__all__ = ["Codebook", "CodebookError", "Comment", "Keyword", "Theme"]

_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class CodebookError(ValueError):
    """A codebook that cannot be loaded; the message is French and names the place."""


@dataclass(frozen=True, slots=True)
class Comment:
    """One free-text answer: an id (any hashable, usually the response id) and its text."""

    id: Any
    text: str


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword compiled to folded stems and lemmas."""

    source: str
    lemmas: tuple[str, ...]  # folded stems of the keyword's words
    negated_only: bool
    exclusion: bool = False
    keys: tuple[str, ...] = ()  # folded lemmas of the same words

    @classmethod
    def parse(cls, source: str) -> Keyword:
        text = source.strip()
        exclusion = text.startswith("-")
        if exclusion:
            text = text[1:].strip()
        negated_only = text.startswith("~")
        if negated_only:
            text = text[1:].strip()
        words = [t for t in analyse(text) if not t.stop and t.key not in NEGATION_WORDS and t.stem]
        return cls(source, tuple(t.stem for t in words), negated_only, exclusion, tuple(t.key for t in words))


@dataclass(frozen=True)
class Theme:
    """A theme: a stable code, a French label, a description and the keywords that signal it."""

    code: str
    label: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()  # pseudonymised comments from past years, used as references

    def __post_init__(self) -> None:
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "examples", tuple(self.examples))

    @property
    def compiled_keywords(self) -> tuple[Keyword, ...]:
        cached = self.__dict__.get("_compiled")
        if cached is None:
            cached = tuple(k for k in (Keyword.parse(s) for s in self.keywords) if k.lemmas)
            object.__setattr__(self, "_compiled", cached)
        return cached

    @property
    def reference_text(self) -> str:
        """The text that describes the theme for similarity: label, description, keywords."""
        words = ", ".join(k.lstrip("~") for k in self.keywords if not k.startswith("-"))
        return f"{self.label}. {self.description} {words}".strip()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "label": self.label,
            "description": self.description,
            "keywords": list(self.keywords),
        }
        if self.examples:
            data["examples"] = list(self.examples)
        return data


@dataclass(frozen=True)
class Codebook:
    """The themes of one questionnaire; ``school_year`` says which campaign it was last used for."""

    themes: tuple[Theme, ...] = field(default_factory=tuple)
    questionnaire: str = ""
    school_year: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "themes", tuple(self.themes))
        seen: set[str] = set()
        for position, theme in enumerate(self.themes, start=1):
            where = f"Thème n°{NBSP}{position}"
            if not isinstance(theme.code, str) or not _CODE_RE.match(theme.code):
                raise CodebookError(
                    f"{where}{NBSP}: le code « {theme.code} » doit être fait de minuscules, chiffres, "
                    "« - » ou « _ »."
                )
            if theme.code in seen:
                raise CodebookError(f"{where}{NBSP}: le code « {theme.code} » est déjà utilisé.")
            seen.add(theme.code)
            if not str(theme.label).strip():
                raise CodebookError(f"{where} (« {theme.code} »){NBSP}: le libellé est obligatoire.")
            for keyword in theme.keywords:
                if not isinstance(keyword, str) or not Keyword.parse(keyword).lemmas:
                    raise CodebookError(
                        f"{where} (« {theme.code} »){NBSP}: le mot-clé « {keyword} » est vide "
                        "ou ne contient que des mots vides."
                    )

    def __iter__(self):
        return iter(self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    def theme(self, code: str) -> Theme:
        return find(self.themes, code)

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.themes]

    def without(self, *codes: str) -> Codebook:
        """The same codebook minus some themes."""
        return replace(self, themes=tuple(t for t in self.themes if t.code not in codes))

    def carry_over(self, school_year: str, examples: dict[str, list[str]] | None = None) -> Codebook:
        """Next year's codebook: same themes and codes, optionally enriched with this year's examples.

        ``examples`` maps a theme code to pseudonymised quotes that will serve as references.
        """
        examples = examples or {}
        themes = tuple(
            replace(t, examples=tuple(dict.fromkeys([*t.examples, *examples.get(t.code, [])])))
            for t in self.themes
        )
        return Codebook(themes=themes, questionnaire=self.questionnaire, school_year=school_year)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"themes": [t.to_dict() for t in self.themes]}
        if self.questionnaire:
            data["questionnaire"] = self.questionnaire
        if self.school_year:
            data["school_year"] = self.school_year
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Codebook:
        """Build a codebook from a YAML-able dict, with French errors naming the faulty theme."""
        if not isinstance(data, dict):
            raise CodebookError("Le livre de codes doit être un dictionnaire avec une clé « themes ».")
        raw_themes = data.get("themes")
        if not isinstance(raw_themes, list):
            raise CodebookError("Le livre de codes doit contenir une liste « themes ».")
        themes = []
        for position, raw in enumerate(raw_themes, start=1):
            where = f"Thème n°{NBSP}{position}"
            if not isinstance(raw, dict):
                raise CodebookError(f"{where}{NBSP}: un thème doit être un dictionnaire (code, label…).")
            unknown = set(raw) - {"code", "label", "description", "keywords", "examples"}
            if unknown:
                raise CodebookError(f"{where}{NBSP}: clé inconnue « {sorted(unknown)[0]} ».")
            for key in ("code", "label"):
                if not raw.get(key):
                    raise CodebookError(f"{where}{NBSP}: la clé « {key} » est obligatoire.")
            for key in ("keywords", "examples"):
                value = raw.get(key, [])
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise CodebookError(
                        f"{where} (« {raw['code']} »){NBSP}: « {key} » doit être une liste de textes."
                    )
            themes.append(
                Theme(
                    code=str(raw["code"]),
                    label=str(raw["label"]),
                    description=str(raw.get("description") or ""),
                    keywords=tuple(raw.get("keywords", [])),
                    examples=tuple(raw.get("examples", [])),
                )
            )
        return cls(
            themes=tuple(themes),
            questionnaire=str(data.get("questionnaire") or ""),
            school_year=str(data.get("school_year") or ""),
        )
