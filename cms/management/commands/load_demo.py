"""Build the demo council's site. Safe to run again: the second run changes nothing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail.signal_handlers import disable_reference_index_auto_update

import backlog.demo
import bins.demo
import cms.demo
import cms.demo_translations
import directory.demo
import eforms.demo
import journeys.demo
import personas.demo
import search.demo
from core import mfa
from core.roles import ensure_roles

# Order matters: owners and personas first, then the things journeys embed, then journeys,
# and the search index last so it sees everything.
DEMO_STEPS = [
    ("Personas and delivery units", personas.demo.load),
    ("Home page, settings and information pages", cms.demo.load),
    ("Forms", eforms.demo.load),
    ("Service directory", directory.demo.load),
    ("Bin collection rounds", bins.demo.load),
    ("Persona pages and journeys", journeys.demo.load),
    ("Backlog of user stories and contact figures", backlog.demo.load),
    ("Polish and Arabic translations", cms.demo_translations.load),
    ("Search index", search.demo.load),
]


class Command(BaseCommand):
    help = "Load the Northbrook Borough Council demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-login",
            action="store_true",
            help="Also create the admin/admin superuser (made anyway when DEBUG is on). "
            "Only on a machine of your own: anyone who can reach the site could sign in.",
        )

    def handle(self, *args, demo_login=False, **options):
        ensure_roles()
        # Wagtail keeps its reference index (the step-by-step sidebar starts from it) through
        # the background worker; rather than queue an update per saved object, the demo builds
        # the whole index once at the end, so the site is complete whether a worker runs yet.
        with disable_reference_index_auto_update():
            for label, load in DEMO_STEPS:
                self.stdout.write(f"{label}…")
                load(stdout=self.stdout)
        self.stdout.write("Wagtail's reference index…")
        call_command("rebuild_references_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        # A well-known password is a way in for anyone: only where someone asked for it, or on
        # a developer's machine (DEBUG), never because the demo was loaded on a real server.
        if demo_login or settings.DEBUG:
            self._ensure_demo_admin()
            self.stdout.write(
                "Demo-only admin login: username admin, password admin "
                "(never use this on a real server)."
            )
            if mfa.is_on():
                self.stdout.write(
                    "The second step for signing in is on (SIGNPOST_MFA_REQUIRED): after the "
                    "password, set up an authenticator app as the admin asks."
                )
        else:
            self.stdout.write(
                "No demo login was created (DEBUG is off). Create your own with "
                "`manage.py createsuperuser`, or pass --demo-login on a machine of your own."
            )

    def _ensure_demo_admin(self):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username="admin",
            defaults={"email": "admin@northbrook.example", "is_staff": True, "is_superuser": True},
        )
        if created:
            user.set_password("admin")
            user.save()
