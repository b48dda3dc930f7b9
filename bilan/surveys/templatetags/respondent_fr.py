"""French typography for the respondent pages."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NBSP = "\u00a0"
NNBSP = "\u202f"
_BEFORE = re.compile(r"[ \u00a0\u202f]+([:;?!%»])")
_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]+")


def french_spacing(text: str) -> str:
    """Make the spaces before « : ; ? ! % » and inside « … » non-breaking (none is added)."""
    text = _BEFORE.sub(lambda m: (NNBSP if m.group(1) in ";?!" else NBSP) + m.group(1), text)
    return _AFTER_OPENING.sub("«" + NBSP, text)


@register.filter(name="fr", is_safe=True)
def fr_filter(value):
    """Escape (unless already safe) then apply French spacing."""
    return mark_safe(french_spacing(str(conditional_escape(value))))
