from django.urls import path

from bilan.surveys import views_exports

app_name = "answers"
urlpatterns = [
    path("<slug:slug>/reponses/export.<str:fmt>", views_exports.export_answers_view, name="export"),
    path("<slug:slug>/reponses/codes.csv", views_exports.export_codebook_view, name="codebook"),
]
