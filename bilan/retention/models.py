"""The record of each purge run: the worker reads the last one to run the purge once a day."""

from django.db import models
from django.utils import timezone


class PurgeRun(models.Model):
    ran_at = models.DateTimeField("passage le", default=timezone.now, db_index=True)
    counts = models.JSONField("éléments retirés par nature", default=dict)

    class Meta:
        verbose_name = "passage de la purge"
        verbose_name_plural = "passages de la purge"
        ordering = ["-ran_at"]

    def __str__(self):
        return f"Purge du {self.ran_at:%Y-%m-%d %H:%M}"
