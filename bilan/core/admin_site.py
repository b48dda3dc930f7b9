"""Django's admin, for superusers only.

Pilots and readers work in the staff pages; the admin edits everything at once
(roster, questionnaires, campaigns, accounts) without the académie checks of
:mod:`bilan.surveys.access`, so an ``is_staff`` flag set by mistake on a pilot's
account must not open it. ``BilanAdminConfig`` replaces ``django.contrib.admin``
in ``INSTALLED_APPS`` so that ``admin.site`` is this site.
"""

from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.sites import AdminSite


class BilanAdminSite(AdminSite):
    site_header = "Bilan — administration"
    site_title = "Bilan"
    index_title = "Référentiel, questionnaires et campagnes"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class BilanAdminConfig(AdminConfig):
    default_site = "bilan.core.admin_site.BilanAdminSite"
