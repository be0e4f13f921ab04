"""Seed the bank holidays and the bin-day page's search words (bins/seed.py). The council adds
later years in the admin (Bin collections › Bank holidays)."""

from django.db import migrations

from bins.seed import ensure


def seed(apps, schema_editor):
    ensure(apps.get_model("bins", "BankHoliday"), apps.get_model("bins", "FinderText"))


class Migration(migrations.Migration):
    dependencies = [("bins", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
