from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bilan.reports"
    verbose_name = "Comptes-rendus et plans d'action"
    default_auto_field = "django.db.models.BigAutoField"
