from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "bilan.surveys"
    label = "surveys"
    verbose_name = "Campagnes et réponses"
