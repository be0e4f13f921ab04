"""eforms resident-facing URLs (served under /, /pl/ and /ar/)."""

from django.urls import include, path

from . import views

app_name = "eforms"

form_patterns = [
    path("", views.start, name="start"),
    path("start/", views.begin, name="begin"),
    path("page/<slug:page>/", views.page, name="page"),
    path("check-your-answers/", views.check, name="check"),
    path("already-reported/", views.known_issue, name="known_issue"),
    path("save/", views.save, name="save"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("confirmation/<str:reference>/", views.confirmation, name="confirmation"),
]

urlpatterns = [
    # No form's page: a form may be called "places", whose pages are /forms/places/<page>/...
    path("forms/places/search/", views.find_place, name="find_place"),
    path("forms/<slug:slug>/", include(form_patterns)),
    path("track/", views.track, name="track"),
    # The emailed link (a secret token), swapped for the session, then the request's own page.
    path("track/<str:token>/", views.track_request, name="track_request"),
    path("track/request/<str:reference>/", views.tracked, name="tracked"),
]
