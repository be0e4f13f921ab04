"""Write every service as fully nested Open Referral UK JSON (the shape import_oruk reads)."""

import json
import sys

from django.core.management.base import BaseCommand

from directory.oruk import full_service_queryset, service_json


def export_services():
    """All services, fully nested, in a stable order (by id) so exports can be compared."""
    return [service_json(service, full=True) for service in full_service_queryset().order_by("id")]


class Command(BaseCommand):
    help = "Export the directory as a JSON list of fully nested Open Referral UK services."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", default="-", help="File to write (default: standard output)"
        )

    def handle(self, *args, **options):
        text = json.dumps(export_services(), indent=2, ensure_ascii=False, sort_keys=True)
        if options["output"] == "-":
            sys.stdout.write(text + "\n")
        else:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Wrote {options['output']}")
