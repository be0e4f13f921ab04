from django.urls import path

from . import admin_views

app_name = "backlog_admin"

urlpatterns = [
    path("", admin_views.backlog_index, name="index"),
    path("new/", admin_views.story_edit, name="add"),
    path("coverage/", admin_views.coverage, name="coverage"),
    path("kpis/", admin_views.kpi_dashboard, name="kpis"),
    path("demand/upload/", admin_views.demand_upload, name="demand_upload"),
    path("demand/upload/<int:pk>/", admin_views.demand_preview, name="demand_preview"),
    path("<int:pk>/", admin_views.story_detail, name="story"),
    path("<int:pk>/edit/", admin_views.story_edit, name="edit"),
    path("<int:pk>/searches/attach/", admin_views.story_attach, name="attach_query"),
    path("<int:pk>/searches/detach/", admin_views.story_detach, name="detach_query"),
]
