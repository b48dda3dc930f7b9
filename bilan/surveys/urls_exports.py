from django.urls import path

from bilan.surveys import views_exports, views_imports

app_name = "answers"
urlpatterns = [
    path("<slug:slug>/reponses/export.<str:fmt>", views_exports.export_answers_view, name="export"),
    path("<slug:slug>/reponses/import/", views_imports.import_answers_view, name="import"),
    path("<slug:slug>/reponses/codes.csv", views_exports.export_codebook_view, name="codebook"),
]
