from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bilan.audit"
    label = "audit"
    verbose_name = "Journal des actions"

    def ready(self):
        from bilan.audit import signals  # noqa: F401  records logins and refused logins
