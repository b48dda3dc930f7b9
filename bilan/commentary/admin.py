from django.contrib import admin

from bilan.commentary.models import DismissedSuggestion, PublishedQuote, ThemeDecision, ThemeRecord


@admin.register(ThemeRecord)
class ThemeRecordAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "academie", "questionnaire_code", "merged_into", "position")
    list_filter = ("academie", "questionnaire_code")
    search_fields = ("label", "code")


@admin.register(ThemeDecision)
class ThemeDecisionAdmin(admin.ModelAdmin):
    list_display = ("response", "question_code", "theme_code", "include", "decided_at")
    list_filter = ("question_code", "include")


@admin.register(PublishedQuote)
class PublishedQuoteAdmin(admin.ModelAdmin):
    list_display = ("question_code", "theme_code", "text", "marked_at")
    list_filter = ("question_code",)


admin.site.register(DismissedSuggestion)
