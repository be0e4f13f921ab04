"""journeys API endpoints (not language-prefixed)."""

urlpatterns = []
