from django.contrib import admin

from bilan.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the journal is written by the application and purged by ``bilan purge``, never edited."""

    list_display = ("when", "username", "academie", "action", "target", "ip_address")
    list_filter = ("action", "academie")
    search_fields = ("username", "target")
    date_hierarchy = "when"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
