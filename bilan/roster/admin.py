from django.contrib import admin

from bilan.roster.models import Academie, Departement, Mandate, Referent, School


class DepartementInline(admin.TabularInline):
    model = Departement
    extra = 0


@admin.register(Academie)
class AcademieAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    inlines = [DepartementInline]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "academie")
    list_filter = ("academie",)
    search_fields = ("code", "name")


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    autocomplete_fields = ("referent", "school")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    # The admin's model form runs School.clean(), which normalises and checks the UAI.
    list_display = ("name", "uai", "type", "commune", "departement")
    list_filter = ("type", "departement")
    search_fields = ("uai", "name", "commune")
    inlines = [MandateInline]


@admin.register(Referent)
class ReferentAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "email", "email_bad")
    list_filter = ("email_bad",)
    search_fields = ("last_name", "first_name", "email")
    inlines = [MandateInline]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ("referent", "school", "school_year")
    list_filter = ("school_year", "school__type", "school__departement")
    search_fields = ("referent__last_name", "referent__email", "school__name", "school__uai")
    autocomplete_fields = ("referent", "school")
    list_select_related = ("referent", "school")
