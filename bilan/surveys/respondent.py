"""Answering a campaign through a personal link: resolve, save, submit, summarise.

Views stay thin: they call these functions and render. Every write happens
inside one transaction that locks the invitation row, so a double click or
two browser tabs never create two responses nor lose an update.

In an anonymous campaign the draft lives on the invitation and no response
exists before sending; sending creates a response that nothing links to the
invitation (see ``docs/anonymity.md``), so it can be neither re-read nor edited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bilan.french import fr_datetime
from bilan.questionnaire import AnswerErrors, Question, Questionnaire, QuestionType, Section, clean_answers
from bilan.questionnaire.schema import OTHER_CODE, other_key
from bilan.surveys.models import AccessToken, CampaignState, Invitation, Response, ResponseStatus
from bilan.surveys.tokens import hash_token, looks_like_token

# --- Link problems ---------------------------------------------------------------------------

class LinkError(Exception):
    """A link that cannot be used to answer; carries the HTTP status and a French page text.

    Each kind of problem is a subclass that states its status and page title
    in its declaration: ``class X(LinkError, status=404, title="…")``.
    """

    status = 404
    title = "Lien introuvable"

    def __init_subclass__(cls, *, status: int, title: str, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.status = status
        cls.title = title

    def __init__(self, message: str, invitation: Invitation | None = None):
        super().__init__(message)
        self.message = message
        self.invitation = invitation


class MalformedLink(LinkError, status=404, title="Lien incomplet ou mal copié"): ...
class UnknownLink(LinkError, status=404, title="Lien inconnu"): ...
class CampaignNotYetOpen(LinkError, status=403, title="Questionnaire pas encore ouvert"): ...
class CampaignClosed(LinkError, status=410, title="Questionnaire clos"): ...
class UnknownSection(LinkError, status=404, title="Page introuvable"): ...


class AnswersSentAnonymously(LinkError, status=409, title="Réponses déjà envoyées"):
    """An anonymous answer was sent from this link: nothing can be re-read, edited or sent again."""


def sent_anonymously_error(invitation: Invitation) -> AnswersSentAnonymously:
    return AnswersSentAnonymously(
        f"Vous avez déjà envoyé vos réponses au questionnaire « {invitation.campaign.title} ». "
        "Vos réponses ont été enregistrées de façon anonyme ; elles ne peuvent plus être modifiées, "
        "ni relues, ni envoyées une seconde fois. Merci de votre participation.", invitation)


class IncompleteAnswers(Exception):
    """Submitting failed; ``problems`` lists each missing or wrong answer with its section."""

    def __init__(self, problems: list[AnswerProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.section_code}/{p.question_code} : {p.message}" for p in problems))


@dataclass(frozen=True)
class AnswerProblem:
    section_code: str
    section_title: str
    question_code: str
    question_text: str
    message: str


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link token, whatever the campaign's state."""
    if not looks_like_token(token):
        raise MalformedLink(
            "L'adresse de ce lien est incomplète ou a été modifiée. Copiez-la à nouveau en entier "
            "depuis le courriel d'invitation, ou cliquez directement sur le lien du courriel.")
    access = (AccessToken.objects.select_related("invitation__campaign__questionnaire")
              .filter(token_hash=hash_token(token)).first())
    if access is None:
        raise UnknownLink(
            "Ce lien ne correspond à aucune invitation. Vérifiez que vous utilisez le lien le plus "
            "récent reçu par courriel ; en cas de doute, écrivez à l'équipe qui vous a invité·e.")
    return access.invitation


def resolve(token: str, *, reading_receipt: bool = False, now=None) -> Invitation:
    """The invitation for a link that may answer now, or raise a :class:`LinkError`.

    With ``reading_receipt`` a respondent who has submitted may still read
    their receipt once the campaign has closed.
    """
    invitation = find_invitation(token)
    now = now or timezone.now()
    if invitation.campaign.accepts_answers(now):
        return invitation
    if reading_receipt and invitation.submitted_at and invitation.campaign.state != CampaignState.DRAFT:
        return invitation
    raise state_error(invitation, now)


def state_error(invitation: Invitation, now) -> LinkError:
    """The link error that fits a campaign that does not accept answers at ``now``."""
    campaign = invitation.campaign
    if campaign.state == CampaignState.DRAFT or (campaign.state == CampaignState.OPEN and now < campaign.opens_at):
        opening = (f" Il ouvrira le {fr_datetime(timezone.localtime(campaign.opens_at))}."
                   if campaign.state == CampaignState.OPEN else "")
        return CampaignNotYetOpen(
            f"Le questionnaire « {campaign.title} » n'est pas encore ouvert.{opening} "
            "Votre lien restera valable : gardez le courriel d'invitation.", invitation)
    return CampaignClosed(
        f"Le questionnaire « {campaign.title} » est clos depuis le "
        f"{fr_datetime(timezone.localtime(campaign.closes_at))} : "
        "il n'est plus possible d'y répondre ni de modifier des réponses. Merci de votre participation.",
        invitation)


def start_of_day(moment: datetime) -> datetime:
    """Local midnight of ``moment``'s day: all an anonymous campaign keeps of a moment."""
    return timezone.make_aware(datetime.combine(timezone.localdate(moment), time.min))


def _moment(invitation: Invitation, now: datetime) -> datetime:
    """What to store as « now » on an invitation: the day only in an anonymous campaign."""
    return start_of_day(now) if invitation.campaign.anonymous else now


def mark_opened(invitation: Invitation, now=None) -> None:
    """Record the first time the link was opened (a conditional update: races are harmless)."""
    if invitation.opened_at is None:
        now = _moment(invitation, now or timezone.now())
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now


# --- Reading ---------------------------------------------------------------------------------

def schema_of(invitation: Invitation) -> Questionnaire:
    return invitation.campaign.questionnaire.schema


def response_of(invitation: Invitation) -> Response | None:
    """The invitation's response; always None in an anonymous campaign (nothing links to it)."""
    if invitation.campaign.anonymous:
        return None
    return Response.objects.filter(invitation=invitation).first()


@dataclass(frozen=True)
class Progress:
    """Where a respondent stands, whatever the campaign's mode."""

    answers: dict[str, Any]
    last_section: str
    submitted: bool
    anonymous: bool

    @property
    def started(self) -> bool:
        return bool(self.answers)

    @property
    def editable(self) -> bool:
        """Named answers stay editable after sending; anonymous ones cannot be reached any more."""
        return not (self.anonymous and self.submitted)


def progress_of(invitation: Invitation) -> Progress:
    """The saved answers, the last section seen and whether they were sent (fresh from the database)."""
    if invitation.campaign.anonymous:
        draft = (Invitation.objects.filter(pk=invitation.pk)
                 .values("draft_answers", "draft_section", "submitted_at").get())
        return Progress(dict(draft["draft_answers"]), draft["draft_section"],
                        draft["submitted_at"] is not None, anonymous=True)
    response = response_of(invitation)
    if response is None:
        return Progress({}, "", False, anonymous=False)
    return Progress(dict(response.answers), response.last_section,
                    response.status == ResponseStatus.SUBMITTED, anonymous=False)


def load_answers(invitation: Invitation) -> dict[str, Any]:
    """The answers saved so far (empty before the first save, and after an anonymous sending)."""
    return progress_of(invitation).answers


def ensure_editable(invitation: Invitation) -> Progress:
    """The respondent's progress, or :class:`AnswersSentAnonymously` once an anonymous answer was sent."""
    progress = progress_of(invitation)
    if not progress.editable:
        raise sent_anonymously_error(invitation)
    return progress


def find_section(schema: Questionnaire, section_code: str) -> Section:
    try:
        return schema.section(section_code)
    except KeyError:
        raise UnknownSection(f"Le questionnaire n'a pas de partie « {section_code} ».") from None


def section_position(schema: Questionnaire, section_code: str) -> int:
    """1-based position of a section, as shown in the stepper."""
    return [s.code for s in schema.sections].index(section_code) + 1


def resume_section(schema: Questionnaire, progress: Progress | Response | None) -> Section:
    """Where « Reprendre » leads: the last section saved, else the first one."""
    if progress and progress.last_section:
        for section in schema.sections:
            if section.code == progress.last_section:
                return section
    return schema.sections[0]


def _base_code(key: str) -> str:
    return key.split(".", 1)[0]


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def drop_hidden(schema: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """Remove answers to questions that the other answers hide, until nothing changes.

    Repeating handles chains (A hides B, B's absence hides C) whatever their order.
    """
    kept = dict(answers)
    while True:
        hidden = {q.code for q in schema.questions if q.code in kept and not q.is_shown(kept)}
        if not hidden:
            return kept
        kept = {key: value for key, value in kept.items() if _base_code(key) not in hidden}


# --- Writing ---------------------------------------------------------------------------------

def _locked(invitation: Invitation) -> Invitation:
    # The row lock serialises every write of one respondent (PostgreSQL);
    # SQLite's IMMEDIATE transactions serialise the whole database anyway.
    # of=("self",): without it PostgreSQL also locks the joined campaign row,
    # which would queue every respondent of the campaign behind each other.
    return (Invitation.objects.select_for_update(of=("self",)).select_related("campaign__questionnaire")
            .get(pk=invitation.pk))


def _response_for(invitation: Invitation) -> Response:
    response, _ = Response.objects.get_or_create(
        invitation=invitation,
        defaults={"campaign": invitation.campaign, "school_type": invitation.school_type,
                  "departement_code": invitation.departement_code},
    )
    return response


def save_section(invitation: Invitation, section_code: str, raw_answers: dict[str, Any], *,
                 now=None) -> dict[str, Any]:
    """Validate one section's answers, merge them with the saved ones and store them.

    Answers absent from ``raw_answers`` are cleared for that section (the page
    sends them all). Raises :class:`AnswerErrors` (nothing saved) on bad input;
    once submitted, the section's required answers must stay present.
    Returns all the answers as stored.
    """
    now = now or timezone.now()
    schema = schema_of(invitation)
    section = find_section(schema, section_code)
    codes = {q.code for q in section.questions}
    foreign = [key for key in raw_answers if _base_code(key) not in codes]
    if foreign:
        raise AnswerErrors(dict.fromkeys(foreign, "question d'une autre partie"))
    with transaction.atomic():
        invitation = _locked(invitation)
        if not invitation.campaign.accepts_answers(now):
            raise state_error(invitation, now)
        if invitation.campaign.anonymous:
            if invitation.submitted_at is not None:
                raise sent_anonymously_error(invitation)
            answers = _merge_section(schema, codes, invitation.draft_answers, raw_answers, submitted=False)
            updates = {"draft_answers": answers, "draft_section": section.code}
        else:
            response = _response_for(invitation)
            answers = _merge_section(schema, codes, response.answers, raw_answers,
                                     submitted=response.status == ResponseStatus.SUBMITTED)
            response.answers = answers
            response.last_section = section.code
            # F() so that a write that escaped the lock would still count.
            response.revision = F("revision") + 1
            response.save(update_fields=["answers", "last_section", "revision"])
            response.refresh_from_db(fields=["revision"])
            updates = {}
        moment = _moment(invitation, now)
        if invitation.opened_at is None:
            updates["opened_at"] = moment
        if invitation.started_at is None:
            updates["started_at"] = moment
        if updates:
            Invitation.objects.filter(pk=invitation.pk).update(**updates)
    return answers


def _merge_section(schema: Questionnaire, codes: set[str], stored: dict[str, Any], raw_answers: dict[str, Any],
                   *, submitted: bool) -> dict[str, Any]:
    """The stored answers with one section's answers replaced, validated, hidden ones dropped."""
    merged = {key: value for key, value in stored.items() if _base_code(key) not in codes}
    merged.update({key: value for key, value in raw_answers.items() if not _is_empty(value)})
    cleaned = clean_answers(schema, merged, partial=not submitted, codes=codes)
    return drop_hidden(schema, cleaned)


def missing_answers(schema: Questionnaire, answers: dict[str, Any]) -> list[AnswerProblem]:
    """Every problem that would stop the answers from being submitted, in questionnaire order."""
    try:
        clean_answers(schema, answers, partial=False)
    except AnswerErrors as error:
        return _problems(schema, error.errors)
    return []


def _problems(schema: Questionnaire, errors: dict[str, str]) -> list[AnswerProblem]:
    problems = []
    for section in schema.sections:
        for question in section.questions:
            message = errors.get(question.code) or errors.get(other_key(question.code))
            if message:
                problems.append(AnswerProblem(section.code, section.title, question.code, question.text,
                                              message[:1].upper() + message[1:]))
    return problems


def submit(invitation: Invitation, *, now=None) -> Response:
    """Send the answers: full validation, then the response becomes submitted, once.

    A second call (double click, second tab, two requests at once) finds the
    response already submitted and changes nothing; in an anonymous campaign
    it raises :class:`AnswersSentAnonymously` (one answer per invitation).
    Raises :class:`IncompleteAnswers` naming each section and question to fix.
    """
    now = now or timezone.now()
    schema = schema_of(invitation)
    with transaction.atomic():
        invitation = _locked(invitation)
        if not invitation.campaign.accepts_answers(now):
            raise state_error(invitation, now)
        if invitation.campaign.anonymous:
            return _submit_anonymously(schema, invitation, now)
        response = _response_for(invitation)
        if response.status == ResponseStatus.SUBMITTED:
            return response
        try:
            cleaned = clean_answers(schema, response.answers, partial=False)
        except AnswerErrors as error:
            raise IncompleteAnswers(_problems(schema, error.errors)) from None
        response.answers = drop_hidden(schema, cleaned)
        response.status = ResponseStatus.SUBMITTED
        response.submitted_on = timezone.localdate(now)
        response.revision = F("revision") + 1
        # Both read the row's old revision, so they are equal right after the sending.
        response.sent_revision = F("revision") + 1
        # Strata as of the invitation, in case the response predates a roster fix.
        response.school_type = invitation.school_type
        response.departement_code = invitation.departement_code
        response.save()
        response.refresh_from_db(fields=["revision", "sent_revision"])
        updates = {"submitted_at": now}
        if invitation.started_at is None:
            updates["started_at"] = now
        if invitation.opened_at is None:
            updates["opened_at"] = now
        Invitation.objects.filter(pk=invitation.pk).update(**updates)
    return response


# Anonymous responses take a random id far above any id the database's
# sequence will reach, so that the order of ids does not tell the order of
# sending (which reminders, thank-you mails or server logs could reveal).
ANONYMOUS_ID_FLOOR = 2 ** 40
ANONYMOUS_ID_CEILING = 2 ** 53  # still exact in JavaScript and JSON readers


def _anonymous_response_id() -> int:
    return ANONYMOUS_ID_FLOOR + secrets.randbelow(ANONYMOUS_ID_CEILING - ANONYMOUS_ID_FLOOR)


def _submit_anonymously(schema: Questionnaire, invitation: Invitation, now) -> Response:
    """Create the unlinked response and leave on the invitation only the fact that it answered.

    The caller holds the invitation's row lock. The invitation's dates all
    become the campaign's opening day: a day of sending kept there could be
    matched with the response's day within a small stratum.
    """
    if invitation.submitted_at is not None:
        raise sent_anonymously_error(invitation)
    try:
        cleaned = clean_answers(schema, invitation.draft_answers, partial=False)
    except AnswerErrors as error:
        raise IncompleteAnswers(_problems(schema, error.errors)) from None
    response = Response(
        campaign=invitation.campaign, invitation=None,
        school_type=invitation.school_type, departement_code=invitation.departement_code,
        answers=drop_hidden(schema, cleaned), status=ResponseStatus.SUBMITTED,
        submitted_on=timezone.localdate(now), revision=1, last_section="",
    )
    for _attempt in range(5):
        response.pk = _anonymous_response_id()
        try:
            with transaction.atomic():  # a savepoint: a clash of random ids leaves the outer transaction usable
                response.save(force_insert=True)
            break
        except IntegrityError:
            continue
    else:
        raise IntegrityError("no free random id for an anonymous response after 5 attempts")
    marker = start_of_day(invitation.campaign.opens_at)
    Invitation.objects.filter(pk=invitation.pk).update(
        draft_answers={}, draft_section="", opened_at=marker, started_at=marker, submitted_at=marker)
    return response


# --- Summaries (review page, receipt) -------------------------------------------------------

@dataclass
class AnswerLine:
    code: str
    text: str
    value: str
    items: list[str] = field(default_factory=list)
    answered: bool = True
    required: bool = False


@dataclass
class SectionSummary:
    code: str
    title: str
    position: int
    lines: list[AnswerLine]


def _fr_number(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        return str(value).replace(".", ",")
    return str(int(value)) if isinstance(value, (int, float)) else str(value)


def display_answer(question: Question, answers: dict[str, Any]) -> tuple[str, list[str]]:
    """An answer as French text (and as a list for several items)."""
    value = answers.get(question.code)
    other_text = answers.get(other_key(question.code), "")

    def label(code: str) -> str:
        text = question.choice_label(code)
        return f"{text} : {other_text}" if code == OTHER_CODE and other_text else text

    if question.type in (QuestionType.SINGLE, QuestionType.YESNO):
        return label(value), []
    if question.type is QuestionType.MULTIPLE:
        items = [label(code) for code in value]
        return " ; ".join(items), items
    if question.type is QuestionType.GRID:
        items = [f"{row.label} : {_column_label(question, value[row.code])}"
                 for row in question.rows if row.code in value]
        return " ; ".join(items), items
    if question.type in (QuestionType.SCALE, QuestionType.NUMBER):
        return _fr_number(value), []
    return str(value), []


def _column_label(question: Question, code: str) -> str:
    for column in question.columns:
        if column.code == code:
            return column.label
    return code


def summarise(schema: Questionnaire, answers: dict[str, Any]) -> list[SectionSummary]:
    """Each section with its shown questions and the answers given, in order."""
    summaries = []
    for position, section in enumerate(schema.sections, start=1):
        lines = []
        for question in section.questions:
            if not question.is_shown(answers):
                continue
            if _is_empty(answers.get(question.code)):
                lines.append(AnswerLine(question.code, question.text, "Sans réponse", answered=False,
                                        required=question.required))
                continue
            value, items = display_answer(question, answers)
            lines.append(AnswerLine(question.code, question.text, value, items, required=question.required))
        summaries.append(SectionSummary(section.code, section.title, position, lines))
    return summaries
