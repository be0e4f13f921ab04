"""search API endpoints (not language-prefixed)."""

from django.urls import path

from . import views

urlpatterns = [
    path("api/v1/search/", views.search_api, name="search-api"),
    path("api/v1/search/suggest", views.suggest_api, name="search-suggest-api"),
    path("api/v1/search/suggest/", views.suggest_api),
]
