from django import template

from bilan.core.typography import fr_number, fr_percent

register = template.Library()


@register.filter
def percent(rate):
    """0.3251 → « 32,5 % » (one decimal on staff pages, non-breaking space); None → « — »."""
    return fr_percent(None if rate is None else rate * 100, 1)


@register.filter
def number_fr(value):
    """12345 → « 12 345 » with a narrow non-breaking space."""
    return fr_number(value)
