"""URL map. APIs and admin are not language-prefixed; resident pages are served in
English at the root and under /pl/ and /ar/ for the translations."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import preview, views
from .api import api_router
from .openapi import views as openapi_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/schema/", openapi_views.schema, name="api_schema"),
    path("api/docs/", openapi_views.docs, name="api_docs"),
    path("api/v1/preview/", preview.preview, name="api_preview"),
    path("api/v1/preview/links/<int:page_id>/", preview.create_link, name="api_preview_link"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/ab-tests/", include("webteam.abtesting.api_urls")),
    path("cookie-preferences/", views.cookie_preferences, name="cookie_preferences"),
    path("", include("eforms.api_urls")),
    path("", include("directory.api_urls")),
    path("", include("search.api_urls")),
    path("", include("journeys.api_urls")),
    path("", include("bins.api_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include("eforms.urls")),
    path("", include("directory.urls")),
    path("", include("search.urls")),
    path("", include("journeys.urls")),
    path("", include("bins.urls")),
    path("", include("backlog.urls")),
    # Wagtail serves every other path from the page tree; it must come last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler400 = "cms.views.bad_request"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
