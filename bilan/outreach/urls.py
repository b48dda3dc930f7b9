from django.urls import path

from bilan.outreach import views

app_name = "outreach"
urlpatterns = [
    path("<slug:slug>/participation/", views.board, name="board"),
    path("<slug:slug>/participation/sans-reponse.<str:fmt>", views.nonrespondents_export, name="export"),
    path("<slug:slug>/courriels/", views.mails, name="mails"),
    path("<slug:slug>/courriels/modeles/<str:kind>/", views.edit_template, name="template"),
    path("<slug:slug>/relances/", views.reminders, name="reminders"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("<slug:slug>/invitations/etat.json", views.invitations_status, name="invitations_status"),
]
