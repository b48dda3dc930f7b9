from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bilan.demo"
    label = "demo"
    verbose_name = "Démonstration"
