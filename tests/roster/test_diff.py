"""The preview of a roster file (bilan.roster.diff): pure, each rule at its edge."""

from bilan.roster.diff import CurrentMandate, RosterSnapshot, diff_roster
from bilan.roster.importer import MandateEntry, ReferentEntry, RosterPlan, SchoolEntry
from bilan.uai import make_uai

YEAR, LAST_YEAR = "2024-2025", "2023-2024"
A, B, C, D = (make_uai(n) for n in (860001, 860002, 860003, 860004))
SCHOOLS = {A: "Collège A", B: "Collège B", C: "Collège C"}


def plan_of(*rows, year=YEAR):
    """rows: (email, first name, last name, uai); each row is a line from 2 on."""
    plan = RosterPlan()
    for line, (email, first, last, uai) in enumerate(rows, start=2):
        plan.schools.setdefault(uai, SchoolEntry(uai, f"École {uai}", "college", "", "86", line))
        plan.referents.setdefault(email, ReferentEntry(email, first, last, line))
        plan.mandates.append(MandateEntry(email, uai, year, line))
    return plan


def snapshot_of(*rows, year=LAST_YEAR, schools=None, foreign=()):
    return RosterSnapshot(school_year=year, mandates=tuple(CurrentMandate(*row) for row in rows),
                          schools=SCHOOLS if schools is None else schools, foreign_schools=frozenset(foreign))


def emails(people):
    return [person.email for person in people]


def test_an_academie_without_roster_sees_everything_new():
    diff = diff_roster(plan_of(("a@x.fr", "Ana", "Roy", A), ("b@x.fr", "Bob", "Lee", D)),
                       RosterSnapshot(schools=SCHOOLS), YEAR)
    assert emails(diff.new_referents) == ["a@x.fr", "b@x.fr"]
    assert diff.left_referents == diff.email_changes == diff.school_changes == []
    assert [s.uai for s in diff.new_schools] == [D] and diff.new_schools[0].line == 3
    assert diff.compared_year == "" and not diff.same_year and diff.changed


def test_the_same_roster_changes_nothing_whatever_the_case_of_the_address():
    before = snapshot_of(("Ana.Roy@X.fr", "Ana", "Roy", A), ("b@x.fr", "Bob", "Lee", B), ("b@x.fr", "Bob", "Lee", C))
    diff = diff_roster(plan_of(("ana.roy@x.fr", "Ana", "Roy", A), ("b@x.fr", "Bob", "Lee", C),
                               ("b@x.fr", "Bob", "Lee", B)), before, YEAR)
    assert not diff.changed and diff.unchanged == 2 and not diff.problems


def test_a_referent_absent_from_the_file_has_left_and_one_absent_from_the_roster_is_new():
    diff = diff_roster(plan_of(("a@x.fr", "Ana", "Roy", A), ("c@x.fr", "Cloé", "Vial", C)),
                       snapshot_of(("a@x.fr", "Ana", "Roy", A), ("b@x.fr", "Bob", "Lee", B)), YEAR)
    assert emails(diff.new_referents) == ["c@x.fr"]
    assert emails(diff.left_referents) == ["b@x.fr"] and diff.left_referents[0].schools == (B,)
    assert diff.unchanged == 1 and diff.email_changes == []


def test_a_new_address_for_the_same_name_is_a_changed_address():
    diff = diff_roster(plan_of(("lea.roux@ac.fr", "LÉA", "roux ", A)),
                       snapshot_of(("lroux@ac.fr", "Léa", "Roux", A)), YEAR)
    assert [(c.before.email, c.after.email) for c in diff.email_changes] == [("lroux@ac.fr", "lea.roux@ac.fr")]
    assert diff.new_referents == diff.left_referents == []


def test_a_different_name_is_not_a_changed_address():
    diff = diff_roster(plan_of(("lea.roux@ac.fr", "Léa", "Rousse", A)),
                       snapshot_of(("lroux@ac.fr", "Léa", "Roux", A)), YEAR)
    assert diff.email_changes == []
    assert emails(diff.new_referents) == ["lea.roux@ac.fr"] and emails(diff.left_referents) == ["lroux@ac.fr"]


def test_two_people_of_the_same_name_are_never_paired():
    # Two « Léa Roux » arrive, one leaves: which one is she? Neither is guessed.
    diff = diff_roster(plan_of(("l1@ac.fr", "Léa", "Roux", A), ("l2@ac.fr", "Léa", "Roux", B)),
                       snapshot_of(("old@ac.fr", "Léa", "Roux", A)), YEAR)
    assert diff.email_changes == [] and len(diff.new_referents) == 2 and len(diff.left_referents) == 1
    # A « Léa Roux » who stays and another who arrives while a third leaves: not paired either.
    diff = diff_roster(plan_of(("stay@ac.fr", "Léa", "Roux", A), ("new@ac.fr", "Léa", "Roux", B)),
                       snapshot_of(("stay@ac.fr", "Léa", "Roux", A), ("old@ac.fr", "Léa", "Roux", C)), YEAR)
    assert diff.email_changes == [] and emails(diff.new_referents) == ["new@ac.fr"]


def test_a_school_added_or_removed_is_a_changed_school():
    diff = diff_roster(plan_of(("a@x.fr", "Ana", "Roy", A), ("a@x.fr", "Ana", "Roy", B), ("b@x.fr", "Bob", "Lee", C)),
                       snapshot_of(("a@x.fr", "Ana", "Roy", A), ("b@x.fr", "Bob", "Lee", B),
                                   ("b@x.fr", "Bob", "Lee", C)), YEAR)
    changes = {c.after.email: (c.removed, c.added) for c in diff.school_changes}
    assert changes == {"a@x.fr": ((), (B,)), "b@x.fr": ((B,), ())}
    assert diff.unchanged == 0 and diff.new_schools == []


def test_a_school_of_another_academie_is_a_problem_at_its_line():
    diff = diff_roster(plan_of(("a@x.fr", "Ana", "Roy", A), ("b@x.fr", "Bob", "Lee", D)),
                       snapshot_of(foreign={D}), YEAR, uai_header="Code UAI")
    assert [(p.line, p.column) for p in diff.problems] == [(3, "uai")]
    assert str(diff.problems[0]) == f"ligne 3, colonne «\u00a0Code UAI\u00a0»\u00a0: l'établissement {D} est " \
                                    "rattaché à une autre académie"
    assert diff.new_schools == []


def test_the_file_of_the_compared_year_replaces_it():
    assert diff_roster(plan_of(), snapshot_of(year=YEAR), YEAR).same_year
    assert not diff_roster(plan_of(), snapshot_of(year=LAST_YEAR), YEAR).same_year


def test_mandates_of_another_year_are_not_compared():
    plan = plan_of(("a@x.fr", "Ana", "Roy", A))
    plan.mandates.append(MandateEntry("a@x.fr", B, LAST_YEAR, 3))
    diff = diff_roster(plan, snapshot_of(("a@x.fr", "Ana", "Roy", A)), YEAR)
    assert diff.unchanged == 1 and not diff.school_changes
