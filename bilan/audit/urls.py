from django.urls import path

from bilan.audit import views

app_name = "audit"
urlpatterns = [
    path("academie/<str:academie>/journal/", views.log, name="log"),
]
