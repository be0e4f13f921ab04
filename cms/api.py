"""The headless API router (Wagtail API v2). Apps add their own endpoints under /api/v1/.

Wagtail's listings accept any whole number as ``offset``, and a huge one
(``offset=100000000000000000000``) reaches the database as a number it cannot hold: a 500 on
SQLite (an overflow) and on PostgreSQL (bigint out of range). ``BoundedPagination`` refuses an
offset past ``MAX_OFFSET`` with Wagtail's own 400, naming the parameter, as the OpenAPI document
(cms/openapi/pages.py) has always said.
"""

from typing import Any

from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

MAX_OFFSET = 100_000


class BoundedPagination(WagtailPagination):  # type: ignore[misc]
    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        raw = request.GET.get("offset", "0").strip()
        if raw.isascii() and raw.isdigit() and int(raw) > MAX_OFFSET:
            raise BadRequestError(f"offset must be a whole number from 0 to {MAX_OFFSET:,}")
        return super().paginate_queryset(queryset, request, view)


class SignpostPagesAPIViewSet(PagesAPIViewSet):  # type: ignore[misc]
    pagination_class = BoundedPagination


class SignpostImagesAPIViewSet(ImagesAPIViewSet):  # type: ignore[misc]
    pagination_class = BoundedPagination


class SignpostDocumentsAPIViewSet(DocumentsAPIViewSet):  # type: ignore[misc]
    pagination_class = BoundedPagination


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SignpostPagesAPIViewSet)
api_router.register_endpoint("images", SignpostImagesAPIViewSet)
api_router.register_endpoint("documents", SignpostDocumentsAPIViewSet)
