"""bilan.french: one table per function, with the exact limits of each rule.

The last tests render the template filters of ``bilan_fr``, the one library
that puts these functions in the templates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bilan.french import (
    NBSP,
    NNBSP,
    apostrophes,
    fr_date,
    fr_datetime,
    fr_number,
    fr_percent,
    fr_points,
    fr_time,
    french_spacing,
    guillemets,
    numeric_date,
    ordinal,
    ordinal_superscripts,
    plural,
    round_half_up,
    superscript,
    typeset,
    typographic_apostrophes,
    weekday_date,
)

S, N = NBSP, NNBSP  # short names keep the expected texts readable


# --- Numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "digits", "expected"), [
    (0.5, 0, 1),
    (0.49999, 0, 0),
    (0.49999999999999994, 0, 0),  # floor(x + 0.5) would say 1: the float sum rounds up
    (32.5, 0, 33),
    (31.49, 0, 31),
    (-0.5, 0, -1),  # half away from zero, as by hand
    (0.125, 2, 0.13),
    (2.675, 2, 2.68),  # stored as 2.67499…: rounded as written, not as stored
    (1.005, 2, 1.01),
    (2.665, 2, 2.67),
    (12, 0, 12),
])
def test_round_half_up(value, digits, expected):
    rounded = round_half_up(value, digits)
    assert rounded == expected
    assert isinstance(rounded, int) == (digits == 0)


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (None, 0, "—"),
    (0, 0, "0"),
    (0.5, 0, "1"),
    (0.49999, 0, "0"),
    (-0.4, 0, "0"),  # no « -0 »
    (-0.04, 1, "0,0"),
    (999, 0, "999"),
    (999.5, 0, f"1{N}000"),
    (12345, 0, f"12{N}345"),
    (1234567.891, 2, f"1{N}234{N}567,89"),
    (2.675, 2, "2,68"),
    (2.23, 2, "2,23"),
    (32.45, 1, "32,5"),
    (7, 1, "7,0"),
])
def test_fr_number(value, decimals, expected):
    assert fr_number(value, decimals) == expected


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (None, 0, "—"),
    (0, 0, f"0{S}%"),
    (53.1, 0, f"53{S}%"),
    (32.5, 0, f"33{S}%"),
    (32.49999, 0, f"32{S}%"),
    (32.45, 1, f"32,5{S}%"),
    (100, 0, f"100{S}%"),
])
def test_fr_percent(value, decimals, expected):
    assert fr_percent(value, decimals) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, "—"),
    (0, "stable"),
    (0.49999, "stable"),
    (-0.4, "stable"),
    (0.5, f"+1{S}point"),
    (1.49, f"+1{S}point"),
    (1.5, f"+2{S}points"),
    (-1, f"−1{S}point"),
    (-10, f"−10{S}points"),  # a true minus sign (U+2212)
])
def test_fr_points(value, expected):
    assert fr_points(value) == expected


@pytest.mark.parametrize(("count", "args", "kwargs", "expected"), [
    (0, ("réponse",), {}, f"0{S}réponse"),
    (1, ("réponse",), {}, f"1{S}réponse"),
    (2, ("réponse",), {}, f"2{S}réponses"),
    (12345, ("réponse",), {}, f"12{N}345{S}réponses"),
    (1, ("travail", "travaux"), {}, f"1{S}travail"),
    (2, ("travail", "travaux"), {}, f"2{S}travaux"),
    (3, ("fois",), {}, f"3{S}fois"),  # s, x, z: invariable
    (2, ("prix",), {}, f"2{S}prix"),
    (2, ("gaz",), {}, f"2{S}gaz"),
    (1.5, ("point",), {"decimals": 1}, f"1,5{S}point"),  # below 2: singular
    (1.96, ("point",), {"decimals": 1}, f"2,0{S}points"),  # judged on the number shown
    (1.96, ("point",), {}, f"2{S}points"),
    (1.49, ("point",), {}, f"1{S}point"),
])
def test_plural(count, args, kwargs, expected):
    assert plural(count, *args, **kwargs) == expected


@pytest.mark.parametrize(("number", "feminine", "expected"), [
    (1, False, "1er"),
    (1, True, "1re"),
    (2, False, "2ᵉ"),
    (6, False, "6ᵉ"),
    (6, True, "6ᵉ"),
    (21, False, "21ᵉ"),
])
def test_ordinal(number, feminine, expected):
    assert ordinal(number, feminine=feminine) == expected


@pytest.mark.parametrize(("number", "expected"), [
    (0, "⁰"), (1, "¹"), (12, "¹²"), ("3", "³"), (1234567890, "¹²³⁴⁵⁶⁷⁸⁹⁰")])
def test_superscript(number, expected):
    assert superscript(number) == expected


# --- Text -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Oui", f"«{S}Oui{S}»"),
    ("  bilan 2023/2024 ", f"«{S}bilan 2023/2024{S}»"),
])
def test_guillemets(text, expected):
    assert guillemets(text) == expected


@pytest.mark.parametrize("text", [
    "x", " x ", f"{S}x{S}", f"{N}x{N}", "\nx\n", f" {S}x {N}\t",
])
def test_guillemets_keep_one_no_break_space_inside_whatever_the_quote_starts_or_ends_with(text):
    assert guillemets(text) == f"«{S}x{S}»"


def test_guillemets_keep_the_spaces_inside_the_quote():
    assert guillemets(f" l'IA{S}? oui ") == f"«{S}l'IA{S}? oui{S}»"


@pytest.mark.parametrize(("text", "expected"), [
    ("l'établissement", "l’établissement"),
    ("aujourd'hui, l'ENT", "aujourd’hui, l’ENT"),
    ("déjà l’apostrophe", "déjà l’apostrophe"),
    ("", ""),
])
def test_apostrophes(text, expected):
    assert apostrophes(text) == expected


A = "\u2019"  # ’


@pytest.mark.parametrize(("text", "expected"), [
    ("l'IA", f"l{A}IA"),
    ("aujourd'hui", f"aujourd{A}hui"),
    ("L'École d'été", f"L{A}École d{A}été"),
    ("qu'hier, jusqu'à lorsqu'on", f"qu{A}hier, jusqu{A}à lorsqu{A}on"),
    ("l'ENT, l'IA et s'y", f"l{A}ENT, l{A}IA et s{A}y"),
    # the limits: a letter on each side, nothing else
    ("l' IA", "l' IA"),               # a space after it
    ("'ainsi'", "'ainsi'"),           # a quotation mark: no letter before the first, none after the second
    ("d'1", "d'1"),                   # a digit after it
    ("1'a", "1'a"),                   # a digit before it
    ("x = '1'", "x = '1'"),
    ("l''IA", "l''IA"),
    ("'", "'"),
    ("", ""),
    (f"l{A}IA", f"l{A}IA"),           # already typographic
    # addresses keep their characters, prose around them does not
    ("voir https://exemple.fr/l'a et l'ENT", f"voir https://exemple.fr/l'a et l{A}ENT"),
    ("www.l'ecole.fr", "www.l'ecole.fr"),
    ("o'brien@exemple.fr", "o'brien@exemple.fr"),
    (f"«{S}l'IA{S}»", f"«{S}l{A}IA{S}»"),  # the no-break spaces of the guillemets stay
])
def test_typographic_apostrophes(text, expected):
    assert typographic_apostrophes(text) == expected


E, R, NS, D, PL = "\u1d49", "\u02b3", "\u207f", "\u1d48", "\u02e2"  # ᵉ ʳ ⁿ ᵈ ˢ


@pytest.mark.parametrize(("text", "expected"), [
    ("6e", f"6{E}"),
    ("6ème", f"6{E}"),
    ("6è", f"6{E}"),
    ("6eme", f"6{E}"),
    ("en 6e, 5e et 4e.", f"en 6{E}, 5{E} et 4{E}."),
    ("le 16e siècle", f"le 16{E} siècle"),
    ("la 21ème fois", f"la 21{E} fois"),
    ("les 3es et les 4èmes", f"les 3{E}{PL} et les 4{E}{PL}"),
    ("1er", f"1{E}{R}"),
    ("le 1er juin", f"le 1{E}{R} juin"),
    ("les 1ers", f"les 1{E}{R}{PL}"),
    ("1re", f"1{R}{E}"),
    ("1ère", f"1{R}{E}"),
    ("les 1res, les 1ères", f"les 1{R}{E}{PL}, les 1{R}{E}{PL}"),
    ("2nd degré", f"2{NS}{D} degré"),
    ("2nde", f"2{NS}{D}{E}"),
    ("les 2ndes", f"les 2{NS}{D}{E}{PL}"),
    ("6e-5e", f"6{E}-5{E}"),          # a range of classes
    ("(6e)", f"(6{E})"),
    (f"1{N}000e", f"1{N}000{E}"),     # thousands are spaced
    # one past each limit: not an ordinal, left as typed
    ("2e5", "2e5"),                   # an exponent
    ("1e-6", "1e-6"),
    ("2e+3", "2e+3"),
    ("0x6e", "0x6e"),                 # hexadecimal
    ("A6e", "A6e"),                   # a reference
    ("#16e", "#16e"),
    ("_6e", "_6e"),
    ("1,5e", "1,5e"),                 # after a decimal separator
    ("2.5e", "2.5e"),
    ("6ex", "6ex"),                   # more letters after it
    ("6e_", "6e_"),
    ("6emes2", "6emes2"),
    ("6E", "6E"),                     # upper case
    ("XVIe", "XVIe"),                 # Roman numerals: not digits
    ("e", "e"),
    ("11er", "11er"),                 # « er », « re » only after 1
    ("21re", "21re"),
    ("3er", "3er"),
    ("22nd", "22nd"),                 # « nd » only after 2
    ("3nde", "3nde"),
    ("1erx", "1erx"),
    ("https://exemple.fr/6e", "https://exemple.fr/6e"),
    (f"6{E}", f"6{E}"),               # already raised
    ("", ""),
])
def test_ordinal_superscripts(text, expected):
    assert ordinal_superscripts(text) == expected


def test_typeset_applies_both_and_nothing_else():
    text = f"«{S}Aujourd'hui, l'IA en 6e et en 2nde{S}»{S}: 1er essai{N}!"
    assert typeset(text) == f"«{S}Aujourd{A}hui, l{A}IA en 6{E} et en 2{NS}{D}{E}{S}»{S}: 1{E}{R} essai{N}!"
    assert typeset(typeset(text)) == typeset(text)


@pytest.mark.parametrize(("text", "options", "expected"), [
    # Default: only the spaces already typed become no-break ones.
    ("ligne 3 : « x » ; 50 % ? oui !", {}, f"ligne 3{S}: «{S}x{S}»{S}; 50{S}%{S}? oui{S}!"),
    ("a  : b", {}, f"a{S}: b"),  # a run of spaces becomes one
    (f"a{N}; b", {}, f"a{S}; b"),
    ("Bilan: 50% des RUPN!", {}, "Bilan: 50% des RUPN!"),  # nothing added
    ("«x»", {}, "«x»"),
    ("voir : https://bilan.example/r/abc", {}, f"voir{S}: https://bilan.example/r/abc"),
    ("", {}, ""),
    # narrow: the thin no-break space before ; ? ! (screens), U+00A0 before : % and in « ».
    ("Oui ? Non ; peut-être ! 50 % : fin", {"narrow": True}, f"Oui{N}? Non{N}; peut-être{N}! 50{S}%{S}: fin"),
    ("« x »", {"narrow": True}, f"«{S}x{S}»"),
    (f"Vraiment{S}?", {"narrow": True}, f"Vraiment{N}?"),
    ("Quoi?", {"narrow": True}, "Quoi?"),
    # insert: missing spaces are added, URLs, times, line starts and « ( » are left alone.
    ("Bilan: 50% des RUPN!", {"insert": True}, f"Bilan{S}: 50{S}% des RUPN{S}!"),
    ("«x»", {"insert": True}, f"«{S}x{S}»"),
    ("https://bilan.example/r/abc", {"insert": True}, "https://bilan.example/r/abc"),
    ("à 12:45 ou 18:04", {"insert": True}, "à 12:45 ou 18:04"),
    ("12 :45", {"insert": True}, "12 :45"),
    (":début", {"insert": True}, ":début"),
    ("a\n: b", {"insert": True}, "a\n: b"),
    ("(?) et (!)", {"insert": True}, "(?) et (!)"),
    ("Heure: 12:45; fin?", {"insert": True, "narrow": True}, f"Heure{S}: 12:45{N}; fin{N}?"),
])
def test_french_spacing(text, options, expected):
    assert french_spacing(text, **options) == expected


@pytest.mark.parametrize("options", [{}, {"narrow": True}, {"insert": True}, {"insert": True, "narrow": True}])
def test_french_spacing_is_idempotent(options):
    text = "Bilan : « 50 % » ; 12:45 ? https://x.fr (oui) !"
    once = french_spacing(text, **options)
    assert french_spacing(once, **options) == once


# --- Dates and times --------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "expected"), [
    (date(2027, 1, 8), "vendredi 8 janvier 2027"),
    (date(2024, 5, 31), "vendredi 31 mai 2024"),
    (date(2024, 6, 1), "samedi 1er juin 2024"),
    (date(2024, 2, 29), "jeudi 29 février 2024"),
    (date(2023, 12, 31), "dimanche 31 décembre 2023"),
    (datetime(2024, 9, 2, 23, 59), "lundi 2 septembre 2024"),
])
def test_weekday_date(day, expected):
    assert weekday_date(day) == expected


@pytest.mark.parametrize(("day", "expected"), [
    (date(2027, 1, 8), f"8{S}janvier 2027"),
    (date(2024, 6, 1), f"1er{S}juin 2024"),
    (date(2024, 8, 15), f"15{S}août 2024"),
    (date(2024, 12, 31), f"31{S}décembre 2024"),
])
def test_fr_date(day, expected):
    assert fr_date(day) == expected


@pytest.mark.parametrize(("day", "expected"), [
    (date(2027, 1, 8), "08/01/2027"),
    (date(2024, 12, 1), "01/12/2024"),
    ("2024-06-30", "30/06/2024"),
])
def test_numeric_date(day, expected):
    assert numeric_date(day) == expected


@pytest.mark.parametrize(("moment", "expected"), [
    (time(18, 4), f"18{S}h{S}04"),
    (time(0, 0), f"0{S}h{S}00"),
    (time(9, 30), f"9{S}h{S}30"),
    (datetime(2024, 6, 30, 23, 59), f"23{S}h{S}59"),
])
def test_fr_time(moment, expected):
    assert fr_time(moment) == expected


@pytest.mark.parametrize(("moment", "expected"), [
    (datetime(2024, 6, 30, 23, 59), f"30{S}juin 2024 à 23{S}h{S}59"),
    (datetime(2024, 7, 1, 0, 0), f"1er{S}juillet 2024 à 0{S}h{S}00"),
    (datetime(2024, 6, 30, 21, 59, tzinfo=UTC), f"30{S}juin 2024 à 21{S}h{S}59"),  # no time zone conversion
])
def test_fr_datetime(moment, expected):
    assert fr_datetime(moment) == expected


# --- The template filters ---------------------------------------------------------------------

def render(source: str, **context) -> str:
    from django.template import Context, Template

    return Template("{% load bilan_fr %}" + source).render(Context(context))


@pytest.mark.parametrize(("source", "context", "expected"), [
    ("{{ v|fr }}", {"v": "Oui ? <b>x</b> : « y »"}, f"Oui{N}? &lt;b&gt;x&lt;/b&gt;{S}: «{S}y{S}»"),
    ("{{ v|fr_typo }}", {"v": "Bilan: 50%"}, f"Bilan{S}: 50{S}%"),
    ("{{ v|percent }}", {"v": 0.3251}, f"32,5{S}%"),
    ("{{ v|percent }}", {"v": None}, "—"),
    ("{{ v|fr_percent }}", {"v": 53.1}, f"53{S}%"),
    ("{{ v|fr_percent:1 }}", {"v": 32.45}, f"32,5{S}%"),
    ("{{ v|fr_number }}", {"v": 12345}, f"12{N}345"),
    ("{{ v|fr_number:1 }}", {"v": 2.25}, "2,3"),
    ("{{ v|fr_points }}", {"v": -6.2}, f"−6{S}points"),
    ("{{ v|fr_plural:'réponse' }}", {"v": 1}, f"1{S}réponse"),
    ("{{ v|fr_plural:'réponse' }}", {"v": 2}, f"2{S}réponses"),
    ("{{ v|fr_plural:'travail,travaux' }}", {"v": 2}, f"2{S}travaux"),
    ("{{ v|fr_ordinal }}", {"v": 1}, "1er"),
    ("{{ v|fr_ordinal:'f' }}", {"v": 1}, "1re"),
    ("{{ v|fr_date }}", {"v": date(2024, 6, 1)}, f"1er{S}juin 2024"),
    ("{{ v|weekday_date }}", {"v": date(2024, 5, 31)}, "vendredi 31 mai 2024"),
    ("{{ v|numeric_date }}", {"v": date(2027, 1, 8)}, "08/01/2027"),
    # An aware moment is read in the site's time zone (Europe/Paris: UTC+2 in summer).
    ("{{ v|fr_datetime }}", {"v": datetime(2024, 6, 30, 21, 59, tzinfo=UTC)}, f"30{S}juin 2024 à 23{S}h{S}59"),
    ("{{ v|fr_time }}", {"v": datetime(2024, 6, 30, 22, 0, tzinfo=UTC)}, f"0{S}h{S}00"),
    ("{{ v|fr_date }}", {"v": None}, ""),
    ("{{ m|get_item:'a' }}", {"m": {"a": "x"}}, "x"),
])
def test_template_filters(source, context, expected, settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert render(source, **context) == expected
