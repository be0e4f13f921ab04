"""eforms API endpoints (not language-prefixed)."""

from django.urls import path

from . import api_views

urlpatterns = [
    path("api/v1/forms/<slug:slug>/", api_views.form_detail, name="eforms_api_form"),
    path(
        "api/v1/forms/<slug:slug>/submissions/",
        api_views.submissions,
        name="eforms_api_submissions",
    ),
]
