from django.urls import path

from bilan.reports import views, views_actions

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/compte-rendu/", views.detail, name="detail"),
    path("<slug:slug>/compte-rendu/telecharger.<str:fmt>", views.download, name="download"),
    path("<slug:slug>/compte-rendu/paragraphe/<str:key>/", views.edit_block, name="edit"),
    path("<slug:slug>/compte-rendu/sections/", views.layout, name="layout"),
    path("<slug:slug>/compte-rendu/ajout/", views.add, name="add"),
    path("<slug:slug>/compte-rendu/publier/", views.publish, name="publish"),
    path("<slug:slug>/compte-rendu/versions/<int:number>/", views.version, name="version"),
    path("<slug:slug>/compte-rendu/versions/<int:number>/telecharger.<str:fmt>", views.version_download,
         name="version_download"),
    path("<slug:slug>/plan-d-action/", views_actions.actions, name="actions"),
    path("<slug:slug>/plan-d-action/nouvelle/", views_actions.action_new, name="action_new"),
    path("<slug:slug>/plan-d-action/<int:action_id>/", views_actions.action_edit, name="action_edit"),
    path("<slug:slug>/plan-d-action/<int:action_id>/deplacer/", views_actions.action_move, name="action_move"),
    path("<slug:slug>/plan-d-action/<int:action_id>/etat/", views_actions.action_state, name="action_state"),
]
