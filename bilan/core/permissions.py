"""Roles of staff accounts in an académie: who may read, who may act.

A campaign's pages check them through :mod:`bilan.surveys.access`.
"""

from __future__ import annotations

from bilan.core.models import Membership, Role

# A pilot can do everything a reader can.
ROLE_RANK = {Role.READER: 1, Role.PILOT: 2}


def role_in(user, academie_id: int) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.PILOT
    membership = Membership.objects.filter(user=user, academie_id=academie_id).first()
    return membership.role if membership else None


def has_role(user, academie_id: int, needed: str = Role.READER) -> bool:
    role = role_in(user, academie_id)
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(needed)]


def academies_of(user):
    # The académie model is reached through the membership's relation: core is
    # the bottom layer and imports no other app.
    academie_model = Membership._meta.get_field("academie").related_model
    if user.is_superuser:
        return academie_model.objects.all()
    return academie_model.objects.filter(memberships__user=user).distinct()
