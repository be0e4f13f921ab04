"""Events other apps may listen to, so they can react without eforms knowing them
(e.g. the web team's A/B tests count a started or completed form as a goal)."""

from django.dispatch import Signal

# Sent with request= and form= when a resident starts a form (the start button).
form_started = Signal()
# Sent with request=, form= and submission= when a resident reaches the confirmation page.
form_completed = Signal()
