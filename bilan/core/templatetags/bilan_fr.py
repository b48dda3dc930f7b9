from django import template

from bilan.core import typography

register = template.Library()


@register.filter
def fr_percent(value, decimals=0):
    return typography.fr_percent(value, int(decimals))


@register.filter
def fr_number(value, decimals=0):
    return typography.fr_number(value, int(decimals))


@register.filter
def fr_points(value):
    return typography.fr_points(value)


@register.filter
def fr_typo(value):
    return typography.fix_typography(str(value))


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if hasattr(mapping, "get") else key
