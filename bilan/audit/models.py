"""The audit log: who did what, in which académie, and when. Append-only.

An entry is written by :func:`bilan.audit.services.record`; nothing in the application changes or
deletes one (the admin shows them read-only), except the retention purge
(:func:`bilan.audit.services.purge_audit`, setting ``BILAN_AUDIT_RETENTION_DAYS``).
"""

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    LOGIN = "login", "Connexion"
    LOGIN_FAILED = "login_failed", "Connexion refusée"
    EXPORT = "export", "Export"
    IMPORT = "import", "Import de réponses"
    QUESTIONNAIRE_IMPORTED = "questionnaire_imported", "Import de questionnaire"
    ROSTER_IMPORTED = "roster_imported", "Import du référentiel"
    THEME_CHANGED = "theme_changed", "Thème de commentaires modifié"
    REPORT_EDITED = "report_edited", "Compte-rendu modifié"
    REPORT_PUBLISHED = "report_published", "Compte-rendu publié"
    ROLE_CHANGED = "role_changed", "Rôle changé"
    MEMBER_INVITED = "member_invited", "Personne invitée"
    MEMBER_REMOVED = "member_removed", "Accès retiré"
    SECOND_FACTOR_RESET = "second_factor_reset", "Double authentification réinitialisée"
    API_TOKEN_CREATED = "api_token_created", "Jeton d’API créé"
    API_TOKEN_REVOKED = "api_token_revoked", "Jeton d’API révoqué"
    CAMPAIGN_STATE_CHANGED = "campaign_state_changed", "État de campagne changé"
    PERSONAL_DATA_EXPORTED = "personal_data_exported", "Données d’un·e référent·e téléchargées"
    PERSONAL_DATA_ERASED = "personal_data_erased", "Données d’un·e référent·e effacées"


# Entries without an académie that the académie's journal shows for its members.
PERSONAL_ACTIONS = (Action.LOGIN, Action.LOGIN_FAILED, Action.API_TOKEN_CREATED, Action.API_TOKEN_REVOKED)


class AppendOnlyError(Exception):
    """An audit entry, once written, is not changed."""


class AuditEntry(models.Model):
    when = models.DateTimeField("date", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="audit_entries", verbose_name="compte")
    # The name as it was: it stays when the account is deleted, and it is what a refused login typed.
    username = models.CharField("identifiant", max_length=150, blank=True)
    # By name: the log sits right above core, below roster (which records its imports here).
    academie = models.ForeignKey("roster.Academie", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="audit_entries", verbose_name="académie")
    action = models.CharField("action", max_length=32, choices=Action.choices, db_index=True)
    target = models.CharField("objet", max_length=255, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal des actions"
        ordering = ["-when", "-pk"]

    def __str__(self):
        return f"{self.when:%Y-%m-%d %H:%M} {self.username or '—'} {self.get_action_display()} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Une entrée du journal ne se modifie pas.")
        super().save(*args, **kwargs)
