from django.urls import path

from bilan.surveys import views_respondent as views

app_name = "respondent"
urlpatterns = [
    path("<str:token>/", views.start, name="start"),
    path("<str:token>/section/<str:section>/", views.section, name="section"),
    path("<str:token>/enregistre/", views.saved, name="saved"),
    path("<str:token>/envoyer/", views.review, name="review"),
    path("<str:token>/accuse-de-reception/", views.receipt, name="receipt"),
]
