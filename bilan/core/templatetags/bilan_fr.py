"""Every French filter of the templates, over :mod:`bilan.french` (``{% load bilan_fr %}``).

Core is the bottom app, so every other app's templates can load this one
library; the rules themselves live in the pure module.
"""

from datetime import datetime
from functools import wraps

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from bilan import french

register = template.Library()


@register.filter(name="fr", is_safe=True)
def fr_screen(value):
    """Escape (unless already safe), then French spacing for a screen (thin space before ; ? !)."""
    # escaped first; french_spacing only turns spaces typed before « ; ? ! : % » and after « into no-break ones
    return mark_safe(french.french_spacing(str(conditional_escape(value)), narrow=True))  # noqa: S308


@register.filter
def fr_typo(value):
    """Prose we write: adds the missing no-break spaces too (URLs and times left alone)."""
    return french.french_spacing(str(value), insert=True)


@register.filter
def fr_percent(value, decimals=0):
    """A percentage 0–100: 53.1 → « 53 % »."""
    return french.fr_percent(value, int(decimals))


@register.filter
def percent(rate):
    """A rate 0–1: 0.3251 → « 32,5 % » (one decimal on staff pages); None → « — »."""
    return french.fr_percent(None if rate is None else rate * 100, 1)


@register.filter
def fr_number(value, decimals=0):
    """12345 → « 12 345 » (thin no-break space), decimal comma."""
    return french.fr_number(value, int(decimals))


@register.filter
def fr_points(value):
    return french.fr_points(value)


@register.filter
def fr_plural(count, words):
    """``{{ n|fr_plural:"réponse" }}`` → « 2 réponses »; an irregular plural after a comma: ``"travail,travaux"``."""
    singular, _, plural_form = str(words).partition(",")
    return french.plural(count, singular, plural_form or None)


@register.filter
def fr_ordinal(number, gender=""):
    """« 1er », « 6ᵉ »; ``{{ n|fr_ordinal:"f" }}`` → « 1re »."""
    return french.ordinal(int(number), feminine=gender == "f")


def _local(value):
    # Stored moments are aware (UTC): people read them in the site's time zone.
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _date_filter(show):
    """The filter of one of bilan.french's date functions: a moment in the site's time zone; nothing for none."""

    @wraps(show)
    def date_filter(value):
        return show(_local(value)) if value else ""

    return date_filter


# « 8 janvier 2027 », « vendredi 8 janvier 2027 », « 08/01/2027 », « 18 h 04 », « 8 janvier 2027 à 18 h 04 »:
# each date filter carries the name of the bilan.french function it calls, so the French date has one definition.
for _show in (french.fr_date, french.weekday_date, french.numeric_date, french.fr_time, french.fr_datetime):
    register.filter(_show.__name__, _date_filter(_show))


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if hasattr(mapping, "get") else key
