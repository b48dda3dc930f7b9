"""Participation figures of a campaign: counts, rates by stratum, daily curve, who has not answered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from bilan.french import NBSP
from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
from bilan.roster.models import Departement, SchoolType
from bilan.surveys.models import Campaign, Invitation, Response, ResponseStatus
from bilan.vocabularies import INVITATION_PROGRESS, REFUSED_ADDRESS, UNKNOWN, departement_label, school_type_label


@dataclass
class RateRow:
    code: str   # the stratum's code (school type, département): what the API and filters use
    label: str  # only shown; never read back into a code
    invited: int
    submitted: int

    @property
    def rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None


@dataclass
class Participation:
    campaign: Campaign
    invited: int
    opened: int
    started: int
    submitted: int
    day_index: int  # days since opening, counted on the day shown
    previous: Campaign | None
    previous_rate_same_day: float | None
    previous_final_rate: float | None
    by_school_type: list[RateRow]
    by_departement: list[RateRow]
    curve: list[tuple[date, float | None, float | None]]  # (day, rate, last year's rate that day)
    reminder_days: list[date] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None

    # Each step is a share of the invitations, like ``rate``: the board shows them alike (one decimal).
    @property
    def opened_rate(self) -> float | None:
        return self.opened / self.invited if self.invited else None

    @property
    def started_rate(self) -> float | None:
        return self.started / self.invited if self.invited else None


def previous_campaign(campaign: Campaign) -> Campaign | None:
    if campaign.previous_id:
        return campaign.previous
    return (Campaign.objects.filter(academie_id=campaign.academie_id, school_year__lt=campaign.school_year)
            .order_by("-school_year").first())


def _submitted_days(campaign: Campaign) -> Counter:
    """Submitted answers per day (answers without a date count on the closing day)."""
    closing_day = timezone.localtime(campaign.closes_at).date()
    return Counter(day or closing_day for day in
                   Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
                   .values_list("submitted_on", flat=True))


def _cumulative_rates(opening: date, days: int, per_day: Counter, invited: int) -> list[float | None]:
    rates, total = [], sum(count for day, count in per_day.items() if day < opening)
    for offset in range(days + 1):
        total += per_day.get(opening + timedelta(days=offset), 0)
        rates.append(total / invited if invited else None)
    return rates


def participation(campaign: Campaign, now: datetime | None = None) -> Participation:
    now = now or timezone.now()
    opening = timezone.localtime(campaign.opens_at).date()
    shown_day = timezone.localtime(min(now, campaign.closes_at - timedelta(microseconds=1))).date()
    day_index = max((shown_day - opening).days, 0)

    invitations = Invitation.objects.filter(campaign=campaign)
    invited = invitations.count()
    responses = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
    submitted = responses.count()
    opened = invitations.filter(Q(opened_at__isnull=False) | Q(started_at__isnull=False)
                                | Q(submitted_at__isnull=False)).count()
    started = invitations.filter(Q(started_at__isnull=False) | Q(submitted_at__isnull=False)).count()
    # Anonymous answers are not linked to invitations: count them as opened and started.
    opened, started = max(opened, submitted), max(started, submitted)

    invited_types = Counter(invitations.values_list("school_type", flat=True))
    submitted_types = Counter(responses.values_list("school_type", flat=True))
    by_type = [RateRow(code, label, invited_types[code], submitted_types[code])
               for code, label in SchoolType.choices if invited_types[code] or submitted_types[code]]
    invited_deps = Counter(invitations.values_list("departement_code", flat=True))
    submitted_deps = Counter(responses.values_list("departement_code", flat=True))
    names = dict(Departement.objects.values_list("code", "name"))
    # Answers imported without a département are stored with an empty code: the stratum "unknown",
    # as in the results.
    by_dep = [RateRow(code or UNKNOWN, departement_label(code, names.get(code)), invited_deps[code],
                      submitted_deps[code])
              for code in sorted(set(invited_deps) | set(submitted_deps))]

    rates = _cumulative_rates(opening, day_index, _submitted_days(campaign), invited)
    previous = previous_campaign(campaign)
    previous_rates: list[float | None] = [None] * (day_index + 1)
    previous_same_day = previous_final = None
    if previous is not None:
        prev_opening = timezone.localtime(previous.opens_at).date()
        prev_last = timezone.localtime(previous.closes_at - timedelta(microseconds=1)).date()
        prev_days = max((prev_last - prev_opening).days, 0)
        prev_invited = Invitation.objects.filter(campaign=previous).count()
        prev_curve = _cumulative_rates(prev_opening, max(prev_days, day_index), _submitted_days(previous), prev_invited)
        # After last year's closing day its rate stays at its final value.
        previous_rates = [prev_curve[min(i, prev_days)] for i in range(day_index + 1)]
        previous_same_day = previous_rates[day_index]
        previous_final = prev_curve[prev_days]

    reminder_days = sorted({timezone.localtime(moment).date() for moment in
                            OutgoingMail.objects.filter(campaign=campaign, kind=MailKind.REMINDER,
                                                        status=MailStatus.SENT)
                            .values_list("sent_at", flat=True) if moment})
    curve = [(opening + timedelta(days=i), rates[i], previous_rates[i]) for i in range(day_index + 1)]
    return Participation(campaign, invited, opened, started, submitted, day_index, previous, previous_same_day,
                         previous_final, by_type, by_dep, curve, reminder_days)


def nonrespondents(campaign: Campaign):
    """Invitations without a submitted answer, with school and referent (never for anonymous campaigns)."""
    if campaign.anonymous:
        return Invitation.objects.none()
    return (Invitation.objects.filter(campaign=campaign)
            .exclude(Q(submitted_at__isnull=False) | Q(response__status=ResponseStatus.SUBMITTED))
            .select_related("school__departement", "referent")
            .order_by("departement_code", "school__name", "referent__last_name"))


NONRESPONDENT_HEADER = ["UAI", "Établissement", "Type", "Département", "Commune", "Prénom", "Nom", "Courriel",
                        REFUSED_ADDRESS, INVITATION_PROGRESS["opened"], INVITATION_PROGRESS["started"]]


def nonrespondent_rows(campaign: Campaign) -> list[list[str]]:
    rows = []
    for inv in nonrespondents(campaign):
        rows.append([inv.school.uai, inv.school.name, school_type_label(inv.school_type),
                     inv.departement_label, inv.school.commune,
                     inv.referent.first_name, inv.referent.last_name, inv.referent.email,
                     "oui" if inv.referent.email_bad else "non",
                     "oui" if inv.opened_at else "non", "oui" if inv.started_at else "non"])
    return rows


def curve_svg_points(curve, width: int = 640, height: int = 220, pad: int = 36):
    """Chart geometry for the template: polylines of this year and last year, x of each day."""
    days = max(len(curve) - 1, 1)
    top = max([0.1] + [r for _, r, p in curve for r in (r, p) if r is not None])
    top = min(1.0, (int(top * 10) + 1) / 10)

    def xy(index, rate):
        return (pad + index * (width - 2 * pad) / days, height - pad - rate / top * (height - 2 * pad))

    def line(position):
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in
                        (xy(i, point[position]) for i, point in enumerate(curve) if point[position] is not None))

    return {"width": width, "height": height, "pad": pad, "top": top, "current": line(1), "previous": line(2),
            "x_of": {point[0]: xy(i, 0)[0] for i, point in enumerate(curve)},
            "ticks": [{"y": xy(0, top * k / 4)[1], "label": f"{round(top * k / 4 * 100)}{NBSP}%"} for k in range(5)],
            "baseline": height - pad}
