"""search resident-facing URLs (served under /, /pl/ and /ar/)."""

urlpatterns = []
