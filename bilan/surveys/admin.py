from django.contrib import admin

from bilan.surveys.models import Campaign, Invitation, QuestionnaireVersion, Response


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "title", "created_at")
    readonly_fields = ("code", "version", "title", "source_yaml", "created_at")

    def has_add_permission(self, request):
        # Versions come from files (`bilan import questionnaire`), never typed in.
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "school_year", "state", "opens_at", "closes_at", "anonymous")
    list_filter = ("state", "academie", "anonymous")
    search_fields = ("slug", "title")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("referent", "campaign", "school", "school_type", "departement_code", "submitted_at")
    list_filter = ("campaign", "school_type", "departement_code")
    search_fields = ("referent__last_name", "referent__email", "school__name", "school__uai")
    raw_id_fields = ("referent", "school")
    readonly_fields = ("opened_at", "started_at", "submitted_at")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("pk", "campaign", "school_type", "departement_code", "status", "submitted_on")
    list_filter = ("campaign", "status", "school_type", "departement_code")
    readonly_fields = ("campaign", "invitation", "school_type", "departement_code", "answers", "status",
                       "submitted_on", "revision", "last_section")

    def has_add_permission(self, request):
        return False
