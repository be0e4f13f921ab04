"""search API endpoints (not language-prefixed)."""

urlpatterns = []
