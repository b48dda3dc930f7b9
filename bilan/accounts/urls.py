from django.urls import path

from bilan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("academie/<str:academie>/equipe/", views.team, name="team"),
    path("mot-de-passe/choisir/<uidb64>/<token>/", views.ChoosePasswordView.as_view(), name="set_password"),
    path("mot-de-passe/oublie/", views.ForgottenPasswordView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.ForgottenPasswordSentView.as_view(), name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", views.NewPasswordView.as_view(), name="password_reset_confirm"),
    path("mot-de-passe/nouveau/enregistre/", views.NewPasswordSavedView.as_view(), name="password_reset_complete"),
]
