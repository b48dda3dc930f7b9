from django import template

register = template.Library()


@register.filter
def percent(rate):
    """0.3214 → « 32 % » (non-breaking space); None → « — »."""
    if rate is None:
        return "—"
    return f"{round(rate * 100)}\u00a0%"


@register.filter
def number_fr(value):
    """12345 → « 12 345 » with a narrow non-breaking space."""
    return f"{int(value):,}".replace(",", "\u202f")
