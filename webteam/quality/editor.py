"""Content checks for the page editor: the findings of the page's latest saved revision.

They are shown in the editor's Checks side panel (``wagtailadmin/shared/side_panels/checks.html``
in this app, beside Wagtail's own accessibility checks) and refreshed in place each time the
editor's work is saved, autosave included (``wagtailadmin/pages/edit_partials.html``). They are
never sent as message banners from an autosave: a banner from each autosave outlived the
problem it reported and piled up ("no owning delivery unit" four times after a save that had
one).
"""

import datetime
import logging
from dataclasses import dataclass, field

from wagtail.models import Page

from .findings import ERROR, INFO, WARNING, Finding
from .runner import CheckContext, check_page

logger = logging.getLogger("webteam.quality")

SEVERITY_LABELS = {ERROR: "Error", WARNING: "Warning", INFO: "Note"}


@dataclass(frozen=True)
class EditorChecks:
    """What the panel shows: the findings, and which saved version they are about."""

    saved: bool
    findings: list[Finding] = field(default_factory=list)
    saved_at: datetime.datetime | None = None
    failed: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {
            label: sum(1 for f in self.findings if f.severity == severity)
            for severity, label in SEVERITY_LABELS.items()
        }


def latest_revision_checks(page: Page | None) -> EditorChecks:
    """The findings for the newest saved revision of ``page`` (a page not yet saved has none).

    Read from the revision itself, not from the form on screen, so the panel says what is
    saved: the version a reviewer or the nightly run would see next.
    """
    if page is None or page.pk is None:
        return EditorChecks(saved=False)
    stored = Page.objects.filter(pk=page.pk).select_related("latest_revision").first()
    if stored is None:
        return EditorChecks(saved=False)
    revision = stored.latest_revision
    version = revision.as_object() if revision is not None else stored.specific
    try:
        findings = check_page(version, CheckContext.for_page(version))
    except Exception:  # a broken check must never stop an editor working
        logger.exception("Content checks failed for page %s", page.pk)
        return EditorChecks(saved=True, failed=True)
    return EditorChecks(
        saved=True,
        findings=findings,
        saved_at=revision.created_at if revision is not None else None,
    )
