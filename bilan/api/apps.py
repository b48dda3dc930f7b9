from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "bilan.api"
    verbose_name = "API de lecture"
