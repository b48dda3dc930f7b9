from django.urls import path

from bilan.commentary import views

app_name = "commentary"
urlpatterns = [
    path("<slug:slug>/commentaires/", views.index, name="index"),
    path("<slug:slug>/commentaires/<str:question>/", views.question, name="question"),
    path("<slug:slug>/commentaires/<str:question>/suggestions/", views.suggestions, name="suggestions"),
    path("<slug:slug>/commentaires/<str:question>/action/", views.action, name="action"),
    path("<slug:slug>/commentaires/<str:question>/relecture/", views.review, name="review"),
    path("<slug:slug>/commentaires/<str:question>/relecture/confirmer/", views.review_confirm, name="review_confirm"),
]
