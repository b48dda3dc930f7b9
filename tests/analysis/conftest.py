import pytest

from bilan.analysis import AnswerTable
from bilan.questionnaire import parse_questionnaire

MINI_YAML = """
code: mini
version: "1"
title: Mini bilan
sections:
  - code: s
    title: Partie unique
    questions:
      - {code: HELD, type: yesno, text: "Avez-vous tenu des ateliers ?"}
      - code: WORKED
        type: single
        text: "Ont-ils bien fonctionné ?"
        when: {question: HELD, equals: "yes"}
        choices:
          - {code: "yes", label: Oui}
          - {code: partly, label: En partie}
          - {code: "no", label: Non}
      - code: THEMES
        type: multiple
        text: Thèmes ?
        choices:
          - {code: pix, label: Pix}
          - {code: ent, label: ENT}
          - {code: pronote, label: Pronote}
        other: true
      - code: RES
        type: grid
        text: Ressources
        rows:
          - {code: edubase, label: Édubase}
          - {code: pix, label: Pix}
        columns:
          - {code: unknown, label: Je ne connais pas}
          - {code: known, label: Je connais}
          - {code: used, label: "Je l'ai utilisé"}
      - {code: SAT, type: scale, text: Satisfaction, min: 1, max: 5}
      - {code: HOURS, type: number, text: Heures, integer: false}
      - {code: COMMENT, type: longtext, text: Remarques}
"""


@pytest.fixture
def mini():
    return parse_questionnaire(MINI_YAML, source="mini")


def record(school_type="college", departement="86", **answers):
    return {"answers": answers, "school_type": school_type, "departement_code": departement}


@pytest.fixture
def mini_records():
    return [
        record("college", "86", HELD="yes", WORKED="yes", THEMES=["pix", "ent"],
               RES={"edubase": "unknown", "pix": "used"}, SAT=4, HOURS=2.5, COMMENT="Très bien"),
        record("college", "16", HELD="yes", WORKED="partly", THEMES=["pix"],
               RES={"edubase": "known", "pix": "used"}, SAT=5, HOURS=1.0),
        record("lycee", "86", HELD="yes", THEMES=["ent", "other"], **{"THEMES.other": "Moodle"},
               RES={"edubase": "used", "pix": "known"}, SAT=2, COMMENT="  "),
        record("lycee", "17", HELD="yes", WORKED="no", THEMES=["pronote"], RES={"pix": "known"}),
        record("lp", "79", HELD="no", WORKED="yes", RES={"edubase": "unknown", "pix": "unknown"}, SAT=3),
        record("erea", "86", HELD="no", HOURS=10.0, COMMENT="À revoir"),
    ]


@pytest.fixture
def mini_table(mini, mini_records):
    return AnswerTable.from_records(mini, mini_records)
