"""The forms of the report's staff pages: a paragraph's text, the sections' layout, an addition,
the confirmation of a publication.

Each value is checked here (a section is one of the report's, a position a whole
number in range, a text bounded, an image really a PNG, JPEG or GIF under 2 Mo);
errors are French and show under their field (django-dsfr markup).
"""

from __future__ import annotations

from django import forms

from bilan.core.forms import ChoiceField, StaffForm, guillemets, shown
from bilan.reports.models import ReportAddition

TEXT_MAX_LENGTH = 10_000
MAX_POSITION = 99
IMAGE_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff", "image/gif": b"GIF8"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
ALT_MAX_LENGTH = ReportAddition._meta.get_field("image_alt").max_length


class BlockEditForm(StaffForm):
    """A paragraph's new text, or « revert » (back to the text written from the data)."""

    text = forms.CharField(label="Texte du paragraphe", required=False, max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 8}))
    revert = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("revert") and "text" in data and not data["text"]:
            self.add_error("text", "Le texte du paragraphe ne peut pas être vide.")
        return data


class PublishForm(StaffForm):
    """The pilot's explicit word before a version is frozen: a published version never changes."""

    confirm = forms.BooleanField(
        label="Je confirme\u00a0: cette version sera figée et ne changera plus",
        error_messages={"required": "Cochez «\u00a0Je confirme\u00a0» pour publier cette version."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)


class PositionField(forms.IntegerField):
    """A section's place; its message names the value and the section."""

    def __init__(self, section_key: str, **kwargs):
        self.section_key = section_key
        super().__init__(min_value=0, max_value=MAX_POSITION, required=False, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"Position {guillemets(shown(value))} invalide pour la section {guillemets(self.section_key)}"
                "\u00a0: un nombre entier est attendu.", code="invalid") from None


class LayoutForm(StaffForm):
    """The order (``position-KEY``) and visibility (``hidden-KEY``) of each section of the report."""

    def __init__(self, sections, data=None):
        self.sections = list(sections)
        super().__init__(data=data, auto_id="%s")
        for index, section in enumerate(self.sections):
            title = guillemets(section.title)
            self.fields[f"position-{section.key}"] = PositionField(
                section.key, label=f"Position de {title}", initial=index + 1,
                error_messages={"min_value": f"Position de {title}\u00a0: 0 au moins.",
                                "max_value": f"Position de {title}\u00a0: {MAX_POSITION} au plus."},
                widget=forms.NumberInput(attrs={"min": 0, "max": MAX_POSITION, "aria-label": f"Position de {title}"}))
            self.fields[f"hidden-{section.key}"] = forms.BooleanField(
                label=f"Masquer {title}", required=False, initial=section.hidden,
                widget=forms.CheckboxInput(attrs={"aria-label": f"Masquer {title}"}))
        self.dsfr_fields()

    def rows(self):
        """(section, position field, hidden field) for the page's table."""
        return [(s, self[f"position-{s.key}"], self[f"hidden-{s.key}"]) for s in self.sections]

    def order(self) -> list[str]:
        """Section keys in the chosen order (a position left empty keeps the section's place)."""
        keys = [s.key for s in self.sections]
        positions = {key: self.cleaned_data.get(f"position-{key}") for key in keys}
        place = {key: positions[key] if positions[key] is not None else index + 1 for index, key in enumerate(keys)}
        return sorted(keys, key=lambda k: (place[k], keys.index(k)))

    def hidden(self) -> set[str]:
        return {s.key for s in self.sections if self.cleaned_data.get(f"hidden-{s.key}")}


class AddForm(StaffForm):
    """A text or an image added at the end of a section."""

    section = ChoiceField(label="Section", error_messages={
        "required": "Choisissez la section où ajouter le texte ou l'image.",
        "invalid_choice": "Choisissez la section où ajouter le texte ou l'image (la section "
                          "«\u00a0%(value)s\u00a0» n'existe pas dans ce compte-rendu)."})
    text = forms.CharField(label="Texte (ou légende de l'image)", required=False, max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4}))
    image = forms.FileField(label="Image", required=False, help_text="PNG, JPEG ou GIF, 2\u00a0Mo au plus",
                            widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ",".join(IMAGE_TYPES)}))
    alt = forms.CharField(label="Texte alternatif de l'image", required=False, max_length=ALT_MAX_LENGTH)

    def __init__(self, sections, data=None, files=None):
        super().__init__(data=data, files=files, auto_id="add-%s")
        self.fields["section"].choices = [(s.key, s.title) for s in sections]
        self.fields["image"].widget.group_class = "fr-upload-group"
        self.dsfr_fields()

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        head = upload.read(8)
        upload.seek(0)
        # The declared type is the browser's word; the first bytes say what the file is.
        if upload.content_type not in IMAGE_TYPES or not head.startswith(IMAGE_TYPES[upload.content_type]):
            raise forms.ValidationError("L'image doit être au format PNG, JPEG ou GIF.")
        if upload.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(f"L'image pèse {upload.size / 1024 / 1024:.1f}\u00a0Mo".replace(".", ",")
                                        + "\u00a0: 2\u00a0Mo au plus.")
        return upload

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("alt"):
            self.add_error("alt", "Décrivez l'image (texte alternatif) pour les personnes qui ne la voient pas.")
        if "text" in data and "image" in data and not (data["text"] or data["image"]) and not self.errors.get("image"):
            self.add_error("text", "Saisissez un texte ou choisissez une image.")
        return data
