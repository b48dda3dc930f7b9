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
