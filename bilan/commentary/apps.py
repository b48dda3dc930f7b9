from django.apps import AppConfig


class CommentaryConfig(AppConfig):
    name = "bilan.commentary"
    label = "commentary"
    verbose_name = "Commentaires"
