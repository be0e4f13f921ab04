"""The form as the resident saw it: each request's answers under the words they answered.

Editors reword questions and their choices after requests have come in. A request records the
published revision it was answered against (``Submission.form_revision``), so staff read "Is the
bin damaged? Yes" even after the question became "Is the bin missing?". Requests with no
recorded revision (made before it was recorded, or a form made outside the admin with none)
are shown with the form's current questions.
"""

from __future__ import annotations

from django.utils import formats, timezone
from wagtail.models import Revision

from .models import Submission
from .schema import FormSchema


class Versions:
    """The revisions requests were answered against, each read and compiled once.

    One per page or export: an export of thousands of requests reads each version once, and a
    request's revision is never joined into every row (a revision holds the whole form).
    """

    def __init__(self) -> None:
        self._schemas: dict[int, FormSchema] = {}
        self._labels: dict[int, str] = {}

    def schema(self, submission: Submission) -> FormSchema:
        """The questions of the version of the form this request was answered against."""
        revision_id = submission.form_revision_id
        if revision_id is None:
            return submission.form.schema
        if revision_id not in self._schemas:
            revision = Revision.objects.get(pk=revision_id)
            self._schemas[revision_id] = FormSchema.from_definition(revision.as_object())
            self._labels[revision_id] = _when(revision)
        return self._schemas[revision_id]

    def label(self, submission: Submission) -> str:
        """Which version, for staff ("3 December 2026, 14:05 (revision 42)"); "" if unknown.

        The revision number tells apart two versions published in the same minute, and finds
        the version in the form's history in the admin.
        """
        revision_id = submission.form_revision_id
        if revision_id is None:
            return ""
        if revision_id not in self._labels:
            revision = Revision.objects.only("created_at").get(pk=revision_id)
            self._labels[revision_id] = _when(revision)
        return self._labels[revision_id]


def _when(revision: Revision) -> str:
    saved = timezone.localtime(revision.created_at)
    return f"{formats.date_format(saved, 'j F Y')}, {saved:%H:%M} (revision {revision.pk})"
