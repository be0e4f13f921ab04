"""To be included by the lead under /api/ab-tests/ (see the report)."""

from django.urls import path

from . import api_views

app_name = "abtesting"
urlpatterns = [
    path("<int:test_id>/participate", api_views.participate, name="participate"),
    path("<int:test_id>/convert", api_views.convert, name="convert"),
]
