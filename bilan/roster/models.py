from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from bilan.core.choices import vocabulary_choices
from bilan.uai import normalise_uai, uai_problem
from bilan.vocabularies import SCHOOL_TYPE_LABELS, departement_label

# COLLEGE, LYCEE, LP, EREA, OTHER: codes and labels of bilan.vocabularies, where the pure cores read them too.
SchoolType = vocabulary_choices("SchoolType", SCHOOL_TYPE_LABELS, __name__)


class Academie(models.Model):
    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=120)

    class Meta:
        verbose_name = "académie"
        ordering = ["name"]

    def __str__(self):
        return f"Académie de {self.name}"


class Departement(models.Model):
    academie = models.ForeignKey(Academie, on_delete=models.PROTECT, related_name="departements",
                                 verbose_name="académie")
    code = models.CharField("numéro", max_length=3, unique=True, help_text="Ex. 86")
    name = models.CharField("nom", max_length=80)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return departement_label(self.code, self.name)


class School(models.Model):
    uai = models.CharField("code UAI", max_length=8, unique=True)
    name = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=10, choices=SchoolType.choices)
    commune = models.CharField("commune", max_length=120, blank=True)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="schools",
                                    verbose_name="département")

    class Meta:
        verbose_name = "établissement"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.uai})"

    def clean(self):
        self.uai = normalise_uai(self.uai)
        problem = uai_problem(self.uai)
        if problem:
            raise ValidationError({"uai": problem})


class Referent(models.Model):
    first_name = models.CharField("prénom", max_length=80)
    last_name = models.CharField("nom", max_length=80)
    email = models.EmailField("courriel", max_length=254)
    email_bad = models.BooleanField(
        "adresse refusée", default=False,
        help_text="Le serveur de messagerie a refusé cette adresse ; à corriger.")
    email_bad_reason = models.CharField("motif du refus", max_length=300, blank=True)

    class Meta:
        verbose_name = "référent·e"
        verbose_name_plural = "référent·es"
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="referent_email_unique_ci")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Mandate(models.Model):
    """A referent serving one school during one school year ("2023-2024")."""

    referent = models.ForeignKey(Referent, on_delete=models.CASCADE, related_name="mandates",
                                 verbose_name="référent·e")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="mandates",
                               verbose_name="établissement")
    school_year = models.CharField("année scolaire", max_length=9, help_text="Ex. 2023-2024")

    class Meta:
        verbose_name = "mandat"
        ordering = ["school_year", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["referent", "school", "school_year"], name="mandate_unique"),
        ]
        indexes = [models.Index(fields=["school_year"])]

    def __str__(self):
        return f"{self.referent} — {self.school.name} ({self.school_year})"


class RosterUpload(models.Model):
    """A roster file a pilot sent, kept between its preview and its confirmation (all or nothing).

    Only its sender may confirm it, for its académie, within ``UPLOAD_LIFETIME``
    (bilan.roster.services); ``applied_at`` makes a second confirmation a no-op.
    """

    academie = models.ForeignKey(Academie, on_delete=models.CASCADE, related_name="roster_uploads",
                                 verbose_name="académie")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="envoyé par")
    filename = models.CharField("nom du fichier", max_length=255)
    data = models.BinaryField("contenu")
    school_year = models.CharField("année scolaire", max_length=9)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)
    applied_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi de référentiel"
        verbose_name_plural = "envois de référentiel"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.school_year})"
