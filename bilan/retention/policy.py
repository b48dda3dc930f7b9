"""What Bilan keeps, for how long, and the cut-off of each kind at a given instant (pure: no Django).

Each kind names its data, the event its period runs from, and the setting (an environment
variable, in days) that sets the period. :func:`cutoffs` turns the periods into instants: a row
whose reference instant is *strictly before* its kind's cut-off is removed (or unlinked) by
``bilan purge``; one exactly at the cut-off stays until the next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bilan.french import plural


@dataclass(frozen=True)
class Kind:
    code: str
    label: str          # the page's and the command's name for it
    what: str           # what is removed, or what stays
    since: str          # the event the period runs from
    setting: str        # the setting (and environment variable) giving the period in days
    default_days: int
    per_academie: bool  # counted per académie on the page; otherwise shared by the whole service


KINDS: tuple[Kind, ...] = (
    Kind("drafts", "Brouillons de réponse",
         "Réponses commencées et jamais envoyées (campagnes nominatives et anonymes)\u00a0: supprimées.",
         "après la clôture de la campagne", "BILAN_RETENTION_DRAFTS_DAYS", 30, True),
    Kind("links", "Liens personnels",
         "Liens de réponse envoyés aux référent·es\u00a0: supprimés, les anciens liens ne s'ouvrent plus.",
         "après la clôture de la campagne", "BILAN_RETENTION_LINKS_DAYS", 30, True),
    Kind("mails", "Courriels envoyés",
         "Traces des courriels (destinataire, objet, état\u00a0; le texte est effacé dès l'envoi)\u00a0: supprimées.",
         "après leur création", "BILAN_RETENTION_MAILS_DAYS", 400, True),
    Kind("named_answers", "Réponses nominatives",
         "Lien entre une réponse et la personne qui l'a donnée\u00a0: retiré. Les chiffres restent, "
         "avec le type d'établissement et le département.",
         "après la clôture de la campagne", "BILAN_RETENTION_NAMED_ANSWERS_DAYS", 3 * 365, True),
    Kind("roster_uploads", "Fichiers de référentiel envoyés",
         "Fichiers déposés pour un import (noms et courriels)\u00a0: supprimés.",
         "après leur envoi", "BILAN_RETENTION_ROSTER_UPLOADS_DAYS", 1, True),
    Kind("jobs", "Travaux de fond",
         "Suivi des imports faits par le processus de fond (intitulé, état, messages ; le fichier reçu "
         "est effacé dès la fin du travail) : supprimé.",
         "après leur lancement", "BILAN_RETENTION_JOBS_DAYS", 30, True),
    Kind("login_logs", "Journal des connexions",
         "Tentatives de connexion, réussies ou non (identifiant, adresse IP, heure)\u00a0: supprimées.",
         "après la tentative", "BILAN_RETENTION_LOGIN_LOG_DAYS", 180, False),
    Kind("api_tokens", "Jetons d'API expirés ou révoqués",
         "Jetons qui ne servent plus\u00a0: supprimés.",
         "après leur expiration ou leur révocation", "BILAN_RETENTION_API_TOKENS_DAYS", 90, False),
    Kind("audit", "Journal d'audit",
         "Entrées du journal (qui a fait quoi, quand)\u00a0: supprimées.",
         "après l'action", "BILAN_AUDIT_RETENTION_DAYS", 365, False),
)

KINDS_BY_CODE = {kind.code: kind for kind in KINDS}

# The worker runs the purge when the last one is older than this.
PURGE_INTERVAL = timedelta(days=1)


def cutoffs(now: datetime, days: dict[str, int]) -> dict[str, datetime]:
    """The cut-off instant of each kind: ``now`` minus its period (``days[code]``, else its default)."""
    return {kind.code: now - timedelta(days=days.get(kind.code, kind.default_days)) for kind in KINDS}


def purge_due(last_run: datetime | None, now: datetime) -> bool:
    """Whether the daily purge is due: never run, or last run at least ``PURGE_INTERVAL`` ago."""
    return last_run is None or now - last_run >= PURGE_INTERVAL


def duration_label(days: int) -> str:
    """« 30 jours », « 1 jour », « 3 ans (1 095 jours) » when a whole number of years."""
    if days >= 365 and days % 365 == 0:
        return f"{plural(days // 365, 'an')} ({plural(days, 'jour')})"
    return plural(days, "jour")
