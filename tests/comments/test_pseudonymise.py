import re

from bilan.comments import Pseudonymiser, fold
from bilan.comments.pseudonymise import DEFAULT_ALLOW

_DIGITS_RUN = re.compile(r"\d(?:[\s.\-/()]*\d){7,}")


def test_no_name_email_phone_or_school_survives_and_tools_stay(pseudonymisation_corpus, roster_pseudonymiser):
    comments = pseudonymisation_corpus["comments"]
    assert len(comments) >= 60
    leaks, lost = [], []
    for comment in comments:
        out = roster_pseudonymiser.apply(comment["text"])
        leaks += [(r, out) for r in comment["removed"] if fold(str(r)) in fold(out)]
        lost += [(k, out) for k in comment["kept"] if k not in out]
        assert "@" not in out and not _DIGITS_RUN.search(out), out
    print(f"\npseudonymisation: {len(comments)} comments, {len(leaks)} leaks, {len(lost)} tools or words lost")
    assert leaks == []
    assert lost == []


def test_roster_surnames_never_survive_in_any_form(pseudonymisation_corpus, roster_pseudonymiser):
    roster = pseudonymisation_corpus["roster"]
    for comment in pseudonymisation_corpus["comments"]:
        out = roster_pseudonymiser.apply(comment["text"])
        for person in roster["people"]:
            # Capitalised, with or without accents (« un petit atelier » is not « M. Petit »).
            for form in {person["last"], fold(person["last"]).capitalize(), person["last"].upper()}:
                assert not re.search(rf"\b{re.escape(form)}\b", out), (person, out)


def test_placeholders_are_readable(roster_pseudonymiser):
    out = roster_pseudonymiser.apply("Merci à Mme Lefèvre (06 12 34 56 78, s.lefevre@ac-poitiers.fr) du LP Branly.")
    assert out == "Merci à [un·e collègue] ([téléphone], [courriel]) du [établissement]."


def test_findings_name_kind_and_detector(roster_pseudonymiser):
    findings = roster_pseudonymiser.findings(
        "Guillaume Chazeaux et Karim Benali utilisent Pix, Tran Van Hoa aussi.")
    assert [(f.text, f.kind, f.source) for f in findings] == [
        ("Guillaume Chazeaux", "person", "firstname"),  # a first name beside a word no dictionary knows
        ("Karim Benali", "person", "roster"),
        ("Tran Van Hoa", "person", "ner"),
    ]


def test_allow_listed_tools_are_never_removed_even_without_roster():
    text = " ; ".join(DEFAULT_ALLOW[:40])
    assert Pseudonymiser().apply(text) == text


def test_extra_allow_protects_a_local_tool():
    assert Pseudonymiser(extra_allow=["Beneylu"]).apply("Beneylu School plaît aux élèves.").startswith("Beneylu")
