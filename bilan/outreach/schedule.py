"""Reminder schedule and strata priorities: plain data in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ReminderStep:
    code: str  # "j+7", "j-2": recorded per invitation, so each is sent at most once
    at: datetime


def reminder_steps(opens_at: datetime, closes_at: datetime,
                   days_after_opening: list[int], days_before_closing: list[int]) -> list[ReminderStep]:
    """The campaign's automatic reminder steps, in time order, strictly inside the campaign."""
    steps = [ReminderStep(f"j+{int(days)}", opens_at + timedelta(days=int(days))) for days in days_after_opening]
    steps += [ReminderStep(f"j-{int(days)}", closes_at - timedelta(days=int(days))) for days in days_before_closing]
    inside = [step for step in steps if opens_at < step.at < closes_at]
    return sorted({step.code: step for step in inside}.values(), key=lambda step: step.at)


def current_step(steps: list[ReminderStep], now: datetime, closes_at: datetime) -> ReminderStep | None:
    """The latest step already due; None once the campaign is closed.

    Only the latest due step is sent: a worker that was stopped for a week
    sends one reminder, not a burst of the steps it missed.
    """
    if now >= closes_at:
        return None
    due = [step for step in steps if step.at <= now]
    return due[-1] if due else None


Stratum = tuple[str, str]  # (school type, département code)


def strata_priorities(invited: dict[Stratum, int], submitted: dict[Stratum, int],
                      target_rate: float) -> dict[Stratum, int]:
    """Rank strata by how far their answer rate is below the target: 0 goes first.

    Strata at or above the target share the last rank.
    """
    gaps = {}
    for stratum, count in invited.items():
        rate = submitted.get(stratum, 0) / count if count else 1.0
        gaps[stratum] = target_rate - rate
    behind = sorted((s for s, gap in gaps.items() if gap > 0), key=lambda s: (-gaps[s], s))
    ranks = {stratum: rank for rank, stratum in enumerate(behind)}
    for stratum in gaps:
        ranks.setdefault(stratum, len(behind))
    return ranks


RETRY_DELAYS = [60, 5 * 60, 15 * 60, 60 * 60, 3 * 3600, 6 * 3600]
MAX_ATTEMPTS = 12


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed tries (1 → one minute, then longer)."""
    index = min(max(attempts, 1), len(RETRY_DELAYS)) - 1
    return timedelta(seconds=RETRY_DELAYS[index])
