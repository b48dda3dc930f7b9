"""The team's work on a campaign's report: edits, layout, additions, published
versions, and the action plan its last section lists."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from bilan.surveys.models import Campaign


class ReportEdit(models.Model):
    """A paragraph rewritten by the team; ``figures`` are those it was written against."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="report_edits")
    block_key = models.CharField("paragraphe", max_length=80)
    text = models.TextField("texte")
    figures = models.JSONField("chiffres au moment de la modification", default=dict)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    edited_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "paragraphe modifié"
        verbose_name_plural = "paragraphes modifiés"
        constraints = [models.UniqueConstraint(fields=["campaign", "block_key"], name="report_edit_unique")]

    def __str__(self):
        return f"paragraphe « {self.block_key} » modifié"


class ReportSectionSetting(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="report_sections")
    section_key = models.CharField("section", max_length=80)
    hidden = models.BooleanField("masquée", default=False)
    position = models.PositiveIntegerField("position", default=0)

    class Meta:
        verbose_name = "réglage de section"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "section_key"], name="report_section_unique")]

    def __str__(self):
        return f"section « {self.section_key} »{' (masquée)' if self.hidden else ''}"


class ReportAddition(models.Model):
    """Text or a picture the team adds at the end of a section."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="report_additions")
    section_key = models.CharField("section", max_length=80)
    text = models.TextField("texte", blank=True)
    image = models.BinaryField("image", null=True, blank=True)
    image_mimetype = models.CharField("type de l'image", max_length=40, blank=True)
    image_alt = models.CharField("texte alternatif", max_length=300, blank=True)
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        verbose_name = "ajout au compte-rendu"
        verbose_name_plural = "ajouts au compte-rendu"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{'image' if self.image else 'texte'} ajouté à la section « {self.section_key} »"

    @property
    def block_key(self) -> str:
        return f"ajout-{self.pk}"


class ReportVersion(models.Model):
    """A published, frozen report: the document as JSON, never changed afterwards."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="report_versions")
    number = models.PositiveIntegerField("version")
    published_at = models.DateTimeField("publiée le")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    document = models.JSONField("document")

    class Meta:
        verbose_name = "version publiée"
        verbose_name_plural = "versions publiées"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="report_version_unique")]

    def __str__(self):
        return f"version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Une version publiée ne peut plus être modifiée.")
        super().save(*args, **kwargs)


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "prévue"
    IN_PROGRESS = "in_progress", "en cours"
    DONE = "done", "réalisée"
    DROPPED = "dropped", "abandonnée"


class Action(models.Model):
    """One action of the plan decided after a campaign's report.

    ``indicators``: the findings it answers, each a selector of the report
    template ({"q": code, "c": choice} or {"q", "row", "col"}) and a
    ``statement`` (« ne connaissent pas les recommandations… »); next year's
    report shows how each moved. ``themes``: comment themes it answers.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    owner = models.CharField("responsable", max_length=200, blank=True)
    due_date = models.DateField("échéance", null=True, blank=True)
    status = models.CharField("état", max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    indicators = models.JSONField("constats visés (indicateurs)", default=list, blank=True)
    themes = models.JSONField("thèmes de commentaires visés", default=list, blank=True)
    position = models.PositiveIntegerField("position", default=0)

    class Meta:
        verbose_name = "action"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title
