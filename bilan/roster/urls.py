from django.urls import path

from bilan.roster import views

# Included under /academie/: each pattern names the académie itself (the staff URL tests read each
# pattern's own arguments).
app_name = "roster"
urlpatterns = [
    path("<str:academie>/referentiel/", views.index, name="index"),
    path("<str:academie>/referentiel/importer/", views.upload, name="upload"),
    path("<str:academie>/referentiel/importer/confirmer/", views.confirm, name="confirm"),
    path("<str:academie>/referentiel/referents/<int:referent>/", views.referent, name="referent"),
    path("<str:academie>/referentiel/etablissements/<str:uai>/", views.school, name="school"),
    path("<str:academie>/referentiel/sans-referent/", views.uncovered, name="uncovered"),
]
