"""The forms of the report's staff pages: a paragraph's text, the sections' layout, an addition,
the confirmation of a publication.

Each value is checked here (a section is one of the report's, a position a whole
number in range, a text bounded, an image really a PNG, JPEG or GIF under 2 Mo, as Pillow reads
its content, whatever its name or the type the browser declares);
errors are French and show under their field (django-dsfr markup).
"""

from __future__ import annotations

import warnings

from django import forms
from PIL import Image, UnidentifiedImageError

from bilan.core.forms import ChoiceField, StaffForm, guillemets, shown
from bilan.reports.actions import selector_key
from bilan.reports.document import IMAGE_MIMETYPES
from bilan.reports.models import Action, ActionStatus, ReportAddition

TEXT_MAX_LENGTH = 10_000
MAX_POSITION = 99
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 2 Mo file may declare far more: decoding it would hold the server
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
                            widget=forms.FileInput(attrs={"class": "fr-upload",
                                                          "accept": ",".join(IMAGE_MIMETYPES.values())}))
    alt = forms.CharField(label="Texte alternatif de l'image", required=False, max_length=ALT_MAX_LENGTH)

    def __init__(self, sections, data=None, files=None):
        super().__init__(data=data, files=files, auto_id="add-%s")
        self.fields["section"].choices = [(s.key, s.title) for s in sections]
        self.fields["image"].widget.group_class = "fr-upload-group"
        self.dsfr_fields()

    def clean_image(self):
        """The upload, checked by its content; ``self.image_mimetype`` is then the type read there.

        The declared type and the file's name are the browser's word: Pillow reads the content,
        names its format and checks the file whole (``verify``). An SVG, an HTML page or a
        PDF renamed ``.png`` is refused, and so is an image too large to decode.
        """
        upload = self.cleaned_data.get("image")
        self.image_mimetype = ""
        if not upload:
            return None
        if upload.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(f"L'image pèse {upload.size / 1024 / 1024:.1f}\u00a0Mo".replace(".", ",")
                                        + "\u00a0: 2\u00a0Mo au plus.")
        refused = forms.ValidationError("Ce fichier n'est pas une image PNG, JPEG ou GIF lisible (son contenu a "
                                        "été vérifié, pas seulement son nom)\u00a0: enregistrez-la dans l'un de "
                                        "ces formats puis choisissez-la à nouveau.")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(upload) as image:
                    kind, (width, height) = image.format, image.size
                    if kind not in IMAGE_MIMETYPES:
                        raise refused
                    if width * height > MAX_IMAGE_PIXELS:
                        raise forms.ValidationError(
                            f"L'image mesure {width}\u00a0×\u00a0{height} pixels\u00a0: 40 millions de pixels "
                            "au plus (réduisez-la avant de l'ajouter).")
                    image.verify()
        except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
                OSError, SyntaxError, ValueError) as error:
            raise refused from error
        finally:
            upload.seek(0)
        self.image_mimetype = IMAGE_MIMETYPES[kind]
        return upload

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("alt"):
            self.add_error("alt", "Décrivez l'image (texte alternatif) pour les personnes qui ne la voient pas.")
        if "text" in data and "image" in data and not (data["text"] or data["image"]) and not self.errors.get("image"):
            self.add_error("text", "Saisissez un texte ou choisissez une image.")
        return data


# --------------------------------------------------------------------------- the action plan

ACTION_TITLE_MAX_LENGTH = Action._meta.get_field("title").max_length
ACTION_OWNER_MAX_LENGTH = Action._meta.get_field("owner").max_length
STATEMENT_MAX_LENGTH = 300
MAX_INDICATORS = 6
DATE_HINT = "jj/mm/aaaa, par exemple 30/06/2026"


class DueDateField(forms.DateField):
    """A deadline typed as 30/06/2026 (or sent by a date picker as 2026-06-30); its message quotes the value."""

    input_formats = ("%d/%m/%Y", "%Y-%m-%d")

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"Date d'échéance {guillemets(shown(value))} invalide\u00a0: une date réelle est attendue, "
                f"sous la forme {DATE_HINT}.", code="invalid") from None


class ActionForm(StaffForm):
    """An action of the plan: what, who, when, its state, the findings and comment themes it answers.

    The findings are chosen among the campaign's questionnaire (``finding-N``, a choice of a
    question or a cell of a grid, each with the ``statement-N`` the report writes after its
    figure); the themes among the questionnaire's comment themes. A value the page did not
    offer (a forged question code) is refused.
    """

    title = forms.CharField(label="Intitulé", max_length=ACTION_TITLE_MAX_LENGTH,
                            error_messages={"required": "Saisissez l'intitulé de l'action."})
    description = forms.CharField(label="Description", required=False, max_length=TEXT_MAX_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    owner = forms.CharField(label="Responsable", required=False, max_length=ACTION_OWNER_MAX_LENGTH,
                            help_text="La personne ou l'équipe en charge")
    due_date = DueDateField(label="Échéance", required=False, help_text=DATE_HINT,
                            widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric",
                                                                             "autocomplete": "off"}))
    status = ChoiceField(label="État", choices=ActionStatus.choices, initial=ActionStatus.PLANNED, error_messages={
        "required": "Choisissez l'état de l'action.",
        "invalid_choice": "État «\u00a0%(value)s\u00a0» inconnu."})
    themes = forms.MultipleChoiceField(
        label="Thèmes de commentaires visés", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Le thème «\u00a0%(value)s\u00a0» n'existe pas pour ce questionnaire."})

    def __init__(self, findings, themes, data=None, *, initial=None, indicators=()):
        """``findings``: :class:`bilan.reports.actions.Finding` of the questionnaire; ``themes``: (code, label);
        ``indicators``: the action's current ones (one slot each, plus an empty one)."""
        super().__init__(data=data, initial=initial, auto_id="action-%s")
        self.findings = {f.key: f for f in findings}
        groups: dict[str, list[tuple[str, str]]] = {}
        for finding in findings:
            groups.setdefault(finding.section, []).append((finding.key, finding.label))
        current = [(key_of(i), i.get("statement", "")) for i in indicators]
        for key, _ in current:
            if key not in self.findings:
                # Kept as it was when the questionnaire no longer offers it (not silently dropped).
                groups.setdefault("Absent du questionnaire de cette campagne", []).append((key, key))
        choices = [("", "— aucun —"), *((section or "Autres", options) for section, options in groups.items())]
        self.slots = min(max(len(current) + 1, 2), MAX_INDICATORS)
        if data is not None:
            posted = sum(1 for name in data if name.startswith("finding-"))
            self.slots = min(max(self.slots, posted), MAX_INDICATORS)
        self.kept = {key_of(i): {k: v for k, v in i.items() if k != "statement"} for i in indicators}
        for n in range(self.slots):
            key, statement = current[n] if n < len(current) else ("", "")
            self.fields[f"finding-{n}"] = ChoiceField(
                label=f"Constat visé n°\u00a0{n + 1}", required=False, choices=choices, initial=key,
                help_text="Une réponse du questionnaire (question et choix, ou ligne et colonne d'un tableau)",
                error_messages={"invalid_choice": "La réponse «\u00a0%(value)s\u00a0» n'existe pas dans le "
                                                  "questionnaire de cette campagne."})
            self.fields[f"statement-{n}"] = forms.CharField(
                label=f"Ce que mesure le constat n°\u00a0{n + 1}", required=False, max_length=STATEMENT_MAX_LENGTH,
                initial=statement,
                help_text="Écrit après le pourcentage dans le compte-rendu, par exemple «\u00a0ne connaissent pas "
                          "les recommandations\u00a0». Laissé vide, il reprend la question et la réponse.")
        theme_choices = list(themes)
        known = {code for code, _ in theme_choices}
        theme_choices += [(code, code) for code in (initial or {}).get("themes", []) if code not in known]
        self.fields["themes"].choices = theme_choices
        if not theme_choices:
            del self.fields["themes"]
        self.dsfr_fields()

    def finding_rows(self):
        """(finding field, statement field) of each slot, for the page's fieldsets."""
        return [(self[f"finding-{n}"], self[f"statement-{n}"]) for n in range(self.slots)]

    def main_fields(self):
        return [self[name] for name in ("title", "description", "owner", "due_date", "status")]

    def clean(self):
        data = super().clean()
        for n in range(self.slots):
            key, statement = data.get(f"finding-{n}"), data.get(f"statement-{n}")
            if statement and not key and f"finding-{n}" not in self.errors:
                self.add_error(f"finding-{n}", f"Choisissez la réponse que mesure le constat n°\u00a0{n + 1} "
                                               "(ou effacez son texte).")
        return data

    def indicators(self) -> list[dict]:
        """The chosen findings as the model keeps them (selector and statement), without duplicates."""
        chosen, seen = [], set()
        for n in range(self.slots):
            key = self.cleaned_data.get(f"finding-{n}")
            if not key or key in seen:
                continue
            seen.add(key)
            finding = self.findings.get(key)
            statement = self.cleaned_data.get(f"statement-{n}", "").strip()
            selector = dict(finding.selector) if finding else dict(self.kept[key])
            chosen.append({**selector, "statement": statement or (finding.default_statement if finding else key)})
        return chosen


def key_of(indicator: dict) -> str:
    return selector_key({k: v for k, v in indicator.items() if k != "statement"})


class ActionMoveForm(StaffForm):
    direction = ChoiceField(label="Sens", choices=[("up", "monter"), ("down", "descendre")], widget=forms.HiddenInput,
                            error_messages={"required": "Le formulaire ne dit pas dans quel sens déplacer l'action.",
                                            "invalid_choice": "Sens «\u00a0%(value)s\u00a0» inconnu (monter ou "
                                                              "descendre)."})


class ActionStatusForm(StaffForm):
    status = ChoiceField(label="État", choices=ActionStatus.choices, widget=forms.HiddenInput, error_messages={
        "required": "Le formulaire ne dit pas quel état donner à l'action.",
        "invalid_choice": "État «\u00a0%(value)s\u00a0» inconnu."})
