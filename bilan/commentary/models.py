"""The team's work on French comments: codebooks, decisions, quotes to publish.

A comment is identified by (response, question code); its text stays in
``Response.answers`` and no name is ever stored here, except in quotes, which
are frozen *after* pseudonymisation.
"""

from django.conf import settings
from django.db import models


class ThemeRecord(models.Model):
    """One theme of an académie's codebook for a questionnaire, carried over from year to year.

    Each académie has its own codebook (seeded from the built-in one): a theme renamed,
    merged or created by one académie's team never changes another's.
    Merging a theme into another keeps the record with ``merged_into`` set, so that
    the decisions taken on it follow the surviving theme.
    """

    academie = models.ForeignKey("roster.Academie", on_delete=models.CASCADE, related_name="themes",
                                 verbose_name="académie")
    questionnaire_code = models.SlugField("questionnaire", max_length=64)
    code = models.SlugField("code", max_length=64)
    label = models.CharField("libellé", max_length=200)
    description = models.TextField("description", blank=True)
    keywords = models.JSONField("mots-clés", default=list, blank=True)
    examples = models.JSONField("exemples (pseudonymisés)", default=list, blank=True)
    question_codes = models.JSONField("questions", default=list, blank=True,
                                      help_text="Codes des questions concernées ; vide = toutes.")
    position = models.PositiveIntegerField("ordre", default=0)
    merged_into = models.CharField("fusionné dans", max_length=64, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["academie", "questionnaire_code", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["academie", "questionnaire_code", "code"],
                                               name="theme_code_unique")]

    def __str__(self):
        return f"{self.label} ({self.code})"

    def applies_to(self, question_code: str) -> bool:
        return not self.question_codes or question_code in self.question_codes


class ThemeDecision(models.Model):
    """The team says a comment belongs (or does not belong) to a theme; the automatic pass obeys."""

    response = models.ForeignKey("surveys.Response", on_delete=models.CASCADE, related_name="theme_decisions")
    question_code = models.CharField("question", max_length=64)
    theme_code = models.SlugField("thème", max_length=64)
    include = models.BooleanField("dans le thème", default=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    decided_at = models.DateTimeField("décidé le", auto_now=True)

    class Meta:
        verbose_name = "décision sur un commentaire"
        verbose_name_plural = "décisions sur des commentaires"
        constraints = [models.UniqueConstraint(fields=["response", "question_code", "theme_code"],
                                               name="theme_decision_unique")]

    def __str__(self):
        verdict = "dans" if self.include else "hors de"
        return f"réponse {self.response_id}, {self.question_code} : {verdict} « {self.theme_code} »"


class PublishedQuote(models.Model):
    """A comment marked for publication, with its pseudonymised text frozen at marking time."""

    response = models.ForeignKey("surveys.Response", on_delete=models.CASCADE, related_name="published_quotes")
    question_code = models.CharField("question", max_length=64)
    theme_code = models.SlugField("thème", max_length=64, blank=True)
    text = models.TextField("citation pseudonymisée")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    marked_at = models.DateTimeField("marquée le", auto_now=True)

    class Meta:
        verbose_name = "citation à publier"
        verbose_name_plural = "citations à publier"
        ordering = ["marked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["response", "question_code"], name="published_quote_unique")]

    def __str__(self):
        return f"citation de la réponse {self.response_id}, {self.question_code}"


class DismissedSuggestion(models.Model):
    """A suggested theme the team dismissed: not proposed again for that question (in its académie)."""

    academie = models.ForeignKey("roster.Academie", on_delete=models.CASCADE, related_name="dismissed_suggestions",
                                 verbose_name="académie")
    questionnaire_code = models.SlugField("questionnaire", max_length=64)
    question_code = models.CharField("question", max_length=64)
    label = models.CharField("libellé proposé", max_length=200)
    dismissed_at = models.DateTimeField("écarté le", auto_now_add=True)

    class Meta:
        verbose_name = "suggestion écartée"
        verbose_name_plural = "suggestions écartées"
        constraints = [models.UniqueConstraint(fields=["academie", "questionnaire_code", "question_code", "label"],
                                               name="dismissed_suggestion_unique")]

    def __str__(self):
        return f"« {self.label} » écartée ({self.questionnaire_code}, {self.question_code})"


class DigestCache(models.Model):
    """The automatic pass of one campaign, kept while answers, themes and decisions are unchanged."""

    campaign = models.OneToOneField("surveys.Campaign", on_delete=models.CASCADE, related_name="comment_cache")
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"passe automatique de la campagne {self.campaign_id}"


class CommentReview(models.Model):
    """A comment the team has read on the review page and whose themes it confirmed (or changed).

    ``themes`` are the codes confirmed; with last year's reviews of the same question they are the
    labelled data the review page's model learns from (bilan.comments.learning).
    """

    response = models.ForeignKey("surveys.Response", on_delete=models.CASCADE, related_name="comment_reviews")
    question_code = models.CharField("question", max_length=64)
    themes = models.JSONField("thèmes confirmés", default=list, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    reviewed_at = models.DateTimeField("relu le", auto_now=True)

    class Meta:
        verbose_name = "commentaire relu"
        verbose_name_plural = "commentaires relus"
        constraints = [models.UniqueConstraint(fields=["response", "question_code"], name="comment_review_unique")]

    def __str__(self):
        return f"réponse {self.response_id}, {self.question_code} : relu ({', '.join(self.themes) or 'aucun thème'})"
