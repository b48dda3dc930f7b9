"""French normalisation of comments: tokens, elisions, lemmas, accents, negation.

Matching works on *folded* lemmas (lower case, accents removed) so that « équipe »,
« Équipes » and « equipe » meet; the accented lemma is kept alongside for display
(theme labels must read as correct French).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import simplemma
import snowballstemmer

__all__ = [
    "NEGATION_WORDS",
    "STOP_WORDS",
    "Token",
    "analyse",
    "content_lemmas",
    "content_stems",
    "fold",
    "normalise",
    "stem",
]

# Words that open or close a French negation. They are never dropped as stop
# words: « le wifi fonctionne » and « le wifi ne fonctionne pas » must differ.
NEGATION_WORDS = frozenset(
    {"ne", "pas", "plus", "jamais", "rien", "aucun", "aucune", "sans", "non", "guere", "ni", "personne", "point"}
)
# Particles that close « ne … X » and, used alone (« ça marche pas »), negate around them.
_CLOSING = frozenset({"pas", "plus", "jamais", "rien", "aucun", "aucune", "guere", "point", "personne"})
# Particles that negate what follows without a « ne » (« sans wifi », « aucun ordinateur »).
_PREFIX_NEGATORS = frozenset({"sans", "aucun", "aucune", "non", "pas", "jamais"})
_DETERMINERS = frozenset({"de", "du", "des", "le", "la", "les", "un", "une", "assez", "trop", "beaucoup", "tant"})

STOP_WORDS = frozenset(
    ["a", "à", "ai", "aie", "aient", "aies", "ait", "al", "alors", "as", "au", "aucuns", "aupres", "auquel", "aura",
     "aurai", "auraient", "aurais", "aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aussi",
     "autre", "autres", "aux", "auxquelles", "auxquels", "avaient", "avais", "avait", "avant", "avec", "avez", "aviez",
     "avions", "avoir", "avons", "ayant", "ayez", "ayons", "bah", "bien", "c", "ca", "car", "ce", "ceci", "cela",
     "celle", "celles", "celui", "cependant", "certain", "certaine", "certaines", "certains", "ces", "cet", "cette",
     "ceux", "chaque", "chez", "ci", "comme", "comment", "d", "dans", "de", "des", "desquelles", "desquels", "deja",
     "donc", "dont", "du", "duquel", "durant", "elle", "elles", "en", "encore", "entre", "es", "est", "et", "etaient",
     "etais", "etait", "etant", "ete", "etes", "etiez", "etions", "etre", "eu", "eue", "eues", "eurent", "eus", "eusse",
     "eut", "eux", "faire", "fais", "fait", "font", "furent", "fus", "fut", "ici", "il", "ils", "j", "je", "jusqu",
     "jusque", "l", "la", "laquelle", "le", "lequel", "les", "lesquelles", "lesquels", "leur", "leurs", "lors",
     "lorsqu", "lorsque", "lui", "m", "ma", "mais", "me", "meme", "memes", "mes", "moi", "mon", "n", "nos", "notre",
     "nous", "on", "ont", "ou", "par", "parce", "parfois", "pendant", "peu", "peut", "peuvent", "pour", "pourquoi",
     "puis", "qu", "quand", "que", "quel", "quelle", "quelles", "quels", "qui", "quoi", "s", "sa", "se", "selon", "ses",
     "si", "sien", "soi", "soient", "sois", "soit", "sommes", "son", "sont", "sous", "suis", "sur", "t", "ta", "te",
     "tel", "telle", "tels", "tes", "toi", "ton", "tous", "tout", "toute", "toutes", "tres", "tu", "un", "une", "unes",
     "uns", "vers", "voici", "voila", "vos", "votre", "vous", "y", "etc", "ceci", "cela", "ça", "là", "ou", "oui",
     "avoir", "etre", "aller", "devoir", "pouvoir", "falloir", "vouloir", "beaucoup", "trop", "tant", "autant", "assez",
     "deux", "trois", "lui", "leur", "celui", "chose", "cas", "fois", "an", "annee", "aujourd'hui", "mieux", "moins",
     "souvent", "toujours", "deja"]
)

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'"})
_ELIDED = {
    "l": "le", "d": "de", "j": "je", "n": "ne", "s": "se", "c": "ce", "m": "me", "t": "te",
    "qu": "que", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque", "quoiqu": "quoique",
}
_TOKEN_RE = re.compile(
    r"aujourd'hui|presqu'[a-z\u00e0-\u00ff]+"
    r"|(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])'(?=\w)"
    r"|[^\W\d_]+(?:[-+][^\W\d_]+)*\+?"
    r"|\d+(?:[.,]\d+)?",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Lower-case and strip accents (« Élève » -> « eleve »); keeps one character per character."""
    out = []
    for ch in text.lower():
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0] if decomposed else ch
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a comment after normalisation."""

    surface: str  # as written (lower-cased)
    lemma: str  # accented lemma, for display
    key: str  # folded lemma, for stop words and negation
    stop: bool  # an empty word (negation words are never stop words)
    negated: bool  # inside the scope of a negation
    stem: str = ""  # folded Snowball stem of the lemma, for matching keywords and comparing texts


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    if word in _ELIDED_FORMS:
        return _ELIDED_FORMS[word]
    try:
        return simplemma.lemmatize(word, lang="fr")
    except ValueError:
        return word


_ELIDED_FORMS = {f"{short}'": full for short, full in _ELIDED.items()}

_STEMMER = snowballstemmer.stemmer("french")
_STEMMER_LOCK = threading.Lock()


@lru_cache(maxsize=200_000)
def stem(lemma: str) -> str:
    """Folded Snowball stem of a lemma.

    simplemma leaves words it does not know as written (« chatbots », « visios »,
    « conversationnels ») and keeps participles (« générés » → « généré »); the stem
    brings them to the keyword's form (« chatbot », « visio », « génér »).
    """
    with _STEMMER_LOCK:  # the Snowball stemmer object keeps state between calls
        return fold(_STEMMER.stemWord(lemma))


def _raw_tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.translate(_APOSTROPHES).lower())


def analyse(text: str) -> list[Token]:
    """Tokenise, lemmatise and mark stop words and negation scope."""
    words = _raw_tokens(text)
    tokens: list[Token] = []
    keys = []
    for word in words:
        lemma = _lemma(word).lower()
        key = fold(lemma)
        keys.append(key)
        tokens.append(Token(word, lemma, key, key in STOP_WORDS and key not in NEGATION_WORDS, False, stem(lemma)))
    negated = [False] * len(tokens)
    open_ne = False
    # After a closing particle only the next content word stays negated, and only if
    # nothing but determiners stands between (« pas de wifi », « pas le temps »,
    # but not « ne fonctionnent pas la moitié du temps »).
    scope_after = False
    last_content = -1
    for i, tok in enumerate(tokens):
        key = tok.key
        if key == "ne":
            open_ne, scope_after = True, False
            continue
        if key in _CLOSING and (open_ne or key in _PREFIX_NEGATORS):
            if not open_ne and last_content >= 0 and key in ("pas", "jamais", "plus"):
                # Colloquial negation without « ne »: « ça marche pas ».
                negated[last_content] = True
            open_ne = False
            scope_after = True
            continue
        if key in _PREFIX_NEGATORS:
            scope_after = True
            continue
        if tok.stop or key in NEGATION_WORDS:
            if key not in _DETERMINERS:
                scope_after = False
            continue
        if open_ne or scope_after:
            negated[i] = True
        scope_after = False
        last_content = i
    return [
        Token(t.surface, t.lemma, t.key, t.stop, negated[i], t.stem) if negated[i] else t
        for i, t in enumerate(tokens)
    ]


def content_lemmas(text: str) -> list[str]:
    """Folded lemmas of the content words only (no stop word, no negation word)."""
    return [t.key for t in analyse(text) if not t.stop and t.key not in NEGATION_WORDS and len(t.key) > 1]


def normalise(text: str) -> list[str]:
    """Folded lemmas of a French text, stop words removed but negation words kept.

    >>> normalise("Les tablettes ne fonctionnent pas !")
    ['tablette', 'ne', 'fonctionner', 'pas']
    """
    return [t.key for t in analyse(text) if not t.stop and (len(t.key) > 1 or t.key in NEGATION_WORDS)]


def content_stems(text: str) -> list[str]:
    """Folded stems of the content words only, so that « chatbots » and « chatbot » meet."""
    return [t.stem for t in analyse(text) if not t.stop and t.key not in NEGATION_WORDS and len(t.key) > 1]
