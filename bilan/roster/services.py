"""Roster workflows: import a roster file into académie, départements, schools, referents, mandates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.text import slugify

from bilan.french import french_spacing
from bilan.interop.tabular import TableError, read_table
from bilan.roster.importer import ImportProblem, RosterPlan, validate_roster
from bilan.roster.models import Academie, Departement, Mandate, Referent, School
from bilan.vocabularies import DEPARTEMENTS


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), or why it was refused."""

    filename: str
    dry_run: bool = False
    rows: int = 0
    schools: Counts = field(default_factory=Counts)
    referents: Counts = field(default_factory=Counts)
    mandates: Counts = field(default_factory=Counts)
    departements_created: int = 0
    academie_created: str = ""  # name of the académie created, if any
    school_years: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for counts in (self.schools, self.referents, self.mandates))

    def summary_lines(self) -> list[str]:
        """French summary of the counts, one line per kind of record."""
        verb_created, verb_updated = (("à créer", "à mettre à jour") if self.dry_run
                                      else ("créé(s)", "mis à jour"))
        lines = [f"{self.rows} ligne(s) lue(s) dans « {self.filename} » "
                 f"(année(s) scolaire(s) : {', '.join(self.school_years) or '—'})."]
        if self.academie_created:
            lines.append(f"Académie « {self.academie_created} » " + ("à créer." if self.dry_run else "créée."))
        if self.departements_created:
            lines.append(f"Départements : {self.departements_created} {verb_created}.")
        for label, counts in (("Établissements", self.schools), ("Référent·es", self.referents),
                              ("Mandats", self.mandates)):
            lines.append(f"{label} : {counts.created} {verb_created}, {counts.updated} {verb_updated}, "
                         f"{counts.unchanged} inchangé(s).")
        return [french_spacing(line) for line in lines]


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a refused import."""


def import_roster(path: str | Path | bytes | BinaryIO, *, school_year: str | None = None,
                  academie: Academie | str | None = None, dry_run: bool = False,
                  filename: str | None = None) -> ImportReport:
    """Import a roster file (CSV, XLSX, ODS): all rows or nothing.

    ``path`` may also be the file's bytes or a binary file object (an upload),
    then with its ``filename``, whose extension gives the format.

    Schools are matched by UAI and referents by e-mail (case-insensitive), so
    importing the same file twice changes nothing the second time. Nothing is
    deleted. ``academie`` (instance, code or name) limits the départements to
    its own, and is where missing départements are created when the database
    has none. With ``dry_run`` every write is done then rolled back, so the
    counts are exact.
    """
    if filename is None:
        filename = Path(path).name if isinstance(path, (str, Path)) else getattr(path, "name", "")
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        table = read_table(path, filename)
    except TableError as error:
        report.problems.append(ImportProblem(error.line, None, error.detail))
        return report
    report.rows = len(table.rows)
    report.notes.extend(table.notes)
    try:
        with transaction.atomic():
            _import_table(table, report, school_year=school_year, academie=academie)
            if dry_run or report.problems:
                raise _Rollback
    except _Rollback:
        pass
    except IntegrityError as error:
        # Another import (or an admin edit) wrote the same school or e-mail meanwhile.
        report.problems.append(ImportProblem(None, None, (
            "conflit avec une modification faite pendant l'import ; rien n'a été enregistré, "
            f"relancez l'import ({error})")))
    return report


def _find_academie(academie: Academie | str | None) -> tuple[Academie | None, str | None]:
    """The académie asked for, and its name when it does not exist yet."""
    if academie is None or isinstance(academie, Academie):
        return academie, None
    wanted = academie.strip()
    found = (Academie.objects.filter(code__iexact=slugify(wanted)).first()
             or Academie.objects.filter(name__iexact=wanted).first())
    return found, (None if found else wanted)


def _import_table(table, report: ImportReport, *, school_year, academie) -> None:
    academie_obj, new_academie_name = _find_academie(academie)
    if academie_obj is not None:
        existing = {d.code: d for d in academie_obj.departements.all()}
    elif new_academie_name is None:
        existing = {d.code: d for d in Departement.objects.all()}
    else:
        existing = {}
    if existing:
        allowed = {code: departement.name for code, departement in existing.items()}
    elif academie is not None:
        # An académie with no département yet: any French département not already
        # attached to another académie may be created under it.
        taken = set(Departement.objects.values_list("code", flat=True))
        allowed = {code: name for code, name in DEPARTEMENTS.items() if code not in taken}
    else:
        report.problems.append(ImportProblem(None, None, (
            "aucun département en base : indiquez l'académie (option --academie, ex. poitiers) "
            "pour créer ceux que nomme le fichier")))
        return

    plan = validate_roster(table, school_year=school_year, departements=allowed)
    report.problems.extend(plan.problems)
    report.notes.extend(plan.notes)
    if plan.problems:
        return
    report.school_years = sorted({mandate.school_year for mandate in plan.mandates})

    if academie_obj is None and new_academie_name is not None:
        academie_obj = Academie.objects.create(code=slugify(new_academie_name),
                                               name=new_academie_name[:1].upper() + new_academie_name[1:])
        report.academie_created = academie_obj.name
    departements = dict(existing)
    for code in sorted(set(plan.departements) - set(departements)):
        departements[code] = Departement.objects.create(academie=academie_obj, code=code,
                                                        name=plan.departements[code])
        report.departements_created += 1

    schools = _save_schools(plan, departements, report)
    referents = _save_referents(plan, report)
    _save_mandates(plan, schools, referents, report)


def _create_or_update(model: type[Model], key_field: str, records: dict[str, Model],
                      wanted: dict[str, dict[str, Any]], counts: Counts) -> list[Model]:
    """Give each key of ``wanted`` a record with those field values; return the records created.

    ``records`` holds the stored records by key (the value of ``key_field``)
    and receives the new ones, created in bulk; a stored record saves only the
    fields that differ. ``counts`` tells what was created, updated, unchanged.
    """
    new = []
    for key, fields in wanted.items():
        record = records.get(key)
        if record is None:
            records[key] = record = model(**{key_field: key}, **fields)
            new.append(record)
            continue
        changed = [name for name, value in fields.items() if getattr(record, name) != value]
        if changed:
            for name in changed:
                setattr(record, name, fields[name])
            record.save(update_fields=changed)
            counts.updated += 1
        else:
            counts.unchanged += 1
    model.objects.bulk_create(new, batch_size=500)
    counts.created = len(new)
    return new


def _save_schools(plan: RosterPlan, departements: dict[str, Departement],
                  report: ImportReport) -> dict[str, School]:
    schools = School.objects.in_bulk(list(plan.schools), field_name="uai")
    # departement_id, not departement: comparing the object would load it once per school.
    new = _create_or_update(School, "uai", schools, {
        uai: {"name": entry.name, "type": entry.type, "commune": entry.commune,
              "departement_id": departements[entry.departement_code].pk}
        for uai, entry in plan.schools.items()}, report.schools)
    if new and new[0].pk is None:  # backends that do not return ids from bulk inserts
        schools.update(School.objects.in_bulk([school.uai for school in new], field_name="uai"))
    return schools


def _save_referents(plan: RosterPlan, report: ImportReport) -> dict[str, Referent]:
    # All referents (a few thousand at most): no IN list to outgrow SQLite's parameter limit.
    referents = {referent.email.lower(): referent for referent in Referent.objects.all()}
    # bulk_create skips Referent.save(): e-mails are already lower-cased by the validation.
    new = _create_or_update(Referent, "email", referents, {
        email: {"first_name": entry.first_name, "last_name": entry.last_name}
        for email, entry in plan.referents.items()}, report.referents)
    if new and new[0].pk is None:
        for referent in Referent.objects.filter(email__in=[r.email for r in new]):
            referents[referent.email] = referent
    return referents


def _save_mandates(plan: RosterPlan, schools: dict[str, School], referents: dict[str, Referent],
                   report: ImportReport) -> None:
    years = {mandate.school_year for mandate in plan.mandates}
    existing = set(Mandate.objects.filter(school_year__in=years)
                   .values_list("referent_id", "school_id", "school_year"))
    new = []
    for entry in plan.mandates:
        key = (referents[entry.email].pk, schools[entry.uai].pk, entry.school_year)
        if key in existing:
            report.mandates.unchanged += 1
            continue
        new.append(Mandate(referent=referents[entry.email], school=schools[entry.uai],
                           school_year=entry.school_year))
    Mandate.objects.bulk_create(new, batch_size=500)
    report.mandates.created = len(new)
