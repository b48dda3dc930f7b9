from django.contrib import admin

from bilan.outreach.models import MailTemplate, OutgoingMail, ReminderPolicy


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "step", "status", "attempts", "due_at", "sent_at", "campaign"]
    list_filter = ["status", "kind", "campaign"]
    search_fields = ["recipient", "subject"]
    # The bodies hold personal link tokens: readable for audit, never editable.
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]


@admin.register(MailTemplate)
class MailTemplateAdmin(admin.ModelAdmin):
    list_display = ["campaign", "kind", "subject", "updated_at"]
    list_filter = ["kind", "campaign"]


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ["campaign", "enabled", "days_after_opening", "days_before_closing", "max_reminders"]
