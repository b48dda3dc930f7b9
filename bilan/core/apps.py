from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bilan.core"
    label = "core"
    verbose_name = "Bilan"
