"""API tokens: one per tool an account lets read the API, stored only as a hash, with an expiry.

The secret (``bilan_`` followed by 43 URL-safe characters, 256 random bits) is shown once,
when it is created; the database keeps its SHA-256 (:func:`bilan.api.tokens.hash_secret`),
its first characters (to tell tokens apart in the list), a label, its creation, expiry,
last use and revocation.
"""

from django.conf import settings
from django.db import models


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField("libellé", max_length=100)
    token_hash = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    prefix = models.CharField("début du jeton", max_length=12)
    created_at = models.DateTimeField("créé le")
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.label} ({self.prefix}…)"

    def usable_at(self, now) -> bool:
        """Valid strictly before its expiry instant, and not revoked."""
        return self.revoked_at is None and now < self.expires_at
