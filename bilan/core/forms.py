"""What the staff pages' forms share: the DSFR rendering and French typography in messages."""

from __future__ import annotations

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates
from dsfr.utils import dsfr_input_class_attr

from bilan.french import NBSP, guillemets

__all__ = ["NBSP", "ChoiceField", "StaffForm", "error_summary", "guillemets", "shown"]

SHOWN_MAX_LENGTH = 40


def shown(value) -> str:
    """A posted value as an error message quotes it: clipped, so that a forged value does not fill the page."""
    text = str(value)
    return text if len(text) <= SHOWN_MAX_LENGTH else text[:SHOWN_MAX_LENGTH] + "…"


class ChoiceField(forms.ChoiceField):
    """Django's ChoiceField, quoting a refused value clipped (its message may say « %(value)s »)."""

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": shown(value)}) from None


# The one renderer of every form: DsfrBaseForm falls back to the project's FORM_RENDERER when one is
# set, and that renderer would pick Django's widget templates over the DSFR's ones. An instance, not the
# class: given the class, Django builds a renderer, and so a template engine that parses every widget
# template again, for each form (about half of a respondent page's time).
DSFR_RENDERER = DsfrDjangoTemplates()


class StaffForm(DsfrBaseForm):
    """A staff page's form, rendered by django-dsfr: each error shows under its field.

    Fields added after ``__init__`` (forms built from a campaign's data) get their
    DSFR classes from :meth:`dsfr_fields`.
    """

    default_renderer = DSFR_RENDERER

    def dsfr_fields(self) -> None:
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def full_clean(self):
        super().full_clean()
        # Now that errors are known, the fields in error get aria-invalid and point to their message,
        # also when a page draws the widget alone (a table cell) rather than its DSFR group.
        if self._errors:
            self.dsfr_fields()

    def error_list(self) -> list[tuple[str, str, str]]:
        return error_list(self)

    def error_summary(self, fallback: str = "", *, link_fields: bool = True) -> list[tuple[str, str]]:
        return error_summary(self, fallback, link_fields=link_fields)


def error_list(form: forms.BaseForm) -> list[tuple[str, str, str]]:
    """(field id or "", field label or "", message) for every error of ``form``, in field order."""
    listed = []
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            listed.extend(("", "", message) for message in errors)
            continue
        bound = form[name]
        anchor = "" if bound.is_hidden else bound.id_for_label
        listed.extend((anchor, str(bound.label or ""), message) for message in errors)
    return listed


def error_summary(form: forms.BaseForm, fallback: str = "", *, link_fields: bool = True) -> list[tuple[str, str]]:
    """(link, text) of every error of ``form``, for the alert above the page (``core/_error_summary.html``).

    Any Django form will do (the staff pages' model forms too). A visible field's error links
    to the field when the page draws the form with its own ids (``link_fields``); the others
    link to ``fallback`` (where the form is drawn).
    """
    summary = []
    for field_id, label, message in error_list(form):
        href = f"#{field_id}" if field_id and link_fields else fallback
        summary.append((href, f"{label}{NBSP}: {message}" if label else str(message)))
    return summary
