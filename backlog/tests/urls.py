"""The project's URLs plus backlog.urls, until the lead adds backlog.urls to cms/urls.py."""

from django.urls import include, path

from cms.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("backlog.urls")), *project_urlpatterns]
