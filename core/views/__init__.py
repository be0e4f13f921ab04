"""Core's own pages: the staff's second step for signing in (``core.views.mfa``)."""
