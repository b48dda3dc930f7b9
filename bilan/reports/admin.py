from django.contrib import admin

from bilan.reports.models import Action, ReportAddition, ReportEdit, ReportSectionSetting, ReportVersion


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("title", "campaign", "owner", "due_date", "status")
    list_filter = ("campaign", "status")


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ("campaign", "number", "published_at", "published_by")
    readonly_fields = ("campaign", "number", "published_at", "published_by", "document")


admin.site.register(ReportEdit)
admin.site.register(ReportSectionSetting)
admin.site.register(ReportAddition)
