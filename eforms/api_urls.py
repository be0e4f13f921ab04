"""eforms API endpoints (not language-prefixed)."""

urlpatterns = []
