"""Resident pages (served under /, /pl/ and /ar/)."""

from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/services/<uuid:service_id>/", views.service_detail, name="service"),
    path("directory/services/<uuid:service_id>/report/", views.report_problem, name="report"),
    path(
        "directory/services/<uuid:service_id>/report/done/", views.report_done, name="report_done"
    ),
    path("directory/<slug:slug>/", views.directory_view, name="view"),
]
