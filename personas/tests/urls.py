"""The project's URLs plus personas.urls, until the lead adds personas.urls to cms/urls.py."""

from django.urls import include, path

from cms.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("personas.urls")), *project_urlpatterns]
