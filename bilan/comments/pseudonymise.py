"""Pseudonymisation of comments before they are shown anywhere (results, quotes, report).

Detectors, in order of trust: e-mail and phone patterns; the roster's schools and people
(full names with and without accents, first or last name alone, initials, « M. X »);
titled names and school mentions (« Mme Y », « au collège Z »); then spaCy's French
person-name recogniser as a fallback. The allow-list of tools and institutions (Pix,
Apps Éducation, Tchap…) is never replaced.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import simplemma

from .normalise import fold

__all__ = ["DEFAULT_ALLOW", "PLACEHOLDERS", "Finding", "Person", "Pseudonymiser"]

PLACEHOLDERS = {
    "person": "[un·e collègue]",
    "school": "[établissement]",
    "email": "[courriel]",
    "phone": "[téléphone]",
}

DEFAULT_ALLOW = (
    "Pix", "Pix+ Édu", "Pix+ Edu", "Pix Orga", "pix-orga", "Apps Éducation", "Apps Education", "AppsEdu",
    "Lumni", "Tchap", "ENT", "Pronote", "Edubase", "Canopé", "Eduscol", "La Digitale", "Digitale",
    "Pearltrees", "Genially", "Anki", "Wooflash", "Magneto", "Erasmus", "eTwinning", "SRANE", "DRANE",
    "DANE", "INRIA", "Techne", "MoDco", "Schematic", "Seren-IT", "Internet sans crainte",
    "Lycée Connecté", "Nextcloud", "Peertube", "Moodle", "Éléa", "Elea", "Capytale", "Vittascience",
    "LearningApps", "Quizinière", "Padlet", "Mistral", "Gemini", "ChatGPT", "Google", "Microsoft",
    "Framasoft", "BYOD", "RUPN", "AESH", "EBEP", "CUA", "ULIS", "PPS", "PAP", "CDI", "VNI", "TBI", "QCM",
    "IA", "GAFAM", "GAFFA", "Éducation nationale", "Education nationale", "Rectorat", "Académie",
    "Poitiers", "Charente", "Charente-Maritime", "Deux-Sèvres", "Vienne", "Niort", "La Rochelle",
    "Angoulême", "Saintes", "Cognac", "Châtellerault", "Rochefort", "Bressuire", "Parthenay",
)

_TITLES = r"(?:M\.|MM\.|Mr\.?|Mme|Mmes|Mlle|Mme\.|Monsieur|Madame|Mademoiselle|Dr\.?|Docteur)"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w\-’']*"
_TITLED_RE = re.compile(rf"\b{_TITLES}\s+(?:[A-ZÀ-ÖØ-Þ]\.\s*)?{_NAME_WORD}(?:[\s\-]+{_NAME_WORD})?")
_EMAIL_RE = re.compile(
    r"[\w.+\-]+\s*(?:@|\(at\)|\[at\]|\s+at\s+|\s+arobase\s+)\s*[\w\-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\s+point\s+)\s*[\w\-]+)+",
    re.IGNORECASE,
)
# French numbers in every usual form: 06 12 34 56 78, 06.12.34.56.78, 0612345678,
# +33 6 12 34 56 78, +33 (0)6…, 0033 6…, 05-49-…
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-/]?\d{2}){4}(?!\d)"
)
_SCHOOL_WORDS = (
    r"(?i:coll[èe]ge|lyc[ée]e(?:\s+(?:professionnel|polyvalent|agricole|général(?:\s+et\s+technologique)?))?"
    r"|LP|LPO|LGT|LEGT|EREA|[ée]cole|cit[ée]\s+scolaire)"
)
# A school word followed by capitalised name words (« au collège Jean-Moulin », « LP Branly »);
# only the school word ignores case, so « au collège pour les élèves » is left alone.
_SCHOOL_MENTION_RE = re.compile(
    rf"\b{_SCHOOL_WORDS}\s+(?:(?i:de\s+la|de|du|des|d'|l'|la|le|les|saint|sainte)[\s\-]*)?"
    rf"{_NAME_WORD}(?:[\s\-]+(?:(?:de|du|des|la|le|d'|l')\s*)?{_NAME_WORD})*"
)
_NEVER_NAMES = frozenset(
    fold(w) for w in ["Merci", "Bonjour", "Cordialement", "Bravo", "Super", "Oui", "Non", "Bien", "Très", "Trop",
                      "Peut", "Comment", "Pourquoi"]
)


@dataclass(frozen=True, slots=True)
class Person:
    """A person of the roster."""

    first: str
    last: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A span of text to replace: ``kind`` is person, school, email or phone; ``source`` the detector."""

    start: int
    end: int
    text: str
    kind: str
    source: str

    @property
    def replacement(self) -> str:
        return PLACEHOLDERS[self.kind]


def _flex(words: Sequence[str]) -> str:
    """A folded pattern for words that may be joined by spaces or hyphens."""
    return r"[\s\-]+".join(re.escape(w) for w in words)


def _parts(name: str) -> list[str]:
    return [p for p in re.split(r"[\s\-]+", fold(name).strip()) if p]


def _bounded(pattern: str) -> str:
    return rf"(?<![\w@]){pattern}(?![\w@])"


_nlp = None
_nlp_lock = threading.Lock()


def _load_ner():
    """spaCy's French model, loaded once per process (about 4 s), only its NER."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            import spacy

            _nlp = spacy.load(
                "fr_core_news_sm", exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"]
            )
        return _nlp


class Pseudonymiser:
    """Replaces people, schools, e-mail addresses and phone numbers by readable placeholders."""

    def __init__(
        self,
        people: Iterable[Person] = (),
        schools: Iterable[str] = (),
        extra_allow: Iterable[str] = (),
        *,
        use_ner: bool = True,
    ):
        self.people = list(people)
        self.schools = [s for s in schools if s and s.strip()]
        self.allow = tuple(dict.fromkeys([*DEFAULT_ALLOW, *extra_allow]))
        self.use_ner = use_ner
        self._allow_re = self._alternation(sorted({_flex(_parts(a)) for a in self.allow if _parts(a)},
                                                  key=len, reverse=True))
        self._allow_words = {fold(a) for a in self.allow}
        self._school_res = self._compile_schools()
        self._person_insensitive, self._person_sensitive = self._compile_people()

    @staticmethod
    def _alternation(patterns: Sequence[str], flags: int = 0) -> re.Pattern | None:
        if not patterns:
            return None
        return re.compile(_bounded("(?:" + "|".join(patterns) + ")"), flags)

    def _compile_schools(self) -> list[re.Pattern]:
        type_words = (r"(?:coll[e]ge|lyc[e]e(?:[\s\-]+(?:professionnel|polyvalent|agricole"
                      r"|general(?:\s+et\s+technologique)?))?|lp|lpo|lgt|legt|erea|ecole|cite[\s\-]+scolaire)")
        full, cores = [], []
        for name in self.schools:
            parts = _parts(name)
            full.append(_flex(parts))
            core = re.sub(rf"^{type_words}[\s\-]+", "", " ".join(parts))
            core_parts = core.split()
            if core_parts and core_parts != parts:
                full.append(rf"{type_words}[\s\-]+{_flex(core_parts)}")
                if len(core) >= 4 and fold(core) not in self._allow_words:
                    cores.append(_flex(core_parts))
        patterns = sorted(full, key=len, reverse=True)
        compiled = []
        if patterns:
            compiled.append(self._alternation(patterns))
        if cores:
            compiled.append(self._alternation(sorted(cores, key=len, reverse=True)))
        return compiled

    def _compile_people(self) -> tuple[re.Pattern | None, re.Pattern | None]:
        # Case-insensitive (on folded text): full names and words no French dictionary knows.
        # Case-sensitive: single words that are also common French words (« Pierre », « Petit »),
        # matched only when capitalised so « un petit atelier » survives.
        insensitive: list[str] = []
        sensitive: list[str] = []
        for person in self.people:
            first, last = _parts(person.first), _parts(person.last)
            if not last:
                continue
            insensitive += ([f"{_flex(first)}[\\s\\-]+{_flex(last)}", f"{_flex(last)}[\\s\\-]+{_flex(first)}"]
                            if first else [])
            initials = [p[0] for p in first]
            last_initial = last[0][0]
            if first:
                dotted = r"[\s\-]*".join(rf"{i}\." for i in initials)
                sensitive_initial = [
                    rf"{dotted}\s*{_flex(last)}",  # J. Martin, J.-P. Martin
                    rf"{''.join(initials)}\.?\s+{_flex(last)}",  # JP Martin
                    rf"{_flex(first)}\s+{last_initial}\.",  # Jean-Pierre M.
                    rf"{re.escape(first[0])}\s+{last_initial}\.",  # Jean M.
                    r"[\s\-]*".join(rf"{i}\." for i in [*initials, last_initial]),  # J.-P.M., J.M.
                ]
                insensitive += sensitive_initial
                sensitive.append("".join(initials + [last_initial]).upper())  # JPM, JM (capitals only)
            for single in [_flex(last)] + ([_flex(first)] if first else []):
                word = single.replace("\\", "")
                if fold(word) in self._allow_words or len(word) < 3:
                    continue
                if simplemma.is_known(word, lang="fr"):
                    sensitive.append(single[0].upper() + single[1:] if single[0].isalpha() else single)
                else:
                    insensitive.append(single)
        insensitive = sorted(set(insensitive), key=len, reverse=True)
        sensitive = sorted(set(sensitive), key=len, reverse=True)
        return (
            self._alternation(insensitive, re.IGNORECASE),
            self._alternation(sensitive),
        )

    def _allowed_spans(self, folded: str) -> list[tuple[int, int]]:
        if self._allow_re is None:
            return []
        return [m.span() for m in re.finditer(self._allow_re.pattern, folded, re.IGNORECASE)]

    def findings(self, text: str) -> list[Finding]:
        """The spans that ``apply`` replaces, without overlaps, in text order."""
        if not text:
            return []
        folded = fold(text)
        # Same length as text, accents stripped but case kept, for case-sensitive patterns.
        # strict=False: a few rare letters lengthen when lower-cased (« İ »); never fail on a comment for that.
        cased = "".join(f if c.lower() == c else f.upper() for c, f in zip(text, folded, strict=False))
        allowed = self._allowed_spans(folded)
        candidates: list[Finding] = []

        def add(start: int, end: int, kind: str, source: str, respect_allow: bool = True) -> None:
            if respect_allow and any(a <= start and end <= b for a, b in allowed):
                return
            candidates.append(Finding(start, end, text[start:end], kind, source))

        for m in _EMAIL_RE.finditer(text):
            add(*m.span(), "email", "pattern", respect_allow=False)
        for m in _PHONE_RE.finditer(text):
            add(*m.span(), "phone", "pattern", respect_allow=False)
        for pattern in self._school_res:
            for m in pattern.finditer(folded):
                add(*m.span(), "school", "roster")
        if self._person_insensitive is not None:
            for m in self._person_insensitive.finditer(folded):
                add(*m.span(), "person", "roster")
        if self._person_sensitive is not None:
            for m in self._person_sensitive.finditer(cased):
                add(*m.span(), "person", "roster")
        for m in _TITLED_RE.finditer(text):
            add(*m.span(), "person", "title")
        for m in _SCHOOL_MENTION_RE.finditer(text):
            # « au collège » followed by a capitalised word that is a known tool is not a school.
            add(*m.span(), "school", "pattern")
        if self.use_ner:
            taken = _resolve(candidates)
            for start, end in self._ner_people(text, taken, allowed):
                add(start, end, "person", "ner")
        return _resolve(candidates)

    def _ner_people(
        self, text: str, taken: Sequence[Finding], allowed: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        doc = _load_ner()(text)
        spans = []
        for ent in doc.ents:
            if ent.label_ != "PER":
                continue
            start, end = ent.start_char, ent.end_char
            # Trim a leading title-less lowercase word or punctuation the model sometimes includes.
            words = [t for t in ent if t.is_alpha]
            if not words or not any(t.text[0].isupper() for t in words):
                continue
            if any(a < end and start < b for a, b in allowed):
                continue
            if any(f.start <= start and end <= f.end for f in taken):
                continue
            if all(t.text.isupper() and len(t.text) <= 6 for t in words):
                continue  # acronyms: ENT, SRANE, AESH…
            if len(words) == 1:
                word = words[0]
                if fold(word.text) in _NEVER_NAMES:
                    continue
                if word.is_sent_start and simplemma.is_known(word.text.lower(), lang="fr"):
                    continue  # « Merci », « Super » at the start of a sentence
            spans.append((start, end))
        return spans

    def apply(self, text: str) -> str:
        """The text with every finding replaced by its placeholder."""
        out = text
        for finding in reversed(self.findings(text)):
            out = out[: finding.start] + finding.replacement + out[finding.end :]
        return out


_PRIORITY = {("email", "pattern"): 0, ("phone", "pattern"): 1, ("school", "roster"): 2,
             ("person", "title"): 3, ("person", "roster"): 4, ("school", "pattern"): 5, ("person", "ner"): 6}


def _resolve(candidates: Sequence[Finding]) -> list[Finding]:
    """Keep non-overlapping findings, preferring trusted detectors, then longer spans."""
    ordered = sorted(candidates, key=lambda f: (_PRIORITY[(f.kind, f.source)], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in ordered:
        if any(k.start < finding.end and finding.start < k.end for k in kept):
            continue
        kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
