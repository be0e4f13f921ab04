"""Forget a second "personas.deliveryunit" content type left by a downgrade and upgrade.

DeliveryUnit moved to core (core 0001 kept its content type's id). Taking personas back to
0002 and migrating up again leaves, beside core's, a content type Django's post_migrate made
for personas' copy of the model while both were in the state: empty, with four permissions
and nothing else pointing at it. A fresh or upgraded site has none, and this does nothing.
Reversing does nothing either: the duplicate would only come back.
"""

from django.db import migrations


def forget_duplicate(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label="core", model="deliveryunit").exists():
        ContentType.objects.filter(app_label="personas", model="deliveryunit").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("personas", "0004_move_backlog_out_of_personas"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forget_duplicate, migrations.RunPython.noop)]
