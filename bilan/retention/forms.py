from django import forms

from bilan.core.forms import NBSP, StaffForm


class EraseForm(StaffForm):
    """The pilot's explicit word before a person's data is erased: it cannot be undone."""

    confirm = forms.BooleanField(
        label=f"Je confirme{NBSP}: la personne a demandé l'effacement, et il ne pourra pas être annulé",
        error_messages={"required": f"Cochez «{NBSP}Je confirme{NBSP}» pour effacer les données de cette personne."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)
