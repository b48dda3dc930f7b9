"""What the ``bilan`` commands that work on one campaign share: finding it, writing their output."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bilan.french import NBSP, french_spacing

from .models import Campaign


def campaign_by_slug(slug: str, *related: str) -> Campaign:
    """The campaign with this slug, or a French command error listing the campaigns there are."""
    found = Campaign.objects.select_related(*related).filter(slug=slug).first()
    if found is None:
        known = ", ".join(Campaign.objects.order_by("slug").values_list("slug", flat=True)) or "aucune"
        raise CommandError(f"campagne « {slug} » introuvable (campagnes existantes{NBSP}: {known})")
    return found


def write_output(command: BaseCommand, data: bytes | Iterable[bytes], *, out: str | None, filename: str, text: bool,
                 written: str) -> None:
    """Write to ``out``, or to standard output when the format is text; a binary format needs ``--out``.

    ``data`` may come in pieces (a streamed export): each is written as it comes, into ``out``'s
    neighbour ``….part``, renamed at the end so that a failed export leaves no truncated file.
    ``written`` names what was written, for the line on standard error (« Réponses »).
    """
    pieces = [data] if isinstance(data, bytes) else data
    if out:
        partial = Path(f"{out}.part")
        try:
            with partial.open("wb") as target:
                for piece in pieces:
                    target.write(piece)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
        command.stderr.write(f"{written} écrits dans {out}")
    elif text:
        for piece in pieces:
            sys.stdout.buffer.write(piece)
        sys.stdout.flush()
    else:
        raise CommandError(french_spacing(f"ce format est binaire : précisez --out {filename}"))
