from django.urls import path

from bilan.surveys import views_questionnaire as views

app_name = "questionnaires"
urlpatterns = [
    path("<slug:slug>/questionnaire/", views.detail, name="detail"),
    path("<slug:slug>/questionnaire/apercu/", views.preview, name="preview"),
    path("<slug:slug>/questionnaire/apercu/partie/<str:section>/", views.preview_section, name="preview_section"),
    path("<slug:slug>/questionnaire/apercu/fin/", views.preview_end, name="preview_end"),
    path("<slug:slug>/questionnaire/comparaison/", views.compare, name="compare"),
    path("<slug:slug>/questionnaire/envoyer/", views.upload, name="upload"),
    path("<slug:slug>/questionnaire/modifier/", views.edit, name="edit"),
    path("<slug:slug>/questionnaire/modifier/<str:question>/", views.edit_question, name="edit_question"),
]
