"""Campaign workflows: questionnaire versions, campaigns, invitations, links."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from bilan.questionnaire import QuestionnaireError, builtin_path, parse_questionnaire
from bilan.roster.models import Mandate, Referent
from bilan.surveys.models import AccessToken, Campaign, Invitation, QuestionnaireVersion
from bilan.surveys.tokens import hash_token, new_token


def register_questionnaire(source_yaml: str) -> QuestionnaireVersion:
    """Store a questionnaire version; the same code and version must have the same text."""
    schema = parse_questionnaire(source_yaml)
    version, created = QuestionnaireVersion.objects.get_or_create(
        code=schema.code, version=schema.version,
        defaults={"title": schema.title, "source_yaml": source_yaml},
    )
    if not created and version.source_yaml != source_yaml:
        raise QuestionnaireError(
            [f"la version {schema.version} du questionnaire {schema.code} existe déjà avec un autre contenu ; "
             "changez le numéro de version"])
    return version


def register_builtin_questionnaire(name: str = "bilan-rupn") -> QuestionnaireVersion:
    return register_questionnaire(builtin_path(name).read_text(encoding="utf-8"))


def issue_token(invitation: Invitation) -> str:
    """Create a new personal link token for the invitation; only its hash is stored."""
    token = new_token()
    AccessToken.objects.create(invitation=invitation, token_hash=hash_token(token))
    return token


def respondent_url(token: str) -> str:
    return settings.SITE_URL + reverse("respondent:start", args=[token])


@dataclass
class InvitationReport:
    created: int
    existing: int
    tokens: dict[int, str]  # invitation id -> raw token, for the first message only


def primary_mandates(school_year: str, academie_id: int | None = None) -> dict[int, Mandate]:
    """The first mandate of each referent for a school year: their stratum (in one académie's schools)."""
    primary: dict[int, Mandate] = {}
    mandates = Mandate.objects.filter(school_year=school_year)
    if academie_id is not None:
        # A campaign invites its own académie's roster, never another académie's referents.
        mandates = mandates.filter(school__departement__academie_id=academie_id)
    for mandate in mandates.select_related("school__departement").order_by("referent_id", "id"):
        primary.setdefault(mandate.referent_id, mandate)
    return primary


@transaction.atomic
def invite_roster(campaign: Campaign, *, with_tokens: bool = True) -> InvitationReport:
    """One invitation per referent in post for the campaign's school year (idempotent)."""
    existing_ids = set(campaign.invitations.values_list("referent_id", flat=True))
    created, tokens = 0, {}
    for referent_id, mandate in primary_mandates(campaign.school_year, campaign.academie_id).items():
        if referent_id in existing_ids:
            continue
        invitation = Invitation.objects.create(
            campaign=campaign, referent_id=referent_id, school=mandate.school,
            school_type=mandate.school.type, departement_code=mandate.school.departement.code,
        )
        created += 1
        if with_tokens:
            tokens[invitation.pk] = issue_token(invitation)
    return InvitationReport(created=created, existing=len(existing_ids), tokens=tokens)


def invite_one(campaign: Campaign, referent: Referent) -> tuple[Invitation, str]:
    """Invite a single referent (using their first mandate of the year) and return a link token."""
    mandate = primary_mandates(campaign.school_year, campaign.academie_id).get(referent.pk)
    if mandate is None:
        raise ValueError(f"{referent} n'a pas de mandat en {campaign.school_year}")
    invitation, _ = Invitation.objects.get_or_create(
        campaign=campaign, referent=referent,
        defaults={"school": mandate.school, "school_type": mandate.school.type,
                  "departement_code": mandate.school.departement.code},
    )
    return invitation, issue_token(invitation)
