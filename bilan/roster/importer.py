"""Validate a roster table: one row = one mandate (a referent in a school for a year).

Pure module (no Django): it takes a ``Table`` from ``bilan.interop.tabular``
and returns a ``RosterPlan`` — the schools, referents and mandates the file
describes — together with every problem found, each pointing at a line and a
column. ``bilan.roster.services.import_roster`` writes a plan only when it
has no problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from bilan import vocabularies
from bilan.french import french_spacing
from bilan.interop.tabular import Table, located_message
from bilan.uai import normalise_uai, uai_problem
from bilan.vocabularies import DEPARTEMENTS, school_type_code

# Canonical column -> accepted headers (compared without case, accents, spaces or punctuation).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "uai": ("uai", "code uai", "rne", "code rne", "uai établissement", "numéro uai"),
    "etablissement": ("établissement", "nom établissement", "nom de l'établissement",
                      "nom de l’établissement", "école", "dénomination", "appellation"),
    "type": ("type", "type établissement", "type d'établissement", "type d’établissement", "nature"),
    "commune": ("commune", "ville", "localité"),
    "departement": ("département", "dept", "dépt", "dpt", "code département", "numéro département",
                    "n° département"),
    "nom": ("nom", "nom de famille", "nom référent", "nom du référent", "nom de la référente",
            "nom référente"),
    "prenom": ("prénom", "prénom référent", "prénom du référent", "prénom référente"),
    "courriel": ("courriel", "email", "e-mail", "mail", "mél", "adresse électronique",
                 "adresse mail", "adresse de courriel"),
    "annee_scolaire": ("année scolaire", "année", "millésime"),
}
REQUIRED_COLUMNS = ("uai", "etablissement", "type", "departement", "nom", "prenom", "courriel")

SCHOOL_YEAR_PATTERN = re.compile(r"^(\d{4})\s*[-/–—]\s*(\d{4})$")
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong in the file, at a line (None: the whole file) and a column (None: the row)."""

    line: int | None
    column: str | None
    message: str
    header: str | None = None  # the column's header as written in the file

    def __str__(self) -> str:
        column = None if self.column is None else self.header or self.column
        return located_message(self.message, line=self.line, column=column)


@dataclass
class SchoolEntry:
    uai: str
    name: str
    type: str
    commune: str
    departement_code: str
    line: int


@dataclass
class ReferentEntry:
    email: str
    first_name: str
    last_name: str
    line: int


@dataclass(frozen=True)
class MandateEntry:
    email: str
    uai: str
    school_year: str
    line: int


@dataclass
class RosterPlan:
    schools: dict[str, SchoolEntry] = field(default_factory=dict)  # by UAI
    referents: dict[str, ReferentEntry] = field(default_factory=dict)  # by lower-case e-mail
    mandates: list[MandateEntry] = field(default_factory=list)
    departements: dict[str, str] = field(default_factory=dict)  # code -> name, those used
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def simplify(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (for matching headers and codes)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", without_accents).split())


def _compact(text: str) -> str:
    return simplify(text).replace(" ", "")


_HEADER_LOOKUP = {_compact(alias): canonical
                  for canonical, aliases in COLUMN_ALIASES.items()
                  for alias in (canonical, *aliases)}


def canonical_column(header: str) -> str | None:
    """The roster column a header stands for (``"Code UAI"`` -> ``"uai"``), or None."""
    return _HEADER_LOOKUP.get(_compact(header))


def parse_school_type(value: str) -> str | None:
    """``"Lycée professionnel"`` -> ``"lp"``; None when unknown."""
    # The same words as the answer imports accept: both read bilan.vocabularies.
    return school_type_code(value)


def parse_school_year(value: str) -> str | None:
    """``"2023-2024"`` (or ``2023/2024``) -> ``"2023-2024"``; None unless the years follow."""
    match = SCHOOL_YEAR_PATTERN.match(value.strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        return None
    return f"{match.group(1)}-{match.group(2)}"


def departement_code(value: str, known: Mapping[str, str] = DEPARTEMENTS) -> str | None:
    """The code of a département given as "86", "086", "2A", "Vienne" or "86 - Vienne"; None if unknown."""
    text = value.strip().upper()
    match = re.match(r"^0*(\d{1,3}|2[AB])(?:\b|$)", text)
    if match:
        number = match.group(1)
        code = number if number in ("2A", "2B") or len(number) == 3 else number.zfill(2)
        return code if code in known else None
    wanted = simplify(value)
    for code, name in known.items():
        if simplify(name) == wanted:
            return code
    return None


def email_problem(value: str) -> str | None:
    if not EMAIL_PATTERN.match(value):
        return f"adresse de courriel « {value} » invalide"
    return None


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _same_name(first: str, second: str) -> bool:
    return _tidy(first).casefold() == _tidy(second).casefold()


def validate_roster(table: Table, *, school_year: str | None = None,
                    departements: Mapping[str, str] | None = None) -> RosterPlan:
    """Check every row of a roster table and gather what it describes.

    ``school_year`` fills rows (or files) without a year; ``departements``
    (code -> name) are those allowed, by default every French département.
    All problems are collected, none stops the check.
    """
    plan = RosterPlan()
    known_departements = dict(departements) if departements is not None else DEPARTEMENTS
    default_year = None
    if school_year is not None:
        default_year = parse_school_year(school_year)
        if default_year is None:
            plan.problems.append(ImportProblem(
                None, None, f"année scolaire demandée « {school_year} » invalide (attendu AAAA-AAAA, "
                            "deux années qui se suivent, ex. 2023-2024)"))
            return plan

    columns: dict[str, str] = {}  # canonical -> header in the file
    for header in table.headers:
        canonical = canonical_column(header)
        if canonical is None:
            plan.notes.append(french_spacing(f"Colonne « {header} » ignorée (inconnue)."))
        elif canonical in columns:
            plan.problems.append(ImportProblem(
                1, canonical, f"colonne en double : « {columns[canonical]} » et « {header} » "
                              "désignent la même information", header=header))
        else:
            columns[canonical] = header
    required = list(REQUIRED_COLUMNS) + ([] if default_year else ["annee_scolaire"])
    for canonical in required:
        if canonical not in columns:
            accepted = ", ".join(f"« {alias} »" for alias in COLUMN_ALIASES[canonical][:3])
            hint = " (ou indiquez l'année scolaire au lancement de l'import)" if canonical == "annee_scolaire" else ""
            plan.problems.append(ImportProblem(
                None, None, f"colonne « {canonical} » absente (en-têtes acceptés : {accepted}…){hint}"))
    if plan.problems:
        return plan
    if not table.rows:
        plan.problems.append(ImportProblem(None, None, "le fichier ne contient aucune ligne de données"))
        return plan

    seen_mandates: dict[tuple[str, str, str], int] = {}
    for row in table.rows:
        problems: list[ImportProblem] = []

        def problem(column: str, message: str, problems=problems, row=row) -> None:
            problems.append(ImportProblem(row.line, column, message, header=columns.get(column)))

        values = {canonical: row.get(header) for canonical, header in columns.items()}
        for canonical in required:
            if canonical == "annee_scolaire" and default_year:
                continue
            if not values.get(canonical):
                problem(canonical, "valeur manquante")

        uai = normalise_uai(values["uai"]) if values["uai"] else ""
        if uai and (message := uai_problem(uai)):
            problem("uai", message)
        school_type = ""
        if values["type"]:
            school_type = parse_school_type(values["type"]) or ""
            if not school_type:
                problem("type", f"type d'établissement « {values['type']} » inconnu (attendu : collège, "
                                 "lycée, LP ou lycée professionnel, EREA, autre)")
        dep_code = ""
        if values["departement"]:
            dep_code = departement_code(values["departement"], known_departements) or ""
            if not dep_code:
                allowed = ", ".join(sorted(known_departements))
                scope = (f" (départements connus : {allowed})"
                         if departements is not None and len(known_departements) <= 20 else "")
                problem("departement", f"département « {values['departement']} » inconnu{scope}")
        email = values["courriel"].strip().lower()
        if email and (message := email_problem(email)):
            problem("courriel", message)
        year = default_year or ""
        if values.get("annee_scolaire"):
            year = parse_school_year(values["annee_scolaire"]) or ""
            if not year:
                problem("annee_scolaire", f"année scolaire « {values['annee_scolaire']} » invalide "
                                          "(attendu AAAA-AAAA, deux années qui se suivent, ex. 2023-2024)")
            elif default_year and year != default_year:
                problem("annee_scolaire", f"année scolaire « {year} » différente de celle demandée "
                                          f"({default_year})")

        school_name = _tidy(values["etablissement"])
        first_name, last_name = _tidy(values["prenom"]), _tidy(values["nom"])

        # Consistency with earlier rows: a school or a person must read the same everywhere.
        if uai and not uai_problem(uai) and uai in plan.schools:
            school = plan.schools[uai]
            if school_name and not _same_name(school.name, school_name):
                problem("etablissement", f"l'établissement {uai} s'appelle « {school.name} » "
                                         f"ligne {school.line}, et ici « {school_name} »")
            if school_type and school.type and school_type != school.type:
                problem("type", f"l'établissement {uai} est de type « {values['type']} » ici, mais "
                                f"« {vocabularies.school_type(school.type).in_sentence} » ligne {school.line}")
            if dep_code and school.departement_code and dep_code != school.departement_code:
                problem("departement", f"l'établissement {uai} est dans le département {dep_code} ici, "
                                       f"mais {school.departement_code} ligne {school.line}")
        if email and email in plan.referents:
            person = plan.referents[email]
            if ((first_name and not _same_name(person.first_name, first_name))
                    or (last_name and not _same_name(person.last_name, last_name))):
                problem("courriel", f"courriel « {email} » en double : ligne {person.line} pour "
                                    f"« {person.first_name} {person.last_name} », ici pour "
                                    f"« {first_name} {last_name} »")
        key = (email, uai, year)
        if not problems and key in seen_mandates:
            problems.append(ImportProblem(row.line, None, f"mandat en double : même personne, même "
                                                          f"établissement et même année que ligne "
                                                          f"{seen_mandates[key]}"))

        if problems:
            plan.problems.extend(problems)
            continue
        seen_mandates[key] = row.line
        plan.schools.setdefault(uai, SchoolEntry(uai, school_name, school_type,
                                                 _tidy(values.get("commune", "")), dep_code, row.line))
        plan.referents.setdefault(email, ReferentEntry(email, first_name, last_name, row.line))
        plan.mandates.append(MandateEntry(email, uai, year, row.line))
        plan.departements[dep_code] = known_departements[dep_code]
    return plan
