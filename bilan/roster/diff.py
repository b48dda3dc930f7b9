"""What a roster file would change, against the académie's current roster: the preview of an upload.

Pure module (no Django): it compares a :class:`~bilan.roster.importer.RosterPlan`
(the valid rows of the file) with a :class:`RosterSnapshot` (the mandates of
the roster compared with, and the schools the database knows) and tells, in
the order the pilot reads them: new referents, referents who left, changed
e-mail addresses, changed schools, new schools, and the problems that the
file alone cannot show (a school of another académie).

A referent is the same person from one roster to the next when the e-mail
is the same (case-insensitively). When an address disappears and a new one
appears for a person of the same first and last name, with no one else of
that name on either side, it is read as a changed address rather than as a
departure and an arrival.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from bilan.roster.importer import ImportProblem, RosterPlan, simplify


@dataclass(frozen=True)
class CurrentMandate:
    """One mandate of the roster compared with: a referent in a school."""

    email: str
    first_name: str
    last_name: str
    uai: str


@dataclass(frozen=True)
class RosterSnapshot:
    """The roster a file is compared with.

    ``school_year`` is the year of ``mandates`` ("" when the académie has no
    roster yet); ``schools`` the académie's schools known to the database
    (UAI -> name); ``foreign_schools`` the UAIs the database places in
    another académie.
    """

    school_year: str = ""
    mandates: tuple[CurrentMandate, ...] = ()
    schools: Mapping[str, str] = field(default_factory=dict)
    foreign_schools: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    schools: tuple[str, ...]  # UAIs, sorted

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class EmailChange:
    before: Person
    after: Person


@dataclass(frozen=True)
class SchoolChange:
    before: Person
    after: Person

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(uai for uai in self.before.schools if uai not in self.after.schools)

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(uai for uai in self.after.schools if uai not in self.before.schools)


@dataclass(frozen=True)
class NewSchool:
    uai: str
    name: str
    line: int


@dataclass
class RosterDiff:
    school_year: str          # the year the file is for
    compared_year: str        # the year of the roster compared with ("" when none)
    new_referents: list[Person] = field(default_factory=list)
    left_referents: list[Person] = field(default_factory=list)
    email_changes: list[EmailChange] = field(default_factory=list)
    school_changes: list[SchoolChange] = field(default_factory=list)
    new_schools: list[NewSchool] = field(default_factory=list)
    unchanged: int = 0        # referents with the same address and the same schools
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def same_year(self) -> bool:
        """Whether the file replaces the roster of its own year (a correction) rather than last year's."""
        return bool(self.compared_year) and self.compared_year == self.school_year

    @property
    def changed(self) -> bool:
        return bool(self.new_referents or self.left_referents or self.email_changes
                    or self.school_changes or self.new_schools)


def _name_key(first_name: str, last_name: str) -> str:
    return f"{simplify(first_name)}|{simplify(last_name)}"


def _people_of_snapshot(snapshot: RosterSnapshot) -> dict[str, Person]:
    schools: dict[str, set[str]] = defaultdict(set)
    names: dict[str, tuple[str, str]] = {}
    for mandate in snapshot.mandates:
        email = mandate.email.strip().lower()
        schools[email].add(mandate.uai)
        names.setdefault(email, (mandate.first_name, mandate.last_name))
    return {email: Person(email, *names[email], tuple(sorted(uais))) for email, uais in schools.items()}


def _people_of_plan(plan: RosterPlan, school_year: str) -> dict[str, Person]:
    schools: dict[str, set[str]] = defaultdict(set)
    for mandate in plan.mandates:
        if mandate.school_year == school_year:
            schools[mandate.email].add(mandate.uai)
    return {email: Person(email, plan.referents[email].first_name, plan.referents[email].last_name,
                          tuple(sorted(uais))) for email, uais in schools.items()}


def _unique_by_name(people: list[Person]) -> dict[str, Person]:
    """People by name key, leaving out every name that two of them share."""
    counts: dict[str, int] = defaultdict(int)
    for person in people:
        counts[_name_key(person.first_name, person.last_name)] += 1
    return {key: person for person in people
            if counts[key := _name_key(person.first_name, person.last_name)] == 1}


def diff_roster(plan: RosterPlan, snapshot: RosterSnapshot, school_year: str, *,
                uai_header: str | None = None) -> RosterDiff:
    """What importing ``plan`` for ``school_year`` would change, compared with ``snapshot``.

    Only the plan's valid rows are compared: a file with bad rows still gets
    its preview, beside the list of its problems. ``uai_header`` is the UAI
    column's header in the file, which the problems name.
    """
    diff = RosterDiff(school_year=school_year, compared_year=snapshot.school_year)
    before = _people_of_snapshot(snapshot)
    after = _people_of_plan(plan, school_year)

    arriving = [after[email] for email in sorted(after) if email not in before]
    leaving = [before[email] for email in sorted(before) if email not in after]
    # Names on both sides must be unique among all people of that side, not only among those
    # arriving or leaving: « Marie Dupont » who stays and another who arrives are two people.
    unique_after = _unique_by_name(list(after.values()))
    unique_before = _unique_by_name(list(before.values()))
    leaving_by_name = {_name_key(p.first_name, p.last_name): p for p in leaving}
    paired: set[str] = set()
    for person in arriving:
        key = _name_key(person.first_name, person.last_name)
        old = leaving_by_name.get(key)
        if old is not None and unique_after.get(key) is person and unique_before.get(key) is old:
            diff.email_changes.append(EmailChange(old, person))
            paired.update((old.email, person.email))
    diff.new_referents = [p for p in arriving if p.email not in paired]
    diff.left_referents = [p for p in leaving if p.email not in paired]

    for email in sorted(set(before) & set(after)):
        if before[email].schools != after[email].schools:
            diff.school_changes.append(SchoolChange(before[email], after[email]))
        else:
            diff.unchanged += 1

    for uai in sorted(plan.schools):
        entry = plan.schools[uai]
        if uai in snapshot.foreign_schools:
            diff.problems.append(ImportProblem(
                entry.line, "uai", f"l'établissement {uai} est rattaché à une autre académie", header=uai_header))
        elif uai not in snapshot.schools:
            diff.new_schools.append(NewSchool(uai, entry.name, entry.line))
    diff.problems.sort(key=lambda problem: problem.line or 0)
    return diff
