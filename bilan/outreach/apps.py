from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "bilan.outreach"
    label = "outreach"
    verbose_name = "Courriels et participation"
