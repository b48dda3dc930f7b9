from django.urls import path

from bilan.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("campagnes/<slug:slug>/", views.campaign, name="campaign"),
    path("campagnes/<slug:slug>/reglages/", views.campaign_edit, name="campaign_edit"),
    path("campagnes/<slug:slug>/etat/", views.campaign_state, name="campaign_state"),
    path("academie/<str:academie>/campagnes/nouvelle/", views.campaign_new, name="campaign_new"),
]
