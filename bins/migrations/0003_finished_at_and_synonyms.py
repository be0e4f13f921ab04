"""A round's "crew finished at" (the depot sets it; residents read it that day), and the synonym
group that makes "bin day" and "bins collected" find the bin-day page (bins/seed.py)."""

from django.db import migrations, models

from bins.seed import ensure


def seed_synonyms(apps, schema_editor):
    ensure(
        apps.get_model("bins", "BankHoliday"),
        apps.get_model("bins", "FinderText"),
        apps.get_model("search", "Synonym"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bins", "0002_seed_holidays_and_search"),
        ("search", "0004_search_feedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="collectionround",
            name="finished_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the crew finished this round. Residents see it on that day only.",
                null=True,
                verbose_name="crew finished at",
            ),
        ),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
    ]
