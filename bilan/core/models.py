import uuid

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    PILOT = "pilot", "Pilote"
    READER = "reader", "Lecteur·rice"


class Membership(models.Model):
    """A staff account's role in one académie.

    A pilot manages the académie's campaigns; a reader sees results only.
    Referents have no account: their personal link is their only access.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="compte")
    # By name: core is the bottom layer and imports no other app.
    academie = models.ForeignKey("roster.Academie", on_delete=models.CASCADE, related_name="memberships",
                                 verbose_name="académie")
    role = models.CharField("rôle", max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = "rôle dans une académie"
        verbose_name_plural = "rôles dans les académies"
        constraints = [models.UniqueConstraint(fields=["user", "academie"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.academie.name})"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


class BackgroundJob(models.Model):
    """A long piece of work started from a page and carried out by the worker (``bilan worker``):
    a large import, a report in PDF or ODT.

    The page that started it sends its user to the job's own page (``core:job``), which follows
    its progress, then offers what it made (``output``). The uploaded file waits in ``payload``
    only until the job ends; the row itself is kept for ``BILAN_RETENTION_JOBS_DAYS`` (bilan.retention).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    academie = models.ForeignKey("roster.Academie", on_delete=models.CASCADE, related_name="jobs",
                                 verbose_name="académie")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="lancé par")
    kind = models.CharField("nature", max_length=40)
    title = models.CharField("intitulé", max_length=300)
    status = models.CharField("état", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField("étape", max_length=200, blank=True)
    done = models.PositiveIntegerField("fait", default=0)
    total = models.PositiveIntegerField("à faire", default=0)
    params = models.JSONField("paramètres", default=dict, blank=True)
    payload = models.BinaryField("fichier reçu", null=True, blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)
    error = models.TextField("erreur", blank=True)
    problems = models.JSONField("problèmes", default=list, blank=True)
    # A file the job made (a report in PDF…), downloaded from the job's page by who may see the job.
    output = models.BinaryField("fichier produit", null=True, blank=True)
    output_name = models.CharField("nom du fichier produit", max_length=200, blank=True)
    output_type = models.CharField("type du fichier produit", max_length=100, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "travail de fond"
        verbose_name_plural = "travaux de fond"
        indexes = [models.Index(fields=["academie", "created_at"])]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
