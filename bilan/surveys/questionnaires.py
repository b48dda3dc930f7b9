"""A campaign's questionnaire from the browser: frozen or not, upload a file, edit a working copy.

Rules (see docs/guide-pilote.md):

- a campaign's questionnaire is *frozen* once the campaign has answers (anything saved or sent):
  its questionnaire can no longer be replaced nor edited;
- a version is shared by every campaign that points to it (next year's campaign starts on last
  year's version). Editing never changes a version another campaign uses, nor one with answers:
  the first save makes a copy under a new version string (« 2025-1 »), attached to this
  campaign; later saves update that copy in place while it stays this campaign's alone and
  without answers;
- an uploaded file becomes a new version attached to the campaign, in one transaction; a file
  with problems changes nothing and every problem is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from bilan.french import NBSP, french_spacing
from bilan.interop.answers_formats import LIMESURVEY_LSS, LIMESURVEY_TXT, InteropError, detect_format
from bilan.interop.limesurvey import parse_limesurvey_txt, parse_lss
from bilan.questionnaire import Questionnaire, QuestionnaireError, parse_questionnaire
from bilan.questionnaire.editing import check, dump, next_version, to_data
from bilan.surveys.models import Campaign, QuestionnaireVersion

EDITED_MARK = "# Version modifiée dans le navigateur"
MAX_UPLOAD = 2 * 1024 * 1024
UPLOAD_SUFFIXES = (".yaml", ".yml", ".lss", ".txt")


class QuestionnaireFrozen(Exception):
    """The campaign has answers: its questionnaire can no longer change (French message)."""


class UploadProblems(Exception):
    """A questionnaire file that cannot be used; ``problems`` lists each issue, in French."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ; ".join(problems))


class EditProblems(Exception):
    """An edited questionnaire the loader refuses; ``problems`` by question code ("" for the rest)."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__(" ; ".join(p for ps in problems.values() for p in ps))


def frozen_reason(campaign: Campaign) -> str:
    """Why the campaign's questionnaire can no longer change, or "" when it still can."""
    if not campaign.has_answers():
        return ""
    return french_spacing(
        f"Des réponses ont déjà été enregistrées pour la campagne « {campaign.title} »{NBSP}: elles ont été données "
        "à ce questionnaire, qui ne peut donc plus être modifié ni remplacé. Les changements se font sur "
        "le questionnaire de la campagne suivante.")


def shared_with(campaign: Campaign) -> list[Campaign]:
    """The other campaigns that use the same version of the questionnaire."""
    return list(campaign.questionnaire.campaigns.exclude(pk=campaign.pk).order_by("-school_year"))


def version_frozen(version: QuestionnaireVersion) -> bool:
    return any(c.has_answers() for c in version.campaigns.all())


def editable_in_place(campaign: Campaign) -> bool:
    """Whether saving an edit may update the campaign's version rather than copy it."""
    version = campaign.questionnaire
    return (version.source_yaml.startswith(EDITED_MARK)
            and not version.campaigns.exclude(pk=campaign.pk).exists()
            and not version_frozen(version))


def _refuse_if_frozen(campaign: Campaign) -> None:
    reason = frozen_reason(campaign)
    if reason:
        raise QuestionnaireFrozen(reason)


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("questionnaire", "academie").get(pk=campaign.pk)


# --------------------------------------------------------------------------- upload


def sentence(text: str) -> str:
    text = french_spacing(text.strip())
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def read_upload(data: bytes, filename: str) -> tuple[Questionnaire, str, list[str]]:
    """The questionnaire of an uploaded file, its YAML text and the warnings of the conversion.

    Raises :class:`UploadProblems` listing every problem (with the line, or the question, where
    the parsers give it).
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadProblems([
            f"Le fichier « {Path(filename).name} » n'est ni un questionnaire YAML (.yaml, .yml) ni un "
            "questionnaire LimeSurvey (.lss, .txt)."])
    if not data.strip():
        raise UploadProblems(["Le fichier envoyé est vide."])
    if suffix in (".yaml", ".yml"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise UploadProblems([f"Ligne {line}{NBSP}: le fichier n'est pas encodé en UTF-8."]) from error
        try:
            return parse_questionnaire(text), text, []
        except QuestionnaireError as error:
            raise UploadProblems([sentence(p) for p in error.problems]) from error
    file_format = detect_format(filename, data)
    try:
        if file_format == LIMESURVEY_LSS:
            imported = parse_lss(data)
        elif file_format == LIMESURVEY_TXT:
            imported = parse_limesurvey_txt(data)
        else:
            raise UploadProblems([f"Le fichier « {Path(filename).name} » n'est pas un questionnaire LimeSurvey "
                                  "(structure .lss ou export texte .txt)."])
    except InteropError as error:
        message = error.message.removeprefix("questionnaire importé invalide : ")
        where = f"Ligne {error.line}{NBSP}: " if error.line else ""
        raise UploadProblems([where + sentence(part) for part in message.split(" ; ") if part.strip()]) from error
    header = f"Questionnaire importé de LimeSurvey, fichier {Path(filename).name}"
    text = dump(to_data(imported.questionnaire), header=header)
    return imported.questionnaire, text, [sentence(w) for w in imported.warnings]


@dataclass
class UploadResult:
    version: QuestionnaireVersion
    renumbered_from: str = ""
    warnings: list[str] = field(default_factory=list)


def _free_version(code: str, school_year: str) -> str:
    taken = set(QuestionnaireVersion.objects.filter(code=code).values_list("version", flat=True))
    return next_version(school_year, taken)


@transaction.atomic
def upload_questionnaire(campaign: Campaign, data: bytes, filename: str) -> UploadResult:
    """Read a file and attach its questionnaire to the campaign as a new version (all or nothing)."""
    campaign = _locked(campaign)
    _refuse_if_frozen(campaign)
    schema, text, warnings = read_upload(data, filename)
    existing = QuestionnaireVersion.objects.filter(code=schema.code, version=schema.version).first()
    renumbered_from = ""
    if existing is not None and existing.schema == schema:
        version = existing
    else:
        if existing is not None:
            # The same number with another content: a new number rather than a refusal.
            renumbered_from = schema.version
            content = to_data(schema)
            content["version"] = _free_version(schema.code, campaign.school_year)
            text = dump(content, header=f"Version {renumbered_from} renumérotée à l'envoi")
            schema = parse_questionnaire(text)
        version = QuestionnaireVersion.objects.create(code=schema.code, version=schema.version,
                                                      title=schema.title[:200], source_yaml=text)
    campaign.questionnaire = version
    campaign.save(update_fields=["questionnaire"])
    return UploadResult(version, renumbered_from, warnings)


# --------------------------------------------------------------------------- editing


def editing_data(campaign: Campaign) -> dict[str, Any]:
    """The campaign's questionnaire as editable data (a fresh dict each time)."""
    return to_data(campaign.questionnaire.schema)


def _origin(version: QuestionnaireVersion) -> str:
    """« à partir de la version X »: the version an edited copy was made from."""
    lines = version.source_yaml.splitlines()
    if version.source_yaml.startswith(EDITED_MARK) and len(lines) > 1 and lines[1].startswith("# à partir"):
        return lines[1][2:]
    return f"à partir de la version {version.version}"


@transaction.atomic
def save_edit(campaign: Campaign, data: dict[str, Any]) -> QuestionnaireVersion:
    """Check the edited data with the loader and store it: in place, or as a new version attached
    to the campaign (see the module's rules). Raises :class:`EditProblems`, nothing saved."""
    campaign = _locked(campaign)
    _refuse_if_frozen(campaign)
    current = campaign.questionnaire
    data = dict(data)
    data["code"] = current.code
    in_place = editable_in_place(campaign)
    data["version"] = current.version if in_place else _free_version(current.code, campaign.school_year)
    schema, problems = check(data)
    if problems:
        raise EditProblems(problems)
    header = f"Version modifiée dans le navigateur pour la campagne {campaign.slug},\n{_origin(current)}"
    text = dump(data, header=header)
    if in_place:
        current.source_yaml = text
        current.title = schema.title[:200]
        current.save(update_fields=["source_yaml", "title"])
        return current
    version = QuestionnaireVersion.objects.create(code=current.code, version=schema.version,
                                                  title=schema.title[:200], source_yaml=text)
    campaign.questionnaire = version
    campaign.save(update_fields=["questionnaire"])
    return version
