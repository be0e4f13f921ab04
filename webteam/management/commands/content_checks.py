"""Nightly content checks over every live page: store the findings and print a summary.

manage.py content_checks            # every live page
manage.py content_checks --unit housing --quiet
manage.py content_checks --external-links   # nightly: also links to other websites
"""

from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm
from wagtail.models import Page

from eforms.api import forms_without_privacy_notice
from webteam.quality import ERROR, INFO, WARNING, check_page, store_results
from webteam.quality.content import read_page
from webteam.quality.links import LinkChecker
from webteam.quality.runner import CheckContext


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
        pages = Page.objects.live().filter(depth__gt=1).order_by("path").specific()
        context = CheckContext.load()
        checked_at = timezone.now()
        link_checker = LinkChecker(timeout=timeout) if external_links else None
        by_severity, by_code, pages_with_problems, total = Counter(), Counter(), 0, 0
        for page in tqdm(
            pages, desc="Checking pages", unit="page", disable=quiet, file=self.stderr
        ):
            if unit and getattr(getattr(page, "delivery_unit", None), "slug", None) != unit:
                continue
            findings = check_page(page, context)
            if link_checker is not None:
                findings += link_checker.check(read_page(page).html)
            store_results(page, findings, checked_at)
            total += 1
            pages_with_problems += bool(findings)
            by_severity.update(f.severity for f in findings)
            by_code.update(f.code for f in findings)

        self.stdout.write(
            f"Checked {total} page{'s' if total != 1 else ''}: {pages_with_problems} with something to fix "
            f"({by_severity[ERROR]} errors, {by_severity[WARNING]} warnings, {by_severity[INFO]} notes)."
        )
        for code, count in by_code.most_common():
            self.stdout.write(f"  {code}: {count}")
        self._forms_without_privacy_notice()

    def _forms_without_privacy_notice(self):
        """Forms are not pages, so eforms answers this one."""
        forms = list(forms_without_privacy_notice())
        self.stdout.write(f"Forms with no privacy notice: {len(forms)}")
        for form in forms:
            self.stdout.write(f"  {getattr(form, 'title', form)}")
