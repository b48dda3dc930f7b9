"""Each cross-cutting concern has one home, and this test keeps it so.

It reads the source tree as text: a second definition of the French spacing
function, of the no-break space constant, of half-up rounding, of the French
date, of the school types or of the département names fails here with the
place of the copy, so the next helper is imported rather than rewritten.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "bilan"


def source_files() -> list[Path]:
    return sorted(path for path in SOURCE.rglob("*.py") if "migrations" not in path.parts)


def definitions(pattern: str) -> list[str]:
    """Every ``file:line`` of the source tree where ``pattern`` matches a line."""
    regex = re.compile(pattern)
    found = []
    for path in source_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if regex.search(line):
                found.append(f"{path.relative_to(SOURCE.parent)}:{number}")
    return found


# (what, regex of a definition, the one file allowed to hold it)
ONE_HOME = [
    ("the French spacing function", r"^\s*def (french_spacing|fix_typography|fr_spacing)\b", "bilan/french.py"),
    ("the no-break space", r"^\s*NBSP\s*[:=]", "bilan/french.py"),
    ("the narrow no-break space", r"^\s*NNBSP\s*[:=]", "bilan/french.py"),
    ("half-up rounding", r"^\s*def round_half_up\b|ROUND_HALF_UP|math\.floor\([^)]*\+ *0\.5", "bilan/french.py"),
    ("the French month names", r"[\"']février[\"']", "bilan/french.py"),
    ("the French date", r"^\s*def \w*(date_fr|fr_date|french_date|fr_datetime|french_datetime)\w*\b",
     "bilan/french.py"),
    ("the school types", r"[\"']erea[\"']\s*[:,]\s*[\"']EREA[\"']|[\"']lp[\"']\s*[:,]\s*[\"']Lycée professionnel[\"']"
                         r"|[\"']college[\"'],\s*[\"']lycee[\"'],\s*[\"']lp[\"']", "bilan/vocabularies.py"),
    ("the département names", r"[\"']17[\"']\s*[:,]\s*[\"']Charente-Maritime[\"']", "bilan/vocabularies.py"),
    # Every export goes through the writer that keeps text from running as a formula (issue 13).
    ("the spreadsheet writers", r"csv\.(writer|DictWriter)\(|\bWorkbook\(", "bilan/interop/spreadsheets.py"),
]


@pytest.mark.parametrize(("what", "pattern", "home"), ONE_HOME, ids=[row[0] for row in ONE_HOME])
def test_each_concern_is_defined_in_its_one_home(what, pattern, home):
    found = definitions(pattern)
    elsewhere = [place for place in found if not place.startswith(home + ":")]
    assert found, f"{what}: no definition found in {home} (the check itself is stale)"
    assert not elsewhere, f"{what} is defined again outside {home}: {', '.join(elsewhere)}"


def test_the_check_finds_a_second_definition(tmp_path, monkeypatch):
    """The grep above must fail on a copy, or it protects nothing."""
    copy = tmp_path / "bilan" / "somewhere"
    copy.mkdir(parents=True)
    (copy / "helpers.py").write_text('NBSP = "\\u00a0"\n\ndef round_half_up(x):\n    return x\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SOURCE", tmp_path / "bilan")
    assert definitions(r"^\s*NBSP\s*[:=]") == ["bilan/somewhere/helpers.py:1"]
    assert definitions(r"^\s*def round_half_up\b") == ["bilan/somewhere/helpers.py:3"]
