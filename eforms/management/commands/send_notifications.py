"""Send what is waiting in the outbox, by hand.

The background worker does this as messages are queued and every minute (``manage.py worker``);
``--now`` is for an operator who has fixed the mail relay and will not wait for the back-off.
"""

from django.core.management.base import BaseCommand

from eforms.notifications import drain


class Command(BaseCommand):
    help = "Send waiting acknowledgements and updates, retrying failed ones with backoff."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Most messages to try in one run."
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="Also retry messages still waiting out their backoff.",
        )

    def handle(self, *args, limit, now, **options):
        sent, failed = drain(limit=limit, include_waiting=now)
        self.stdout.write(f"Sent {sent}, failed {failed}.")
