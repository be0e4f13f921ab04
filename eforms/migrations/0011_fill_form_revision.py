"""Requests sent before 0010 get the version of their form that was live when they were sent.

That is the revision of the form's latest publication at or before the request arrived, from
Wagtail's log ("wagtail.publish" entries carry their revision). A request with no publication on
record before it (a form made outside the admin) keeps none, and is shown with the form's current
questions, as before. Reversing does nothing: 0010's reverse drops the column.
"""

from django.db import migrations


def fill(apps, schema_editor):
    Submission = apps.get_model("eforms", "Submission")
    FormDefinition = apps.get_model("eforms", "FormDefinition")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type = ContentType.objects.filter(app_label="eforms", model="formdefinition").first()
    if content_type is None:
        return
    form_ids = Submission.objects.filter(form_revision__isnull=True).values_list("form_id", flat=True)
    for form_id in set(form_ids):
        published = list(
            ModelLogEntry.objects.filter(
                content_type=content_type,
                object_id=str(form_id),
                action="wagtail.publish",
                revision__isnull=False,
            )
            .order_by("timestamp", "pk")
            .values_list("timestamp", "revision_id")
        )
        if not published or not FormDefinition.objects.filter(pk=form_id).exists():
            continue
        # One UPDATE per publication, for the requests that arrived while it was live: from
        # its publication to the next one (the last stays live until now).
        waiting = Submission.objects.filter(form_id=form_id, form_revision__isnull=True)
        for index, (at, revision_id) in enumerate(published):
            window = waiting.filter(submitted_at__gte=at)
            if index + 1 < len(published):
                window = window.filter(submitted_at__lt=published[index + 1][0])
            window.update(form_revision_id=revision_id)


class Migration(migrations.Migration):
    dependencies = [
        ("eforms", "0010_submission_form_revision"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
