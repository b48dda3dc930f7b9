"""Load the seeded demo into the database (the Django side of ``bilan demo``).

The generator (``bilan.demo.generator``) gives plain data; this module writes
it with bulk inserts in one transaction, so the demo builds in seconds and a
failure leaves nothing half-built. Running it again keeps what exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bilan.core.models import Membership, Role
from bilan.demo import generator
from bilan.roster.models import Academie, Departement, Mandate, Referent, School
from bilan.surveys.models import Campaign, CampaignState, Invitation, Response, ResponseStatus
from bilan.surveys.services import invite_roster, issue_token, register_builtin_questionnaire

PILOT = ("pilote", "pilote-demo-2024")
READER = ("lecteur", "lecteur-demo-2024")
# Closed campaigns with answers: the seed year, the year before it, and the
# year after it (where the action plan's indicators moved).
ANSWERED_YEARS = (*generator.SCHOOL_YEARS, generator.NEXT_YEAR)
# The campaign under way in the demo, so that a respondent link can be tried.
OPEN_SCHOOL_YEAR = "2025-2026"


@dataclass
class DemoSummary:
    database: str
    pilot_username: str
    pilot_password: str
    reader_username: str
    reader_password: str
    open_campaign: str
    respondent_path: str
    created: bool
    notes: list[str] = field(default_factory=list)


def _aware(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load_demo(seed: int = generator.DEFAULT_SEED, demo_dir: Path | None = None, out=None) -> DemoSummary:
    created = False
    if not Campaign.objects.filter(slug="2023-2024").exists():
        _build(seed, out)
        created = True
    _accounts()
    open_campaign = Campaign.objects.get(slug=OPEN_SCHOOL_YEAR)
    invitation = (open_campaign.invitations.filter(submitted_at__isnull=True)
                  .select_related("referent", "school").order_by("id").first())
    token = issue_token(invitation)
    database = settings.DATABASES["default"]["NAME"]
    notes = [] if created else ["Données existantes conservées (démonstration déjà construite)."]
    notes.append(f"Ce lien est celui de {invitation.referent.full_name} ({invitation.school.name}).")
    return DemoSummary(
        database=str(database), pilot_username=PILOT[0], pilot_password=PILOT[1],
        reader_username=READER[0], reader_password=READER[1], open_campaign=open_campaign.slug,
        respondent_path=reverse("respondent:start", args=[token]), created=created, notes=notes,
    )


def _say(out, message):
    if out is not None:
        out.write(message)


@transaction.atomic
def _build(seed: int, out) -> None:
    academie_data = generator.build_academie(seed, school_years=ANSWERED_YEARS)
    _say(out, f"Académie de {academie_data.name} : {len(academie_data.schools)} établissements, "
              f"{len(academie_data.referents)} référent·es sur {len(ANSWERED_YEARS)} années…")
    academie = Academie.objects.create(code=academie_data.code, name=academie_data.name)
    departements = {
        d.code: Departement.objects.create(academie=academie, code=d.code, name=d.name)
        for d in academie_data.departements
    }
    School.objects.bulk_create([
        School(uai=s.uai, name=s.name, type=s.type, commune=s.commune, departement=departements[s.departement_code])
        for s in academie_data.schools
    ])
    Referent.objects.bulk_create([
        Referent(first_name=r.first_name, last_name=r.last_name, email=r.email.lower())
        for r in academie_data.referents
    ])
    schools = {s.uai: s for s in School.objects.all()}
    referents = {r.email: r for r in Referent.objects.all()}
    # Primary mandates first: the first mandate of a year is the referent's stratum.
    mandates = sorted(academie_data.mandates, key=lambda m: (not m.primary, m.school_year))
    rows = [Mandate(referent=referents[m.referent_email.lower()], school=schools[m.school_uai],
                    school_year=m.school_year) for m in mandates]
    # The campaign under way continues the last answered year's roster.
    rows += [Mandate(referent=referents[m.referent_email.lower()], school=schools[m.school_uai],
                     school_year=OPEN_SCHOOL_YEAR) for m in mandates if m.school_year == ANSWERED_YEARS[-1]]
    Mandate.objects.bulk_create(rows)

    questionnaire_version = register_builtin_questionnaire()
    schema = questionnaire_version.schema
    previous = None
    for school_year in ANSWERED_YEARS:
        window = generator.CAMPAIGN_WINDOWS[school_year]
        campaign = Campaign.objects.create(
            slug=school_year, title=f"Bilan des RUPN {school_year.replace('-', '/')}",
            academie=academie, school_year=school_year, questionnaire=questionnaire_version,
            opens_at=_aware(window.opens_on), closes_at=_aware(window.closes_on, 23),
            state=CampaignState.CLOSED, previous=previous,
        )
        invite_roster(campaign, with_tokens=False)
        answers = generator.build_campaign_answers(academie_data, schema, school_year, seed=seed)
        invitations = {i.referent.email: i for i in campaign.invitations.select_related("referent")}
        responses, submitted = [], []
        for answer in answers:
            invitation = invitations[answer.referent_email.lower()]
            submitted_at = _aware(answer.submitted_on, 10)
            invitation.opened_at = invitation.started_at = invitation.submitted_at = submitted_at
            submitted.append(invitation)
            responses.append(Response(
                campaign=campaign, invitation=invitation, school_type=answer.school_type,
                departement_code=answer.departement_code, answers=answer.answers,
                status=ResponseStatus.SUBMITTED, submitted_on=answer.submitted_on, revision=1,
            ))
        Invitation.objects.bulk_update(submitted, ["opened_at", "started_at", "submitted_at"])
        Response.objects.bulk_create(responses)
        _record_reminders(campaign, window.reminders)
        _say(out, f"Campagne {school_year} : {len(invitations)} invité·es, {len(responses)} réponses.")
        previous = campaign

    from bilan.reports.services import create_demo_action_plan

    # The plan the team decided after the 2023-2024 bilan; the 2024-2025 report follows it up.
    create_demo_action_plan(Campaign.objects.get(slug="2023-2024"))
    _mark_demo_quotes(Campaign.objects.get(slug="2023-2024"))
    now = timezone.now()
    current = Campaign.objects.create(
        slug=OPEN_SCHOOL_YEAR, title=f"Bilan des RUPN {OPEN_SCHOOL_YEAR.replace('-', '/')}",
        academie=academie, school_year=OPEN_SCHOOL_YEAR, questionnaire=questionnaire_version,
        opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=40),
        state=CampaignState.OPEN, previous=previous,
    )
    report = invite_roster(current)
    _say(out, f"Campagne {OPEN_SCHOOL_YEAR} ouverte : {report.created} invitations.")


def _record_reminders(campaign: Campaign, days) -> None:
    """The reminders of a past year, as the outbox keeps them: on each day, one sent to everyone invited
    who had not answered yet, in the campaign's reminder wording (the report says how many rounds went out).
    Past years' personal links have expired: the message names none."""
    from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
    from bilan.outreach.rendering import render_message
    from bilan.outreach.services import message_context, template_for

    mails = []
    template = template_for(campaign, MailKind.REMINDER)
    for day in days:
        sent_at = _aware(day, 9)
        waiting = Invitation.objects.filter(campaign=campaign).exclude(submitted_at__lt=sent_at) \
            .select_related("referent", "school")
        for invitation in waiting:
            rendered = render_message(template, message_context(campaign, invitation, link="(lien expiré)"))
            mails.append(OutgoingMail(
                campaign=campaign, invitation=invitation, kind=MailKind.REMINDER, step=f"relance-{day.isoformat()}",
                recipient=invitation.referent.email, subject=rendered.subject, text_body=rendered.text_body,
                html_body=rendered.html_body, status=MailStatus.SENT, attempts=1, created_at=sent_at,
                due_at=sent_at, sent_at=sent_at))
    OutgoingMail.objects.bulk_create(mails)


# Questions whose remarks the published report quotes, and how many quotes each.
QUOTED_QUESTIONS = {"EXCH_DETAILS": 2, "MOB_COMMENTS": 5, "SCI_ASSESS_COMMENTS": 3, "SCI_MEMORY_COMMENTS": 4,
                    "SCI_A11Y_COMMENTS": 4, "SUGGESTIONS": 20}


def _mark_demo_quotes(campaign: Campaign) -> None:
    """Mark quotes for publication as the team would: one per theme first, most cited themes first, then
    other remarks that say something new, never two that share most of their words.

    Comments in which pseudonymisation replaced something are skipped: the
    team picks quotes that read well as they are.
    """
    from bilan.commentary.services import mark_quote, question_comments
    from bilan.comments.similarity import distinct

    for question_code, wanted in QUOTED_QUESTIONS.items():
        rows = [row for row in question_comments(campaign, question_code)
                if "[" not in row.text and len(row.text) >= 25]
        seen_themes: set = set()
        first_of_theme = []
        for row in rows:
            theme = row.themes[0] if row.themes else None
            if theme is None or theme not in seen_themes:
                seen_themes.add(theme)
                first_of_theme.append(row)
        others = [row for row in rows if row not in first_of_theme]
        chosen = distinct(first_of_theme + others, lambda row: row.text, limit=wanted)
        for row in chosen:
            mark_quote(campaign, row.response_id, question_code)


def _accounts() -> None:
    user_model = get_user_model()
    academie = Academie.objects.get(code="poitiers")
    # Neither account is ``is_staff``: the admin is for superusers (bilan.core.admin_site), and
    # the pilot works in the staff pages, which check its role in the académie.
    for (username, password), role in ((PILOT, Role.PILOT), (READER, Role.READER)):
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.first_name = "Démo"
            user.last_name = role.label
            user.save()
        Membership.objects.get_or_create(user=user, academie=academie, defaults={"role": role})
