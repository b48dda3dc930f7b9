from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("r/", include("bilan.surveys.urls_respondent")),
    path("campagnes/", include("bilan.outreach.urls")),
    path("campagnes/", include("bilan.results.urls")),
    path("campagnes/", include("bilan.reports.urls")),
    path("campagnes/", include("bilan.commentary.urls")),
    path("campagnes/", include("bilan.surveys.urls_exports")),
    path("campagnes/", include("bilan.surveys.urls_questionnaire")),
    path("api/", include("bilan.api.urls")),
    path("", include("bilan.api.pages")),  # « Jetons d'API »: each account's own tokens
    path("academie/", include("bilan.roster.urls")),
    path("academie/", include("bilan.retention.urls")),  # « Données personnelles », right of access, erasure
    path("", include("bilan.core.urls")),
    path("", include("bilan.audit.urls")),
    path("", include("bilan.accounts.urls")),
    path("", include("bilan.dashboard.urls")),
]
