"""Reset a member of staff's second step for signing in, from the command line.

    manage.py reset_second_step una

For the day no administrator can sign in (the only superuser lost their phone and their backup
codes). Does what *Settings › Users › Reset second step for signing in* does, and records it in
the audit trail under the command's name. See docs/operations.md › Staff sign-in.
"""

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import mfa
from core.models import AuditEntry

COMMAND_NAME = "manage.py reset_second_step"


class Command(BaseCommand):
    help = (
        "Remove a member of staff's authenticator app and backup codes, so their next sign-in "
        "asks them to set up a new app."
    )

    def add_arguments(self, parser: CommandParser | ArgumentParser) -> None:
        parser.add_argument("username", help="The username they sign in with.")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        User = get_user_model()
        person = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if person is None:
            raise CommandError(f"There is no user with the username {username!r}.")
        removed = mfa.reset(person)
        AuditEntry.objects.create(
            user=None,
            username=COMMAND_NAME,
            action=AuditEntry.CHANGED,
            subject=f"staff account {username}"[:200],
            detail="Reset their second step for signing in (authenticator app and backup codes)",
            row_count=removed,
        )
        if removed:
            self.stdout.write(
                self.style.SUCCESS(f"Reset {username}'s second step for signing in.")
                + " They will set up a new authenticator app the next time they sign in."
            )
        else:
            self.stdout.write(f"{username} had no second step set up; nothing to reset.")
