from django.urls import path

from . import admin_views

app_name = "backlog_admin"

urlpatterns = [
    path("", admin_views.backlog_index, name="index"),
    path("new/", admin_views.story_edit, name="add"),
    path("coverage/", admin_views.coverage, name="coverage"),
    path("kpis/", admin_views.kpi_dashboard, name="kpis"),
    path("<int:pk>/", admin_views.story_detail, name="story"),
    path("<int:pk>/edit/", admin_views.story_edit, name="edit"),
]
