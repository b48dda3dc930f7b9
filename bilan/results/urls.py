from django.urls import path

from bilan.results import views

app_name = "results"
urlpatterns = [
    path("<slug:slug>/resultats/", views.overview, name="overview"),
    path("<slug:slug>/resultats/section/<str:section>/", views.section, name="section"),
    path("<slug:slug>/resultats/export.<str:fmt>", views.export, name="export"),
]
