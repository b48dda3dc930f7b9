"""Import workflows: a questionnaire from another tool, past answers into a campaign.

Adapts the pure interop core (``bilan.interop``) to the database. Every
import is atomic: a file with a problem raises :class:`InteropError` (French
message with line and column) and nothing is saved.

Imported answers become ``Response`` rows without invitation, status
submitted. Their strata come from a column of the file when there is one (a
UAI matched to the roster, a school type, a département); otherwise the school
type is ``other`` and the département empty.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bilan.french import NBSP, french_spacing
from bilan.interop.answers_formats import (
    ANSWER_FORMATS,
    FORMAT_NAMES_FR,
    LIMESURVEY_CSV,
    LIMESURVEY_LSS,
    LIMESURVEY_TXT,
    InteropError,
    ParsedAnswers,
    SourceColumn,
    detect_format,
    fr_quote,
    parse_answers,
)
from bilan.interop.limesurvey import ImportedQuestionnaire, parse_limesurvey_txt, parse_lss, to_yaml_dict
from bilan.interop.mapping import (
    ImportedRecord,
    Mapping,
    import_records,
    infer_questionnaire,
    normalise,
    propose_mapping,
)
from bilan.questionnaire import Questionnaire, QuestionnaireError, parse_questionnaire
from bilan.questionnaire.schema import OTHER_CODE, QuestionType, other_key
from bilan.roster.models import Academie, Departement, School, SchoolType
from bilan.surveys.bulk import insert_rows
from bilan.surveys.models import Campaign, CampaignState, QuestionnaireVersion, Response, ResponseStatus
from bilan.surveys.services import register_questionnaire
from bilan.surveys.signals import answers_imported
from bilan.uai import normalise_uai
from bilan.vocabularies import school_type_code, school_type_label

YAML_FORMAT = "yaml"
SOURCE_CODES_MARK = "# bilan-source-codes: "
SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")

# Headings (normalised) of the columns that carry a stratum rather than an answer.
STRATUM_HEADINGS = {
    "uai": {"uai", "code uai", "rne", "code rne", "uai etablissement", "numero uai"},
    "school_type": {"type d etablissement", "type etablissement", "type de l etablissement", "school type",
                    "type"},
    "departement": {"departement", "code departement", "dept", "departement code"},
}
# --------------------------------------------------------------------------- questionnaires


def read_questionnaire_file(data: bytes, filename: str) -> tuple[ImportedQuestionnaire, str]:
    """Read a questionnaire from our YAML, a LimeSurvey .lss/.txt, or an answer file (structure inferred).

    Returns the questionnaire and the format name it was read as.
    """
    suffix = Path(filename).suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise InteropError("le fichier n'est pas encodé en UTF-8", line=line) from error
        try:
            return ImportedQuestionnaire(parse_questionnaire(text, source=filename)), YAML_FORMAT
        except QuestionnaireError as error:
            raise InteropError(french_spacing("questionnaire invalide : " + " ; ".join(error.problems))) from error
    file_format = detect_format(filename, data)
    if file_format == LIMESURVEY_LSS:
        return parse_lss(data), file_format
    if file_format == LIMESURVEY_TXT:
        return parse_limesurvey_txt(data), file_format
    parsed = parse_answers(data, file_format, filename)
    title = Path(filename).stem.replace("_", " ").strip() or "Questionnaire importé"
    code = re.sub(r"[^a-z0-9-]+", "-", normalise(Path(filename).stem))[:50].strip("-") or "import"
    return infer_questionnaire(parsed, code=code, title=title), file_format


def questionnaire_yaml(imported: ImportedQuestionnaire, origin: str) -> str:
    """Our YAML text for an imported questionnaire, remembering the codes of the source tool."""
    body = yaml.safe_dump(to_yaml_dict(imported.questionnaire), allow_unicode=True, sort_keys=False)
    header = f"# Questionnaire importé de {origin}\n"
    if imported.source_codes:
        # A comment, not a key: the questionnaire format stays untouched, and a
        # later answer file using the source tool's codes can still be matched.
        header += SOURCE_CODES_MARK + json.dumps(imported.source_codes, ensure_ascii=False) + "\n"
    return header + body


def source_codes_of(version: QuestionnaireVersion) -> dict[str, str]:
    """The source tool's codes stored with an imported questionnaire (our code -> LimeSurvey code)."""
    codes: dict[str, str] = {}
    for line in version.source_yaml.splitlines():
        if line.startswith(SOURCE_CODES_MARK):
            codes.update(json.loads(line[len(SOURCE_CODES_MARK):]))
        elif line and not line.startswith("#"):
            break
    return codes


@dataclass
class QuestionnaireImport:
    version: QuestionnaireVersion
    created: bool
    source_format: str
    warnings: list[str] = field(default_factory=list)
    campaign: Campaign | None = None

    @property
    def schema(self) -> Questionnaire:
        return self.version.schema


def school_year_bounds(school_year: str) -> tuple[dt.datetime, dt.datetime]:
    """1 September to 31 August of a school year « 2022-2023 » (aware datetimes)."""
    match = SCHOOL_YEAR.match(school_year or "")
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise InteropError(f"année scolaire {fr_quote(school_year)} invalide (attendu par exemple 2022-2023)")
    start, end = int(match.group(1)), int(match.group(2))
    tz = timezone.get_current_timezone()
    return (dt.datetime(start, 9, 1, tzinfo=tz), dt.datetime(end, 9, 1, tzinfo=tz))


def resolve_academie(code: str | None) -> Academie:
    """The académie named by ``code``, or the only one in the database."""
    if code:
        academie = Academie.objects.filter(code__iexact=code).first() or \
            Academie.objects.filter(name__iexact=code).first()
        if academie is None:
            known = ", ".join(Academie.objects.values_list("code", flat=True)) or "aucune"
            raise InteropError(f"académie {fr_quote(code)} inconnue (académies{NBSP}: {known})")
        return academie
    academies = list(Academie.objects.all()[:2])
    if len(academies) == 1:
        return academies[0]
    if not academies:
        raise InteropError("aucune académie en base : importez d'abord le référentiel (bilan import roster)")
    raise InteropError("plusieurs académies en base : précisez laquelle avec --academie")


@transaction.atomic
def import_questionnaire(data: bytes, filename: str, *, campaign_slug: str | None = None,
                         school_year: str | None = None, academie: str | None = None,
                         title: str | None = None) -> QuestionnaireImport:
    """Register the questionnaire of a file; with ``campaign_slug``, also a closed campaign on it.

    The closed campaign receives past answers (``import_answers``); it covers
    the whole school year, 1 September to 31 August.
    """
    imported, source_format = read_questionnaire_file(data, filename)
    if source_format == YAML_FORMAT:
        text = data.decode("utf-8-sig")
    else:
        text = questionnaire_yaml(imported, f"{FORMAT_NAMES_FR.get(source_format, source_format)}, "
                                            f"fichier {Path(filename).name}")
    existing = QuestionnaireVersion.objects.filter(code=imported.questionnaire.code,
                                                   version=imported.questionnaire.version).first()
    if existing is not None and existing.schema == imported.questionnaire:
        version = existing  # the same questionnaire, perhaps from a file named differently
    else:
        try:
            version = register_questionnaire(text)
        except QuestionnaireError as error:
            raise InteropError(french_spacing(" ; ".join(error.problems))) from error
    result = QuestionnaireImport(version, existing is None, source_format, list(imported.warnings))
    if campaign_slug:
        if not school_year:
            raise InteropError("--school-year est obligatoire avec --campaign (ex. 2022-2023)")
        if Campaign.objects.filter(slug=campaign_slug).exists():
            raise InteropError(f"la campagne {fr_quote(campaign_slug)} existe déjà ; choisissez un autre "
                               "identifiant ou importez les réponses dans celle-ci")
        opens_at, closes_at = school_year_bounds(school_year)
        owner = resolve_academie(academie)
        result.campaign = Campaign.objects.create(
            slug=campaign_slug, title=title or f"{version.title} {school_year}",
            academie=owner, school_year=school_year, questionnaire=version,
            opens_at=opens_at, closes_at=closes_at, state=CampaignState.CLOSED,
            previous=Campaign.objects.filter(academie=owner, school_year__lt=school_year)
            .order_by("-school_year").first(),
        )
    return result


# --------------------------------------------------------------------------- answers


@dataclass
class StrataColumns:
    uai: SourceColumn | None = None
    school_type: SourceColumn | None = None
    departement: SourceColumn | None = None

    def __bool__(self) -> bool:
        return any((self.uai, self.school_type, self.departement))

    @property
    def indexes(self) -> set[int]:
        return {c.index for c in (self.uai, self.school_type, self.departement) if c is not None}


@dataclass
class AnswersPlan:
    """What an answer file holds and how it will be read: shown before importing."""

    campaign: Campaign
    parsed: ParsedAnswers
    mapping: Mapping
    strata: StrataColumns

    @property
    def file_format(self) -> str:
        return self.parsed.format


@dataclass
class AnswersImport:
    campaign: Campaign
    file_format: str
    rows: int
    imported: int
    skipped_incomplete: int
    replaced: int = 0
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False


def find_strata_columns(parsed: ParsedAnswers, mapping: Mapping, *, uai: str | None = None,
                        school_type: str | None = None, departement: str | None = None) -> StrataColumns:
    """Columns carrying a stratum: named by the caller, or found by their heading among unmatched columns."""
    by_heading = {column.heading: column for column in parsed.columns}
    strata = StrataColumns()
    for name, wanted in (("uai", uai), ("school_type", school_type), ("departement", departement)):
        if wanted:
            if wanted not in by_heading:
                raise InteropError(f"aucune colonne {fr_quote(wanted)} dans le fichier", line=parsed.header_line)
            setattr(strata, name, by_heading[wanted])
            continue
        for index in list(mapping.unmatched) + list(mapping.ignored):
            column = parsed.columns[index]
            if normalise(column.heading) in STRATUM_HEADINGS[name]:
                setattr(strata, name, column)
                break
    return strata


def plan_answers_import(campaign: Campaign, data: bytes, filename: str = "", file_format: str | None = None, *,
                        uai_column: str | None = None, school_type_column: str | None = None,
                        departement_column: str | None = None) -> AnswersPlan:
    """Read the file and propose the column mapping; nothing is saved."""
    if file_format is not None and file_format not in ANSWER_FORMATS:
        raise InteropError(f"format {fr_quote(file_format)} inconnu (formats{NBSP}: {', '.join(ANSWER_FORMATS)})")
    parsed = parse_answers(data, file_format, filename)
    version = campaign.questionnaire
    schema = version.schema
    source_codes = source_codes_of(version) or _split_question_codes(schema, parsed)
    mapping = propose_mapping(schema, parsed, source_codes)
    strata = find_strata_columns(parsed, mapping, uai=uai_column, school_type=school_type_column,
                                 departement=departement_column)
    for index in strata.indexes:
        mapping.matches.pop(index, None)
        mapping.unmatched = [c for c in mapping.unmatched if c != index]
        if index not in mapping.ignored:
            mapping.ignored.append(index)
    return AnswersPlan(campaign, parsed, mapping, strata)


def _split_question_codes(schema: Questionnaire, parsed: ParsedAnswers) -> dict[str, str]:
    """LimeSurvey « Q[SQ] » columns for our questions « Q_SQ » (questions split per sub-question)."""
    if parsed.format != LIMESURVEY_CSV:
        return {}
    codes = {}
    for question in schema.questions:
        head, _, tail = question.code.rpartition("_")
        if head and tail:
            codes[question.code] = f"{head}[{tail}]"
    return codes


def import_answers(plan: AnswersPlan, *, strict: bool = True, include_incomplete: bool = False,
                   replace: bool = False, append: bool = False, dry_run: bool = False,
                   progress: Callable[..., None] | None = None) -> AnswersImport:
    """Import every row of the plan's file into its campaign, or nothing.

    ``strict``: a column matching no question refuses the file (the pilot
    assigns or ignores it first). A campaign that already holds imported
    answers is refused unless ``replace`` (those are deleted first) or
    ``append``. Incomplete rows (never submitted in the source tool) are left
    out unless ``include_incomplete``.

    The rows are read and checked first, with no transaction open (a background
    job reports its ``progress(stage, done, total)`` meanwhile); then they are
    written in one transaction.
    """
    report = progress or (lambda stage, done=0, total=0: None)
    campaign, parsed = plan.campaign, plan.parsed
    schema = campaign.questionnaire.schema
    records = import_records(schema, parsed, plan.mapping, strict=strict,
                             on_rows=lambda done, total: report("Lecture et vérification des lignes", done, total))
    strata = _strata_per_line(plan)
    notes = list(parsed.notes) + list(plan.mapping.notes) + strata.notes
    kept = [r for r in records if r.complete or include_incomplete]
    skipped = len(records) - len(kept)
    if skipped:
        notes.append(f"{skipped} réponse(s) jamais envoyée(s) dans l'outil d'origine laissée(s) de côté "
                     "(--include-incomplete pour les reprendre)")
    empty = [r for r in kept if not r.answers]
    if empty:
        kept = [r for r in kept if r.answers]
        shown = ", ".join(str(r.line) for r in empty[:5]) + ("…" if len(empty) > 5 else "")
        notes.append(f"{len(empty)} ligne(s) sans aucune réponse laissée(s) de côté (ligne(s) {shown})")
    if not kept:
        raise InteropError("aucune réponse à importer : aucune ligne ne répond à une question du questionnaire",
                           line=parsed.header_line)
    notes.extend(_other_notes(schema, kept))
    notes.extend(_hidden_notes(kept))
    report("Enregistrement des réponses", 0, len(kept))
    with transaction.atomic():
        replaced = _store_answers(plan, kept, strata, replace=replace, append=append)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Once written for good: the comments pass is prepared by the worker (bilan.commentary.tasks).
            transaction.on_commit(lambda: answers_imported.send(sender=Response, campaign=campaign))
    return AnswersImport(campaign, parsed.format, len(parsed.rows), len(kept), skipped, replaced,
                         [french_spacing(n) for n in notes], dry_run)


def _store_answers(plan: AnswersPlan, kept: list[ImportedRecord], strata: _Strata, *, replace: bool,
                   append: bool) -> int:
    """Write the checked answers (inside the caller's transaction); returns how many were replaced."""
    campaign = plan.campaign
    existing = Response.objects.filter(campaign=campaign, invitation__isnull=True)
    replaced = 0
    if existing.exists() and not (replace or append):
        raise InteropError(f"la campagne {fr_quote(campaign.slug)} contient déjà {existing.count()} réponse(s) "
                           "importée(s) : --replace pour les remplacer, --append pour ajouter celles-ci")
    if replace:
        if campaign.invitations.exists():
            # Anonymous answers have no invitation either: never delete them as if they were imported.
            raise InteropError(f"la campagne {fr_quote(campaign.slug)} a des invitations : ses réponses ne "
                               "peuvent pas être remplacées par un import")
        replaced = existing.count()
        existing.delete()
    # Below the ORM (bilan.surveys.bulk): the columns of Response a new imported answer fills, the others
    # at their defaults (no invitation, no section, revision 0).
    columns = ("campaign_id", "invitation_id", "answers", "status", "school_type", "departement_code",
               "last_section", "submitted_on", "revision", "sent_revision")
    dates: dict[str | None, dt.date | None] = {}

    def submitted_on(text: str | None) -> dt.date | None:
        if text not in dates:
            dates[text] = parse_submission_date(text)
        return dates[text]

    insert_rows(Response, columns, (
        (campaign.pk, None, json.dumps(record.answers, ensure_ascii=False), ResponseStatus.SUBMITTED.value,
         str(strata.school_type.get(record.line, SchoolType.OTHER)), strata.departement.get(record.line, ""),
         "", submitted_on(record.submitted_at), 0, None)
        for record in kept))
    return replaced


def _hidden_notes(records: list[ImportedRecord], shown: int = 5) -> list[str]:
    """Answers left out because the questionnaire's conditions hide their question (its own condition, or a
    question it depends on that was itself hidden), each line named with its questions (the first few)."""
    lines = [(r.line, list(dict.fromkeys(key.split(".")[0] for key in r.hidden))) for r in records if r.hidden]
    if not lines:
        return []
    hidden = sum(len(r.hidden) for r in records)
    named = " ; ".join(f"ligne {line} : {', '.join(codes)}" for line, codes in lines[:shown])
    more = f" ; et {len(lines) - shown} autre(s) ligne(s)" if len(lines) > shown else ""
    return [f"{hidden} réponse(s) à des questions que les conditions du questionnaire masquent, non reprises "
            f"({named}{more})"]


def _other_notes(schema: Questionnaire, records: list[ImportedRecord]) -> list[str]:
    """Values that matched no option and were kept as « Autre », per question."""
    notes = []
    for question in schema.questions:
        if not question.other:
            continue
        texts = [r.answers[other_key(question.code)] for r in records if other_key(question.code) in r.answers]
        chosen = sum(1 for r in records if r.answers.get(question.code) == OTHER_CODE
                     or OTHER_CODE in (r.answers.get(question.code) or []))
        if texts:
            shown = ", ".join(fr_quote(t) for t in list(dict.fromkeys(texts))[:5])
            notes.append(f"question {question.code} : {len(texts)} valeur(s) hors des choix reprise(s) comme "
                         f"« {question.other_label} » ({shown}{'…' if len(set(texts)) > 5 else ''})")
        elif chosen:
            notes.append(f"question {question.code} : {chosen} réponse(s) « {question.other_label} » sans précision")
    return notes


@dataclass
class _Strata:
    school_type: dict[int, str] = field(default_factory=dict)
    departement: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _strata_per_line(plan: AnswersPlan) -> _Strata:
    """School type and département of each row, from the strata columns of the file."""
    result = _Strata()
    columns = plan.strata
    if not columns:
        result.notes.append("aucune colonne d'établissement (UAI, type, département) : type "
                            f"« {school_type_label(SchoolType.OTHER)} », département vide")
        return result
    parsed = plan.parsed
    departements = {d.code: d.code for d in Departement.objects.filter(academie=plan.campaign.academie)}
    departements.update({normalise(d.name): d.code
                         for d in Departement.objects.filter(academie=plan.campaign.academie)})
    schools = {}
    if columns.uai is not None:
        wanted = {normalise_uai(row.value(columns.uai)) for row in parsed.rows if row.value(columns.uai).strip()}
        schools = {s.uai: (s.type, s.departement.code)
                   for s in School.objects.filter(uai__in=wanted).select_related("departement")}
    unknown: dict[str, list[str]] = {"uai": [], "school_type": [], "departement": []}
    for row in parsed.rows:
        school_type, departement = SchoolType.OTHER, ""
        if columns.uai is not None and row.value(columns.uai).strip():
            found = schools.get(normalise_uai(row.value(columns.uai)))
            if found:
                school_type, departement = found
            else:
                unknown["uai"].append(f"ligne {row.line}")
        if columns.school_type is not None and row.value(columns.school_type).strip():
            # The words the roster import accepts too (bilan.vocabularies).
            code = school_type_code(row.value(columns.school_type))
            if code:
                school_type = code
            else:
                unknown["school_type"].append(f"ligne {row.line}")
        if columns.departement is not None and row.value(columns.departement).strip():
            raw = row.value(columns.departement).strip()
            value = departements.get(raw.lstrip("0").rjust(2, "0")) or departements.get(normalise(raw))
            if value:
                departement = value
            else:
                unknown["departement"].append(f"ligne {row.line}")
        result.school_type[row.line] = str(school_type)
        result.departement[row.line] = departement
    labels = {"uai": "UAI absent du référentiel",
              "school_type": f"type d'établissement non reconnu (type « {school_type_label(SchoolType.OTHER)} »)",
              "departement": "département hors de l'académie (laissé vide)"}
    for name, lines in unknown.items():
        if lines:
            column = getattr(columns, name)
            shown = ", ".join(lines[:5]) + ("…" if len(lines) > 5 else "")
            result.notes.append(f"colonne {fr_quote(column.heading)} : {labels[name]} — {shown}")
    return result


DATE_PATTERNS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
                 "%d/%m/%Y - %H:%M", "%d/%m/%Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d")


def parse_submission_date(value: str | None) -> dt.date | None:
    """The day of a submission as written by the source tool, or None when unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    candidates = {text, text.split(" ?")[0], " ".join(text.split()[:2]), text.split()[0]}
    for candidate in candidates:
        for pattern in DATE_PATTERNS:
            try:
                return dt.datetime.strptime(candidate, pattern).date()  # noqa: DTZ007  a date typed in the file
            except ValueError:
                continue
    return None


def describe_mapping(plan: AnswersPlan) -> list[str]:
    """One French line per column: the question it feeds, or why it is left out."""
    schema = plan.campaign.questionnaire.schema
    lines = []
    strata_names = {getattr(plan.strata, n).index: label for n, label in
                    (("uai", "UAI (strate)"), ("school_type", "type d'établissement (strate)"),
                     ("departement", "département (strate)")) if getattr(plan.strata, n) is not None}
    for column in plan.parsed.columns:
        match = plan.mapping.matches.get(column.index)
        if match is not None:
            target = match.question + (f" / {match.part}" if match.part else "")
            how = {"code": "par code", "text": f"texte ressemblant à {match.score * 100:.0f}{NBSP}%",
                   "manual": "choisi"}[match.how]
            text = schema.question(match.question).short_label or schema.question(match.question).text
            lines.append(f"{fr_quote(column.heading)} → {target} ({how}) : {text[:70]}")
        elif column.index in strata_names:
            lines.append(f"{fr_quote(column.heading)} → {strata_names[column.index]}")
        elif column.index in plan.mapping.unmatched:
            lines.append(f"{fr_quote(column.heading)} → aucune question trouvée")
    return [french_spacing(line) for line in lines]


def column_targets(schema: Questionnaire) -> list[tuple[str, str]]:
    """Every place a column can go, with its French label: a question (« CODE »), or one option,
    grid row or « Autre » text of it (« CODE/part »)."""
    targets = []
    for question in schema.questions:
        text = (question.short_label or question.text)[:80]
        targets.append((question.code, f"{question.code} — {text}"))
        parts = question.rows if question.type is QuestionType.GRID else \
            question.choices if question.type is QuestionType.MULTIPLE else ()
        targets.extend((f"{question.code}/{part.code}", f"{question.code} / {part.label}") for part in parts)
        if question.other:
            targets.append((f"{question.code}/{OTHER_CODE}",
                            f"{question.code} / précision de {fr_quote(question.other_label)}"))
    return targets


def check_column_target(plan: AnswersPlan, column: SourceColumn, target: str) -> tuple[str, str]:
    """The (question code, part) that ``target`` (« CODE » or « CODE/part ») names for ``column``.

    The one judge of the pilot's choices, from the page and from ``bilan import answers --map``:
    an InteropError naming the column when the campaign's questionnaire has no such place.
    """
    schema = plan.campaign.questionnaire.schema
    code, _, part = target.strip().partition("/")
    if code not in set(schema.codes):
        raise InteropError(f"la question {fr_quote(code)} n'existe pas dans le questionnaire",
                           line=plan.parsed.header_line, column=column.heading)
    if target.strip() not in {value for value, _ in column_targets(schema)}:
        raise InteropError(f"la question {code} n'a pas d'option ou de ligne {fr_quote(part)}",
                           line=plan.parsed.header_line, column=column.heading)
    return code, part


def _column(plan: AnswersPlan, key: str | int) -> SourceColumn:
    """A column named by its heading (the command) or its number from 0 (the page)."""
    columns = plan.parsed.columns
    if isinstance(key, int):
        if not 0 <= key < len(columns):
            raise InteropError(f"aucune colonne n°{NBSP}{key + 1} dans le fichier", line=plan.parsed.header_line)
        return columns[key]
    found = next((column for column in reversed(columns) if column.heading == key), None)
    if found is None:
        raise InteropError(f"aucune colonne {fr_quote(key)} dans le fichier", line=plan.parsed.header_line)
    return found


def apply_column_choices(plan: AnswersPlan, assignments: dict[str | int, str], ignored: list[str | int]) -> None:
    """The pilot's corrections: ``{column: "CODE" or "CODE/part"}`` and the columns to leave out.

    Columns are named by heading (``bilan import answers --map/--ignore``) or by number (the
    import page); every target goes through :func:`check_column_target`.
    """
    for key, target in assignments.items():
        column = _column(plan, key)
        code, part = check_column_target(plan, column, target)
        plan.mapping.assign(column.index, code, part)
    for key in ignored:
        plan.mapping.ignore(_column(plan, key).index)


# --------------------------------------------------------------------------- in the background

ANSWERS_IMPORT_JOB = "answers_import"


def answers_import_params(plan: AnswersPlan, *, filename: str, file_format: str | None,
                          assignments: dict[int, str], ignored: list[int], mode: str | None) -> dict:
    """What a background import needs besides the file: the pilot's choices on the confirmation step."""
    return {"campaign": plan.campaign.pk, "filename": filename, "format": file_format,
            "assignments": [[index, target] for index, target in assignments.items()],
            "ignored": list(ignored), "mode": mode or "",
            "back_url": reverse("answers:import", args=[plan.campaign.slug]),
            "back_label": "Revenir à l'import des réponses"}


def run_answers_import_job(job, progress) -> dict:
    """The worker's side of a background answers import (:mod:`bilan.core.jobs`): the same plan, the
    same choices and the same checks as on the page, then one transaction."""
    from bilan.audit.services import record
    from bilan.core.jobs import JobFailed

    params = job.params
    campaign = Campaign.objects.get(pk=params["campaign"], academie_id=job.academie_id)
    try:
        progress("Lecture du fichier")
        plan = plan_answers_import(campaign, bytes(job.payload), params["filename"], params["format"])
        apply_column_choices(plan, {int(index): target for index, target in params["assignments"]},
                             [int(index) for index in params["ignored"]])
        mode = params["mode"]
        result = import_answers(plan, strict=True, replace=mode == "replace", append=mode == "append",
                                progress=progress)
    except InteropError as error:
        raise JobFailed(f"Import refusé : {error} ; rien n'a été enregistré.",
                        [str(problem) for problem in error.problems]) from None
    record(job.created_by, "import", academie=job.academie_id,
           target=f"{campaign.slug} : « {params['filename']} » ({result.imported} réponses, en tâche de fond)")
    return {"imported": result.imported, "notes": result.notes,
            "summary": french_spacing(f"{result.imported} réponse(s) importée(s) depuis « {params['filename']} »."),
            "next_url": reverse("results:overview", args=[campaign.slug]), "next_label": "Voir les résultats"}
