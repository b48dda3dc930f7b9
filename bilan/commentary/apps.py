from django.apps import AppConfig


class CommentaryConfig(AppConfig):
    name = "bilan.commentary"
    label = "commentary"
    verbose_name = "Commentaires"

    def ready(self):
        from bilan.commentary.tasks import prepare_comments_pass_later
        from bilan.surveys.signals import answers_imported

        answers_imported.connect(prepare_comments_pass_later, dispatch_uid="bilan-comments-pass")
