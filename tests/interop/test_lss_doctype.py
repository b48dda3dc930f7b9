"""A .lss file's DTD is refused by the XML parser itself (issue 13, finding 7).

The former guard looked for ``<!DOCTYPE`` in the first 64 KiB, in one encoding: a DOCTYPE after a
70 KB comment, or a UTF-16 file, went past it. These files are built from the shared LimeSurvey
sample; each must be refused in French, its entity never expanded.
"""

from __future__ import annotations

import pytest

from bilan.interop.answers_formats import InteropError
from bilan.interop.limesurvey import parse_lss

ENTITIES = b'<!DOCTYPE document [<!ENTITY a "boom"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
EXTERNAL = b'<!DOCTYPE document SYSTEM "http://exemple.test/limesurvey.dtd">\n'
COMMENT = b"<!-- " + b"x" * 70_000 + b" -->\n"  # past the old guard's 64 KiB window


def _sample(samples) -> bytes:
    data = (samples / "survey.lss").read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and b"<document>" in data
    return data


def _with(data: bytes, prolog: bytes, *, entity_in_title: bool = False) -> bytes:
    data = data.replace(b"<document>", prolog + b"<document>", 1)
    if entity_in_title:
        data = data.replace(b"<surveyls_title><![CDATA[", b"<surveyls_title>&b;<![CDATA[", 1)
    return data


def _utf16(data: bytes) -> bytes:
    text = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    return text.encode("utf-16")  # with its byte order mark


def _refused(data: bytes) -> str:
    with pytest.raises(InteropError) as error:
        parse_lss(data)
    return str(error.value)


def test_the_sample_itself_is_read(samples):
    assert parse_lss(_sample(samples)).questionnaire.questions


def test_the_sample_in_utf16_is_read_too(samples):
    """The refusals below are about the DTD, not about UTF-16."""
    assert parse_lss(_utf16(_sample(samples))).questionnaire.title == parse_lss(_sample(samples)).questionnaire.title


@pytest.mark.parametrize("prolog", [ENTITIES, EXTERNAL], ids=["entites-internes", "dtd-externe"])
def test_a_doctype_after_a_70_kb_comment_is_refused_in_french(samples, prolog):
    data = _with(_sample(samples), COMMENT + prolog, entity_in_title=prolog is ENTITIES)
    assert data.index(b"<!DOCTYPE") > 65536
    message = _refused(data)
    assert message.startswith("fichier .lss refusé\u00a0: il contient une déclaration DOCTYPE ou ENTITY")
    assert "boom" not in message


@pytest.mark.parametrize("prolog", [ENTITIES, EXTERNAL], ids=["entites-internes", "dtd-externe"])
def test_a_utf16_file_with_a_doctype_is_refused_in_french(samples, prolog):
    data = _utf16(_with(_sample(samples), prolog, entity_in_title=prolog is ENTITIES))
    assert b"<!DOCTYPE" not in data.upper()  # invisible to a scan of bytes
    assert "DOCTYPE ou ENTITY" in _refused(data)


def test_the_check_can_fail_the_entity_would_be_expanded_without_the_guard(samples):
    """The built file really carries an entity that a plain parser expands (so the refusals mean something)."""
    import xml.etree.ElementTree as ET  # the unguarded parser, on purpose, on our own file

    root = ET.fromstring(_with(_sample(samples), ENTITIES, entity_in_title=True))  # noqa: S314
    assert "boom" * 10 in "".join(root.itertext())
