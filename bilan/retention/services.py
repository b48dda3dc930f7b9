"""Retention (``bilan purge``), the right of access and erasure (RGPD), for every app's data.

Its own app above all the others because it reads and removes every app's rows; nothing
imports it (the worker runs it by its command's name, ``call_command("purge")``).

What each kind removes, and from when, is :data:`bilan.retention.policy.KINDS`; the periods
are settings (docs/configuration.md). :func:`purge` works kind by kind, each in its own
transaction; ``dry_run`` only counts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bilan.api.models import ApiToken
from bilan.core.models import BackgroundJob
from bilan.french import NBSP, fr_number
from bilan.outreach.models import MailStatus, OutgoingMail
from bilan.retention.models import PurgeRun
from bilan.retention.policy import KINDS, KINDS_BY_CODE, cutoffs, duration_label, purge_due
from bilan.roster.models import Mandate, Referent, RosterUpload
from bilan.surveys.models import AccessToken, Invitation, Response, ResponseStatus

# A mail row in one of these states will not change any more: it may go.
FINAL_MAIL_STATUSES = (MailStatus.SENT, MailStatus.FAILED, MailStatus.BOUNCED, MailStatus.CANCELLED)
# The purge's own record is kept as long as the mail rows.
RUNS_KEPT = timedelta(days=400)

DELETE, CLEAR_DRAFT, UNLINK, AUDIT = "delete", "clear_draft", "unlink", "audit"


def retention_days() -> dict[str, int]:
    """The period of each kind, in days, from the settings (the kind's default when unset)."""
    return {kind.code: int(getattr(settings, kind.setting, kind.default_days)) for kind in KINDS}


def _scoped(queryset, academie, path: str):
    return queryset if academie is None else queryset.filter(**{path: academie})


def _axes_models():
    if not apps.is_installed("axes"):
        return []
    return [apps.get_model("axes", name) for name in ("AccessAttempt", "AccessLog", "AccessFailureLog")]


def _audit_model():
    return apps.get_model("audit", "AuditEntry") if apps.is_installed("bilan.audit") else None


def expired(code: str, cutoff: datetime, academie=None) -> list[tuple[object, str]]:
    """(queryset, action) of the rows of kind ``code`` past ``cutoff``, in ``academie`` when given.

    Kinds shared by the whole service (logins, API tokens, audit) have no académie: with one,
    they give nothing.
    """
    if code == "drafts":
        return [
            (_scoped(Response.objects.filter(status=ResponseStatus.DRAFT, campaign__closes_at__lt=cutoff),
                     academie, "campaign__academie"), DELETE),
            (_scoped(Invitation.objects.filter(campaign__closes_at__lt=cutoff)
                     .filter(~Q(draft_answers={}) | ~Q(draft_section="")), academie, "campaign__academie"),
             CLEAR_DRAFT),
        ]
    if code == "links":
        return [(_scoped(AccessToken.objects.filter(invitation__campaign__closes_at__lt=cutoff),
                         academie, "invitation__campaign__academie"), DELETE)]
    if code == "mails":
        return [(_scoped(OutgoingMail.objects.filter(created_at__lt=cutoff, status__in=FINAL_MAIL_STATUSES),
                         academie, "campaign__academie"), DELETE)]
    if code == "named_answers":
        # Sent answers only: unsent ones are drafts, removed (not unlinked) by their own kind.
        return [(_scoped(Response.objects.filter(campaign__anonymous=False, campaign__closes_at__lt=cutoff,
                                                 invitation__isnull=False, status=ResponseStatus.SUBMITTED),
                         academie, "campaign__academie"), UNLINK)]
    if code == "roster_uploads":
        return [(_scoped(RosterUpload.objects.filter(created_at__lt=cutoff), academie, "academie"), DELETE)]
    if code == "jobs":
        return [(_scoped(BackgroundJob.objects.filter(created_at__lt=cutoff), academie, "academie"), DELETE)]
    if academie is not None:
        return []
    if code == "login_logs":
        return [(model.objects.filter(attempt_time__lt=cutoff), DELETE) for model in _axes_models()]
    if code == "api_tokens":
        return [(ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)), DELETE)]
    if code == "audit":
        model = _audit_model()
        return [] if model is None else [(model.objects.filter(when__lt=cutoff), AUDIT)]
    raise ValueError(f"unknown kind {code!r}")


def _apply(queryset, action: str, cutoff: datetime) -> int:
    if action == DELETE:
        count = queryset.count()
        queryset.delete()
        return count
    if action == CLEAR_DRAFT:
        return queryset.update(draft_answers={}, draft_section="")
    if action == UNLINK:
        return queryset.update(invitation=None)
    if action == AUDIT:
        from bilan.audit.services import purge_audit  # the audit log's own purge

        return purge_audit(cutoff)
    raise ValueError(action)


@dataclass
class PurgeReport:
    now: datetime
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        """The command's French report: a heading, then one line per kind."""
        if self.dry_run:
            head = (f"Purge à blanc{NBSP}: rien n'est supprimé. Voici ce que la purge retirerait "
                    f"(les réponses nominatives seraient détachées de la personne, pas supprimées){NBSP}:")
        else:
            head = ("Purge des données dont la durée de conservation est écoulée, éléments supprimés "
                    f"(les réponses nominatives sont détachées de la personne, pas supprimées){NBSP}:")
        lines = [head]
        lines += [f"– {KINDS_BY_CODE[code].label}{NBSP}: {fr_number(count)}" for code, count in self.counts.items()]
        lines.append(f"Total{NBSP}: {fr_number(self.total)}")
        return lines


def purge(now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Remove (or, with ``dry_run``, count) what is past its retention, kind by kind, each atomically."""
    now = now or timezone.now()
    cuts = cutoffs(now, retention_days())
    report = PurgeReport(now=now, dry_run=dry_run)
    for kind in KINDS:
        cutoff = cuts[kind.code]
        parts = expired(kind.code, cutoff)
        if dry_run:
            report.counts[kind.code] = sum(queryset.count() for queryset, _ in parts)
            continue
        with transaction.atomic():
            report.counts[kind.code] = sum(_apply(queryset, action, cutoff) for queryset, action in parts)
    if not dry_run:
        with transaction.atomic():
            PurgeRun.objects.filter(ran_at__lt=now - RUNS_KEPT).delete()
            PurgeRun.objects.create(ran_at=now, counts=report.counts)
    return report


def last_run() -> PurgeRun | None:
    return PurgeRun.objects.order_by("-ran_at").first()


def purge_if_due(now: datetime | None = None) -> PurgeReport | None:
    """The worker's daily purge: runs it when the last run is a day old or more (or none), else nothing."""
    now = now or timezone.now()
    previous = last_run()
    if not purge_due(previous.ran_at if previous else None, now):
        return None
    return purge(now=now)


# ----------------------------------------------------------------------------- the registre's page

@dataclass
class KeptRow:
    kind: object
    days: int
    stored: int | None   # rows of the académie kept now (None: shared by the service, not counted here)
    due: int | None      # of which the next purge removes (or unlinks)

    @property
    def duration(self) -> str:
        return duration_label(self.days)


def _stored(code: str, academie) -> int | None:
    """What the académie holds now of each kind (the same rows :func:`expired` picks among)."""
    if code == "drafts":
        return (Response.objects.filter(status=ResponseStatus.DRAFT, campaign__academie=academie).count()
                + Invitation.objects.filter(campaign__academie=academie)
                .filter(~Q(draft_answers={}) | ~Q(draft_section="")).count())
    if code == "links":
        return AccessToken.objects.filter(invitation__campaign__academie=academie).count()
    if code == "mails":
        return OutgoingMail.objects.filter(campaign__academie=academie).count()
    if code == "named_answers":
        return Response.objects.filter(campaign__academie=academie, campaign__anonymous=False,
                                       invitation__isnull=False, status=ResponseStatus.SUBMITTED).count()
    if code == "roster_uploads":
        return RosterUpload.objects.filter(academie=academie).count()
    if code == "jobs":
        return BackgroundJob.objects.filter(academie=academie).count()
    return None


def kept_rows(academie, now: datetime | None = None) -> list[KeptRow]:
    now = now or timezone.now()
    days = retention_days()
    cuts = cutoffs(now, days)
    rows = []
    for kind in KINDS:
        if kind.per_academie:
            due = sum(queryset.count() for queryset, _ in expired(kind.code, cuts[kind.code], academie))
            rows.append(KeptRow(kind, days[kind.code], _stored(kind.code, academie), due))
        else:
            rows.append(KeptRow(kind, days[kind.code], None, None))
    return rows


# ----------------------------------------------------------------------------- right of access, erasure

def _when(value):
    return value.isoformat() if value else None


def person_record(referent: Referent, academie, now: datetime | None = None) -> dict:
    """Everything the académie's data holds about one referent, as JSON-ready data.

    Answers of anonymous campaigns are not linked to anyone once sent, so they are not in it;
    an anonymous campaign's unsent draft is (it waits on the person's invitation). Mail bodies
    and link tokens are not given: a queued body holds a live personal link.
    """
    now = now or timezone.now()
    invitations = (Invitation.objects.filter(referent=referent, campaign__academie=academie)
                   .select_related("campaign", "school").order_by("campaign__school_year", "pk"))
    mandates = (Mandate.objects.filter(referent=referent, school__departement__academie=academie)
                .select_related("school").order_by("school_year", "pk"))
    record = {
        "academie": academie.code,
        "produit_le": now.isoformat(),
        "personne": {"prenom": referent.first_name, "nom": referent.last_name, "courriel": referent.email,
                     "adresse_refusee": referent.email_bad, "motif_du_refus": referent.email_bad_reason},
        "mandats": [{"annee_scolaire": m.school_year, "uai": m.school.uai, "etablissement": m.school.name}
                    for m in mandates],
        "invitations": [],
    }
    for invitation in invitations:
        campaign = invitation.campaign
        entry = {
            "campagne": campaign.slug, "titre": campaign.title, "anonyme": campaign.anonymous,
            "uai": invitation.school.uai, "type_etablissement": invitation.school_type,
            "departement": invitation.departement_code, "invitee_le": _when(invitation.created_at),
            "lien_ouvert_le": _when(invitation.opened_at), "commencee_le": _when(invitation.started_at),
            "envoyee_le": _when(invitation.submitted_at),
            "liens_personnels": [_when(t) for t in invitation.tokens.order_by("created_at")
                                 .values_list("created_at", flat=True)],
            "courriels": [{"type": m.kind, "etape": m.step, "destinataire": m.recipient, "objet": m.subject,
                           "etat": m.status, "cree_le": _when(m.created_at), "envoye_le": _when(m.sent_at)}
                          for m in invitation.outgoing_mails.order_by("created_at", "pk")],
        }
        if invitation.draft_answers or invitation.draft_section:
            entry["brouillon_anonyme"] = {"reponses": invitation.draft_answers,
                                          "derniere_section": invitation.draft_section}
        response = Response.objects.filter(invitation=invitation, campaign__anonymous=False).first()
        if response is not None:
            entry["reponse"] = {"etat": response.status, "envoyee_le": _when(response.submitted_on),
                                "type_etablissement": response.school_type,
                                "departement": response.departement_code, "reponses": response.answers}
        record["invitations"].append(entry)
    return record


@dataclass
class Erasure:
    mandates: int = 0
    mails: int = 0
    links: int = 0
    drafts: int = 0
    unlinked: int = 0
    invitations: int = 0
    referent_deleted: bool = False


ERASED_NAME = "Personne effacée"


def erase_person(referent: Referent, academie) -> Erasure:
    """Erase one referent from the académie's data, all or nothing.

    Removed: the académie's mandates, mails, personal links and unsent drafts of the person; their
    named answers are unlinked (the figures stay, with school type and département). Their
    invitations stay for the participation counts, moved to a new « Personne effacée » entry with
    no address. The person's own entry (name, address) goes when nothing else holds it; another
    académie's mandates or invitations keep it for that académie.
    """
    done = Erasure()
    with transaction.atomic():
        invitations = Invitation.objects.filter(referent=referent, campaign__academie=academie)
        done.drafts = Response.objects.filter(invitation__in=invitations, status=ResponseStatus.DRAFT).delete()[0]
        done.unlinked = Response.objects.filter(invitation__in=invitations).update(invitation=None)
        done.links = AccessToken.objects.filter(invitation__in=invitations).delete()[0]
        done.mails = OutgoingMail.objects.filter(invitation__in=invitations).delete()[0]
        done.drafts += invitations.filter(~Q(draft_answers={}) | ~Q(draft_section="")).update(
            draft_answers={}, draft_section="")
        if invitations.exists():
            placeholder = Referent.objects.create(
                first_name="", last_name=ERASED_NAME, email=f"efface-{secrets.token_hex(8)}@invalid.invalid",
                email_bad=True, email_bad_reason="Données effacées à la demande de la personne.")
            done.invitations = invitations.update(referent=placeholder)
        done.mandates = Mandate.objects.filter(referent=referent, school__departement__academie=academie).delete()[0]
        if not referent.mandates.exists() and not referent.invitations.exists():
            referent.delete()
            done.referent_deleted = True
    return done
