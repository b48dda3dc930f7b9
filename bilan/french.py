"""French typography for what Bilan shows and writes (pure, no Django).

The report, the respondent pages, the staff pages, the e-mails and the
import messages follow one set of rules, those of the Imprimerie nationale's
*Lexique des règles typographiques* and of the DSFR's content guide, so they
are written once, here:

- a no-break space (U+00A0) before « : » and « % », inside « guillemets »,
  between a number and what it counts, in « 18 h 04 »; before « ; ? ! » the
  thin no-break space (U+202F) the Imprimerie nationale asks for where we
  control the font (``narrow=True``: web pages), U+00A0 elsewhere (terminals
  and mail clients do not all draw U+202F);
- numbers with a decimal comma and a thin no-break space between thousands,
  rounded half up as people do by hand (32,5 → 33);
- dates written out (« 1er juin »), ordinals with a raised e (« 6ᵉ »), the
  typographic apostrophe (’).

Time zones are the caller's business: dates and times come in as local,
plain ``date`` / ``datetime`` values.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"  # no-break space
NNBSP = "\u202f"  # thin (narrow) no-break space
APOSTROPHE = "\u2019"
MISSING = "—"  # a figure that does not exist (empty base), never « 0 »

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


# --- Numbers ----------------------------------------------------------------------------------

def _half_up(value, digits: int) -> Decimal:
    # repr() is the shortest decimal that reads back as the float: 2.675 stays 2.675
    # (its binary value is 2.67499…), so it rounds to 2.68 as on paper.
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def round_half_up(value: float, digits: int = 0) -> float | int:
    """Round for display the way people do by hand: 32.5 → 33, 0.125 → 0.13 (2 digits), −0.5 → −1."""
    rounded = _half_up(value, digits)
    return int(rounded) if digits == 0 else float(rounded)


def fr_number(value: float | None, decimals: int = 0) -> str:
    """``12345.67`` → « 12 345,7 » (1 decimal): decimal comma, thin no-break space between thousands."""
    if value is None:
        return MISSING
    rounded = _half_up(float(value), decimals)
    if rounded == 0:
        rounded = abs(rounded)  # no « -0 »
    return f"{rounded:,.{decimals}f}".replace(",", NNBSP).replace(".", ",")


def fr_percent(value: float | None, decimals: int = 0) -> str:
    """A percentage 0–100: ``53.1`` → « 53 % » with a no-break space."""
    if value is None:
        return MISSING
    return f"{fr_number(value, decimals)}{NBSP}%"


def fr_points(value: float | None) -> str:
    """A signed difference in percentage points: « +6 points », « −10 points », « stable »."""
    if value is None:
        return MISSING
    rounded = int(round_half_up(abs(value)))
    if rounded == 0:
        return "stable"
    sign = "+" if value > 0 else "−"
    return f"{sign}{plural(rounded, 'point')}"


def fr_size(size: int) -> str:
    """A file's size: « 200 Mo », « 314,6 Mo », « 4 ko », « 12 octets »; one decimal at most, none when it is 0."""
    for unit, name in ((1_000_000, "Mo"), (1_000, "ko")):
        if size >= unit:
            value = round(size / unit, 1)
            return f"{fr_number(value, 0 if value.is_integer() else 1)}{NBSP}{name}"
    return f"{size}{NBSP}octets"


def plural(count: float, singular: str, plural_form: str | None = None, *, decimals: int = 0) -> str:
    """« 1 réponse », « 2 réponses », « 2 travaux » (``plural_form``): the number as French writes it.

    French puts the plural from 2 on (« 0 réponse », « 1,5 point »), judged on
    the number shown; a word ending in s, x or z does not change (« 2 fois »).
    """
    shown = _half_up(float(count), decimals)
    if abs(shown) < 2:
        word = singular
    elif plural_form is not None:
        word = plural_form
    else:
        word = singular if singular[-1:] in ("s", "x", "z") else singular + "s"
    return f"{fr_number(count, decimals)}{NBSP}{word}"


def enumeration(parts: list[str]) -> str:
    """« a », « a et b », « a, b et c »: a list as a French sentence writes it."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1] if parts else ""


def ordinal(number: int, *, feminine: bool = False) -> str:
    """« 1er », « 1re » (``feminine``), « 6ᵉ »."""
    if number == 1:
        return "1re" if feminine else "1er"
    return f"{number}\u1d49"


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(number: int | str) -> str:
    """``12`` → « ¹² » (note calls where the format has no superscript style)."""
    return str(number).translate(_SUPERSCRIPT_DIGITS)


# --- Text -------------------------------------------------------------------------------------

def guillemets(text: str) -> str:
    """« texte » with no-break spaces inside (the text is stripped)."""
    return f"«{NBSP}{str(text).strip()}{NBSP}»"


def apostrophes(text: str) -> str:
    """The typewriter apostrophe (') becomes the typographic one (’): « l’établissement »."""
    return text.replace("'", APOSTROPHE)


# A token that is an address (``https://…``, ``www.…``, ``nom@domaine.fr``): never retouched.
_ADDRESS = r"(?:[a-z][a-z0-9+.-]*://|www\.)\S*|[^\s@]+@[^\s@]+\.[^\s@]+"
_LETTER = r"[^\W\d_]"
# The elision apostrophe: a straight ' between two letters (« l'IA », « aujourd'hui », « L'École »).
_ELISION = re.compile(rf"(?i:{_ADDRESS})|(?<={_LETTER})'(?={_LETTER})")


def typographic_apostrophes(text: str) -> str:
    """A straight ' between two letters becomes ’: « l'IA » → « l’IA », « aujourd'hui » → « aujourd’hui ».

    Conservative, for prose that may quote anything: a ' with no letter before it or after it (a
    quotation mark 'ainsi', « l' IA » with a space, a code ``x = '1'``), and any ' inside an
    address (``https://…``, ``www.…``, an e-mail) stay as typed.
    """
    return _ELISION.sub(lambda m: APOSTROPHE if m.group(0) == "'" else m.group(0), text)


_SUP_E, _SUP_R, _SUP_N, _SUP_D, _SUP_S = "\u1d49", "\u02b3", "\u207f", "\u1d48", "\u02e2"  # ᵉ ʳ ⁿ ᵈ ˢ
# The ordinal's letters as typed (lower case only) → raised: 1er, 1re, 2nd(e), then the others.
_ORDINAL_SUFFIXES = {
    "er": _SUP_E + _SUP_R, "ers": _SUP_E + _SUP_R + _SUP_S,
    "re": _SUP_R + _SUP_E, "res": _SUP_R + _SUP_E + _SUP_S,
    "ère": _SUP_R + _SUP_E, "ères": _SUP_R + _SUP_E + _SUP_S,
    "nd": _SUP_N + _SUP_D, "nds": _SUP_N + _SUP_D + _SUP_S,
    "nde": _SUP_N + _SUP_D + _SUP_E, "ndes": _SUP_N + _SUP_D + _SUP_E + _SUP_S,
    "e": _SUP_E, "es": _SUP_E + _SUP_S, "è": _SUP_E, "ème": _SUP_E, "èmes": _SUP_E + _SUP_S,
    "eme": _SUP_E, "emes": _SUP_E + _SUP_S,
}
# A number standing alone (not after a letter, digit, « _ », « # » or a decimal separator: « A6e »,
# « 0x6e », « #16e », « 1,5e ») followed by one of the suffixes as the end of the word: nothing
# alphanumeric after it (« 2e5 », « 6eme » read as « 6ᵉ » but « 6ex » not) and no exponent
# (« 1e-6 », « 2e+3 »; a range « 6e-5e » is still two ordinals). « er », « re », « ère » only
# after 1, « nd(e) » only after 2 (« 11er », « 22nd » are not French ordinals).
_ORDINAL = re.compile(
    r"(?i:" + _ADDRESS + r")"
    r"|(?<![\w#])(?<!\d[.,])"
    r"(?:(?<!\d)(?P<one>1)(?P<one_suffix>ères|ère|ers|res|er|re)"
    r"|(?<!\d)(?P<two>2)(?P<two_suffix>ndes|nde|nds|nd)"
    r"|(?P<number>\d+)(?P<suffix>èmes|emes|ème|eme|es|è|e))"
    r"(?!\w)(?![-+]\d+(?![^\W\d_]))"
)


def _raised(match: re.Match) -> str:
    for number, suffix in (("one", "one_suffix"), ("two", "two_suffix"), ("number", "suffix")):
        if match.group(number):
            return match.group(number) + _ORDINAL_SUFFIXES[match.group(suffix)]
    return match.group(0)  # an address


def ordinal_superscripts(text: str) -> str:
    """Ordinals typed flat get their raised letters: « 6e », « 6ème », « 6è » → « 6ᵉ », « 1er » → « 1ᵉʳ »,
    « 1re », « 1ère » → « 1ʳᵉ », « 2nd » → « 2ⁿᵈ », « 2nde » → « 2ⁿᵈᵉ », plurals with ˢ (« les 3es » → « 3ᵉˢ »).

    Whole words after digits only: « 16e siècle » yes; « 2e5 », « 1e-6 », « 0x6e », « A6e », « 1,5e »,
    « 6ex », an address, upper case (« 6E ») and Roman numerals (« XVIe ») are left as typed.
    """
    return _ORDINAL.sub(_raised, text)


def typeset(text: str) -> str:
    """Prose we publish, finished: typographic apostrophes and raised ordinals (see both functions)."""
    return ordinal_superscripts(typographic_apostrophes(text))


_EXISTING_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]+([:;?!%»])")
_ANY_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]*([:;?!%»])")
_EXISTING_SPACE_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]+")
# Without ``insert``, plain replacements (no Python call per match): every HTML page goes through
# here (bilan.core.middleware), some with thousands of marks.
_EXISTING_SPACES_BEFORE_WIDE = re.compile(r"[ \u00a0\u202f]+(?=[:%»])")
_EXISTING_SPACES_BEFORE_NARROW = re.compile(r"[ \u00a0\u202f]+(?=[;?!])")
_ANY_SPACE_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]*")


def _not_punctuation(text: str, match: re.Match) -> bool:
    """A mark where inserting a space would be wrong: ``://`` (URL), 12:45 (time), line start, after « ( »."""
    start, end = match.start(), match.end()
    if match.group(1) == ":" and (text[end:end + 2] == "//"
                                  or (start > 0 and text[start - 1].isdigit() and text[end:end + 1].isdigit())):
        return True
    return start == 0 or text[start - 1] in "\n("


def french_spacing(text: str, *, narrow: bool = False, insert: bool = False) -> str:
    """No-break spaces before « : ; ? ! % » and inside « … ».

    By default only the spaces already typed become no-break (a run of them
    becomes one), so text that is not prose (codes, values quoted from a file)
    is never given a space it did not have. ``insert`` adds the missing ones
    too, except in URLs, times (12:45), at a line start and after « ( »: for
    prose we write ourselves (the report). ``narrow`` uses the thin no-break
    space before « ; ? ! », for screens.
    """

    if not insert:
        if narrow:
            text = _EXISTING_SPACES_BEFORE_WIDE.sub(NBSP, text)
            text = _EXISTING_SPACES_BEFORE_NARROW.sub(NNBSP, text)
        else:
            text = _EXISTING_SPACE_BEFORE.sub(NBSP + r"\1", text)
        return _EXISTING_SPACE_AFTER_OPENING.sub("«" + NBSP, text)

    def before(match: re.Match) -> str:
        mark = match.group(1)
        if _not_punctuation(text, match):
            return match.group(0)
        return (NNBSP if narrow and mark in ";?!" else NBSP) + mark

    text = _ANY_SPACE_BEFORE.sub(before, text)
    return _ANY_SPACE_AFTER_OPENING.sub("«" + NBSP, text)


# --- Dates and times --------------------------------------------------------------------------

def _day_of_month(day: date) -> str:
    return "1er" if day.day == 1 else str(day.day)


def weekday_date(day: date) -> str:
    """« vendredi 8 janvier 2027 », « samedi 1er juin 2024 » (plain spaces: e-mail text)."""
    return f"{WEEKDAYS[day.weekday()]} {_day_of_month(day)} {MONTHS[day.month - 1]} {day.year}"


def fr_date(day: date) -> str:
    """« 8 janvier 2027 », « 1er juin 2024 », the day kept with its month by a no-break space."""
    return f"{_day_of_month(day)}{NBSP}{MONTHS[day.month - 1]} {day.year}"


def numeric_date(day: date | str) -> str:
    """« 08/01/2027 »; an ISO 8601 date string is read first (report documents keep dates as text)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def fr_time(moment: time | datetime) -> str:
    """« 18 h 04 », « 0 h 00 » with no-break spaces."""
    return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"


def fr_datetime(moment: datetime) -> str:
    """« 30 juin 2024 à 23 h 59 » (``moment`` already in local time)."""
    return f"{fr_date(moment)} à {fr_time(moment)}"


# --- The same in HTML: text nodes only ----------------------------------------------------------

# An element whose content is not prose, or a comment: skipped whole.
_RAW_ELEMENTS = ("script", "style", "pre", "code", "kbd", "samp", "textarea")
_RAW = re.compile("|".join(rf"<{name}\b.*?</{name}\s*>" for name in _RAW_ELEMENTS) + r"|<!--.*?-->",
                  re.IGNORECASE | re.DOTALL)
# A mark with a space of any kind before it, or « with one after it: the places french_spacing may
# change. The pattern starts with the mark (rare in a page) so the search skips ahead fast.
_SPACE = " \t\r\n\f\u00a0\u202f"
_MARK_AFTER_SPACE = re.compile(rf"[:;?!%»«](?:(?<=[{_SPACE}].)|(?<=«)(?=[{_SPACE}]))")
_ALREADY_RIGHT = {f"{NBSP}:", f"{NBSP}%", f"{NBSP}»", f"{NNBSP};", f"{NNBSP}?", f"{NNBSP}!", f"«{NBSP}"}
# In HTML text a line break or tab is a breakable space like any other: make it a space so
# that french_spacing (which knows spaces only) turns the run into one no-break space.
_HTML_SPACE = re.compile(r"[\t\r\n\f]")


def _spaced(site: str) -> str:
    return site if site in _ALREADY_RIGHT else french_spacing(_HTML_SPACE.sub(" ", site), narrow=True)


def french_spacing_html(html: str) -> str:
    """``html`` with French no-break spaces (:func:`french_spacing`, narrow) in its text nodes only.

    Never in tags and attribute values, nor in ``<script>``, ``<style>``, ``<pre>``, ``<code>``,
    ``<kbd>``, ``<samp>``, ``<textarea>`` (what a person edits) or comments; see
    :mod:`bilan.core.middleware`, which applies it to every page.

    Rather than cutting the page at every tag, it visits each mark that has a space beside it
    (a few hundred in a big page) and skips it when it is inside a tag (the last « < » before it
    comes after the last « > ») or inside a raw element or a comment. A literal « > » in an
    attribute value would end the tag early, as it does for an HTML tokenizer that splits on
    « > »: Django escapes it in values (« &gt; »), so only hand-written attributes could hold one.
    """
    raw_spans = None
    pieces, done, size = [], 0, len(html)
    for match in _MARK_AFTER_SPACE.finditer(html):
        mark = match.start()
        if mark < done or html.rfind("<", 0, mark) > html.rfind(">", 0, mark):
            continue
        if raw_spans is None:
            raw_spans = [raw.span() for raw in _RAW.finditer(html)]
            raw_starts = [span[0] for span in raw_spans]
        inside = bisect_right(raw_starts, mark) - 1
        if inside >= 0 and mark < raw_spans[inside][1]:
            continue
        start = end = mark
        if html[mark] == "«":
            end += 1
            while end < size and html[end] in _SPACE:
                end += 1
        else:
            end += 1
            while start > done and html[start - 1] in _SPACE:
                start -= 1
        pieces += [html[done:start], _spaced(html[start:end])]
        done = end
    if not pieces:
        return html
    pieces.append(html[done:])
    return "".join(pieces)
