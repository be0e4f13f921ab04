"""directory API endpoints (not language-prefixed)."""

urlpatterns = []
