"""Content checks over every live page: store the findings and print a summary.

The worker runs them every night (``webteam.tasks.run_content_checks``); this command is for a
run by hand, for one unit, or with links to other websites checked too.

manage.py content_checks            # every live page
manage.py content_checks --unit housing --quiet
manage.py content_checks --external-links   # nightly: also links to other websites
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from eforms.api import forms_without_privacy_notice
from webteam.quality import ERROR, INFO, WARNING
from webteam.quality.nightly import check_live_pages


class Command(BaseCommand):
    help = "Check every live page for plain English, accessibility and ownership problems, and store the findings."

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="Only pages owned by this delivery unit (its slug).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--external-links",
            action="store_true",
            help="Also check links to other websites (slow: at most one request a second per site).",
        )
        parser.add_argument(
            "--timeout", type=float, default=5.0, help="Seconds to wait for another website."
        )

    def handle(self, *args, unit=None, quiet=False, external_links=False, timeout=5.0, **options):
        run = check_live_pages(
            unit=unit,
            external_links=external_links,
            timeout=timeout,
            progress=lambda pages: tqdm(
                pages, desc="Checking pages", unit="page", disable=quiet, file=self.stderr
            ),
        )
        total, pages_with_problems, by_severity = (
            run.total,
            run.pages_with_problems,
            run.by_severity,
        )
        self.stdout.write(
            f"Checked {total} page{'s' if total != 1 else ''}: {pages_with_problems} with something to fix "
            f"({by_severity[ERROR]} errors, {by_severity[WARNING]} warnings, {by_severity[INFO]} notes)."
        )
        for code, count in run.by_code.most_common():
            self.stdout.write(f"  {code}: {count}")
        self._forms_without_privacy_notice()

    def _forms_without_privacy_notice(self):
        """Forms are not pages, so eforms answers this one."""
        forms = list(forms_without_privacy_notice())
        self.stdout.write(f"Forms with no privacy notice: {len(forms)}")
        for form in forms:
            self.stdout.write(f"  {getattr(form, 'title', form)}")
