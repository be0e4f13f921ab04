"""search resident-facing URLs (served under /, /pl/ and /ar/)."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/click/", views.record_click, name="click"),
    path("search/feedback/", views.search_feedback, name="feedback"),
    path("search/feedback/thanks/", views.search_feedback_thanks, name="feedback_thanks"),
]
