from django.urls import path

from bilan.retention import views

# Included under /academie/: each pattern names the académie itself.
app_name = "retention"
urlpatterns = [
    path("<str:academie>/donnees/", views.index, name="index"),
    path("<str:academie>/referentiel/referents/<int:referent>/donnees.json", views.access, name="access"),
    path("<str:academie>/referentiel/referents/<int:referent>/effacer/", views.erase, name="erase"),
]
