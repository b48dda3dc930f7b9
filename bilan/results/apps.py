from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "bilan.results"
    label = "results"
    verbose_name = "Résultats"
