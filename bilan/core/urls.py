from django.contrib.auth import views as auth_views
from django.urls import path

from bilan.core import auth_views as login_views
from bilan.core import views_jobs

app_name = "core"
urlpatterns = [
    path("connexion/", login_views.TwoStepLoginView.as_view(), name="login"),
    path("connexion/code/", login_views.login_code, name="login_code"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/double-authentification/", login_views.two_factor, name="two_factor"),
    path("travaux/<uuid:job>/", views_jobs.job_page, name="job"),
    path("travaux/<uuid:job>/etat.json", views_jobs.job_status, name="job_status"),
    path("travaux/<uuid:job>/fichier", views_jobs.job_download, name="job_download"),
]
