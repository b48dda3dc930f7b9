"""API tokens in the admin (superusers): seen and revoked, never created or edited there (no secret to show)."""

from django.contrib import admin
from django.utils import timezone

from bilan.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("label", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("label", "user__username", "prefix")
    readonly_fields = ("user", "label", "prefix", "token_hash", "created_at", "expires_at", "last_used_at",
                       "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Révoquer les jetons sélectionnés")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} jeton(s) révoqué(s).")
