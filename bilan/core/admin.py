from django.contrib import admin

from bilan.core.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "academie", "role")
    list_filter = ("role", "academie")
    search_fields = ("user__username", "user__email")
