from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from bilan.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("campaigns/", views.CampaignList.as_view(), name="campaigns"),
    path("campaigns/<slug:slug>/", views.CampaignDetail.as_view(), name="campaign"),
    path("campaigns/<slug:slug>/participation/", views.ParticipationView.as_view(), name="participation"),
    path("campaigns/<slug:slug>/results/", views.ResultsView.as_view(), name="results"),
    path("campaigns/<slug:slug>/reports/", views.ReportList.as_view(), name="reports"),
    path("campaigns/<slug:slug>/reports/<int:number>/", views.ReportDetail.as_view(), name="report"),
]
