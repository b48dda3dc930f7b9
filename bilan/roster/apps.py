from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "bilan.roster"
    label = "roster"
    verbose_name = "Référentiel"
