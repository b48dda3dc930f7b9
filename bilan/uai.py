"""UAI (ex-RNE) codes: seven digits and a check letter.

The letter is ``"ABCDEFGHJKLMNPRSTUVWXYZ"[number % 23]`` where ``number`` is
the seven-character prefix read as an integer (Corsican codes 2A/2B read as
20). Pure module, used by the roster model and the importers.
"""

import re

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_PATTERN = re.compile(r"^(\d{7}|2[AB]\d{5})([A-Z])$")


def uai_check_letter(prefix: str) -> str:
    if prefix[:2].upper() in ("2A", "2B"):
        digits = prefix.upper().replace("2A", "20", 1).replace("2B", "20", 1)
    else:
        digits = prefix
    return UAI_LETTERS[int(digits) % 23]


def normalise_uai(value: str) -> str:
    return re.sub(r"\s+", "", str(value or "")).upper()


def uai_problem(value: str) -> str | None:
    """French description of what is wrong with a UAI code, or None when valid."""
    code = normalise_uai(value)
    if not code:
        return "code UAI absent"
    match = UAI_PATTERN.match(code)
    if not match:
        return f"code UAI « {value} » mal formé (7 chiffres suivis d'une lettre, ex. 0860001A)"
    expected = uai_check_letter(match.group(1))
    if match.group(2) != expected:
        return f"code UAI « {code} » : lettre de contrôle incorrecte (attendu {match.group(1)}{expected})"
    return None


def make_uai(number: int) -> str:
    prefix = f"{number:07d}"
    return prefix + uai_check_letter(prefix)
