from django.urls import path

from bilan.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
]
