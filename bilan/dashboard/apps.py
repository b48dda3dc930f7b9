from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "bilan.dashboard"
    label = "dashboard"
    verbose_name = "Accueil de l'équipe"
