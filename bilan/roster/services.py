"""Roster workflows: import a roster file into académie, départements, schools, referents, mandates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from bilan.french import french_spacing
from bilan.interop.tabular import TableError, read_table
from bilan.roster.diff import CurrentMandate, RosterDiff, RosterSnapshot, diff_roster
from bilan.roster.importer import ImportProblem, RosterPlan, canonical_column, validate_roster
from bilan.roster.models import Academie, Departement, Mandate, Referent, RosterUpload, School
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


# --- The roster pages: preview an upload against the current roster, then apply it ----------------

UPLOAD_LIFETIME = timedelta(days=1)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def academie_schools(academie: Academie):
    return School.objects.filter(departement__academie=academie)


def academie_mandates(academie: Academie, school_year: str | None = None):
    mandates = Mandate.objects.filter(school__departement__academie=academie)
    return mandates if school_year is None else mandates.filter(school_year=school_year)


def academie_referents(academie: Academie):
    """Referents with a mandate, any year, in a school of the académie."""
    return Referent.objects.filter(mandates__school__departement__academie=academie).distinct()


def roster_years(academie: Academie) -> list[str]:
    """School years with mandates in the académie, newest first."""
    return sorted(set(academie_mandates(academie).values_list("school_year", flat=True)), reverse=True)


def compared_year(academie: Academie, school_year: str) -> str:
    """The roster a file for ``school_year`` is compared with: that year's, else the latest before it."""
    years = roster_years(academie)
    if school_year in years:
        return school_year
    return max((year for year in years if year < school_year), default="")


def roster_snapshot(academie: Academie, school_year: str, uais=()) -> RosterSnapshot:
    """The académie's roster compared with a file for ``school_year`` naming the schools ``uais``."""
    year = compared_year(academie, school_year)
    mandates = tuple(
        CurrentMandate(email, first, last, uai) for email, first, last, uai in
        academie_mandates(academie, year).values_list("referent__email", "referent__first_name",
                                                      "referent__last_name", "school__uai")
    ) if year else ()
    schools = dict(academie_schools(academie).values_list("uai", "name"))
    foreign = frozenset(School.objects.filter(uai__in=[u for u in uais if u not in schools])
                        .values_list("uai", flat=True))
    return RosterSnapshot(school_year=year, mandates=mandates, schools=schools, foreign_schools=foreign)


def allowed_departements(academie: Academie) -> dict[str, str]:
    """Départements a roster file of the académie may name (as :func:`import_roster` allows them)."""
    own = dict(academie.departements.values_list("code", "name"))
    if own:
        return own
    taken = set(Departement.objects.values_list("code", flat=True))
    return {code: name for code, name in DEPARTEMENTS.items() if code not in taken}


@dataclass
class RosterPreview:
    """A roster file read and compared with the current roster; confirmable only without problems."""

    filename: str
    school_year: str
    rows: int = 0
    plan: RosterPlan | None = None
    diff: RosterDiff | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def preview_roster(academie: Academie, data: bytes, filename: str, school_year: str) -> RosterPreview:
    """Read ``data`` (a CSV, XLSX or ODS file) and compare it with the roster: nothing is written."""
    preview = RosterPreview(filename=filename, school_year=school_year)
    try:
        table = read_table(data, filename, max_file_size=MAX_UPLOAD_BYTES)
    except TableError as error:
        preview.problems.append(ImportProblem(error.line, None, error.detail))
        return preview
    preview.rows = len(table.rows)
    preview.notes.extend(table.notes)
    plan = validate_roster(table, school_year=school_year, departements=allowed_departements(academie))
    preview.plan = plan
    preview.notes.extend(plan.notes)
    uai_header = next((h for h in table.headers if canonical_column(h) == "uai"), None)
    snapshot = roster_snapshot(academie, school_year, list(plan.schools))
    preview.diff = diff_roster(plan, snapshot, school_year, uai_header=uai_header)
    preview.problems = sorted([*plan.problems, *preview.diff.problems],
                              key=lambda problem: (problem.line or 0, problem.column or ""))
    return preview


def store_upload(academie: Academie, user, filename: str, data: bytes, school_year: str) -> RosterUpload:
    """Keep a previewed file for its confirmation; forget the uploads past their lifetime."""
    RosterUpload.objects.filter(created_at__lt=timezone.now() - UPLOAD_LIFETIME).delete()
    return RosterUpload.objects.create(academie=academie, user=user, filename=filename[:255], data=data,
                                       school_year=school_year)


def upload_expired(upload: RosterUpload, now=None) -> bool:
    return (now or timezone.now()) - upload.created_at > UPLOAD_LIFETIME


class UploadRefused(Exception):
    """The stored file no longer imports (the roster changed meanwhile): nothing was written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass
class AppliedUpload:
    report: ImportReport
    emails_changed: int = 0
    mandates_removed: int = 0


def apply_upload(upload: RosterUpload) -> AppliedUpload | None:
    """Import a previewed upload, all or nothing; None when it was already imported.

    Inside one transaction: the upload is claimed (a second confirmation finds
    it claimed and changes nothing), the file is compared again with the
    roster as it is now, the changed e-mail addresses are given to the same
    people (their « adresse refusée » mark cleared), the mandates of the
    file's year that it no longer lists are removed when the file replaces
    that year's roster, then the rows are imported.
    """
    academie = upload.academie
    with transaction.atomic():
        claimed = RosterUpload.objects.filter(pk=upload.pk, applied_at__isnull=True).update(applied_at=timezone.now())
        if not claimed:
            return None
        data = bytes(upload.data)
        preview = preview_roster(academie, data, upload.filename, upload.school_year)
        if not preview.ok:
            raise UploadRefused(preview.problems)
        diff = preview.diff
        applied = AppliedUpload(report=ImportReport(filename=upload.filename))
        for change in diff.email_changes:
            if Referent.objects.filter(email__iexact=change.after.email).exists():
                continue
            applied.emails_changed += Referent.objects.filter(email__iexact=change.before.email).update(
                email=change.after.email, email_bad=False, email_bad_reason="")
        if diff.same_year:
            wanted = {(m.email, m.uai) for m in preview.plan.mandates}
            stale = [m.pk for m in academie_mandates(academie, upload.school_year).select_related("referent", "school")
                     if (m.referent.email.lower(), m.school.uai) not in wanted]
            applied.mandates_removed, _ = Mandate.objects.filter(pk__in=stale).delete()
        applied.report = import_roster(data, school_year=upload.school_year, academie=academie,
                                       filename=upload.filename)
        if not applied.report.ok:
            raise UploadRefused(applied.report.problems)
    return applied


# --- One referent, one school, edited from their pages ---------------------------------------------

def update_referent(referent: Referent, *, first_name: str, last_name: str, email: str,
                    school_year: str, schools: dict[int, str], add_school: str, academie: Academie) -> None:
    """Save a referent's names and address and their schools for ``school_year``, all or nothing.

    A new address clears the « adresse refusée » mark: the bounce was about the old one.
    ``schools`` maps each of their mandates that year to a UAI of the académie, or « - » to end it.
    """
    with transaction.atomic():
        if email.lower() != referent.email.lower():
            referent.email_bad, referent.email_bad_reason = False, ""
        referent.first_name, referent.last_name, referent.email = first_name, last_name, email
        referent.save()
        by_uai = {school.uai: school for school in academie_schools(academie)}
        mandates = {m.pk: m for m in academie_mandates(academie, school_year).filter(referent=referent)
                    .select_related("school")}
        wanted: list[str] = []  # the year's schools, the first one (the stratum) first
        for pk in sorted(schools):
            uai = schools[pk]
            if pk in mandates and uai != "-" and uai not in wanted:
                wanted.append(uai)
        if add_school and add_school not in wanted:
            wanted.append(add_school)
        current = [mandates[pk] for pk in sorted(mandates)]
        if [m.school.uai for m in current] == wanted:
            return
        # Mandates keep their id where they can (the first one is the referent's stratum): each one
        # takes the school at its place. When a school moves from one mandate to another (the unique
        # constraint would refuse the intermediate state), the year's mandates are written anew, in order.
        targets = dict(zip((m.pk for m in current), wanted, strict=False))
        held = {m.school.uai: m.pk for m in current}
        if any(held.get(uai, pk) != pk for pk, uai in targets.items()):
            Mandate.objects.filter(pk__in=mandates).delete()
            current, targets = [], {}
        for mandate in current:
            if mandate.pk not in targets:
                mandate.delete()
        for mandate in current:
            uai = targets.get(mandate.pk)
            if uai and mandate.school.uai != uai:
                mandate.school = by_uai[uai]
                mandate.save(update_fields=["school"])
        done = set(targets.values())
        Mandate.objects.bulk_create([Mandate(referent=referent, school=by_uai[uai], school_year=school_year)
                                     for uai in wanted if uai not in done])
