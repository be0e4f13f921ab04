"""The middles of postcode districts and sectors, so "NB2" or "NB2 4" finds the nearest places.

Sites that loaded postcodes before this get their districts and sectors worked out here, from
the postcode table as it is (written out again rather than imported, so that later changes to
the app cannot change what this migration does)."""

from collections import defaultdict

from django.db import migrations, models


def place_areas(apps, schema_editor):
    Postcode = apps.get_model("directory", "Postcode")
    PostcodeArea = apps.get_model("directory", "PostcodeArea")
    sums = defaultdict(lambda: [0.0, 0.0, 0])
    rows = Postcode.objects.values_list("postcode", "latitude", "longitude").iterator(
        chunk_size=5000
    )
    for postcode, latitude, longitude in rows:
        outward, _, inward = postcode.partition(" ")
        if not inward:
            continue
        for code in (outward, f"{outward} {inward[0]}"):
            total = sums[code]
            total[0] += latitude
            total[1] += longitude
            total[2] += 1
    PostcodeArea.objects.bulk_create(
        [
            PostcodeArea(code=code, latitude=lat / count, longitude=lon / count, postcodes=count)
            for code, (lat, lon, count) in sorted(sums.items())
        ],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_service_drafts_and_workflow"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostcodeArea",
            fields=[
                ("code", models.CharField(max_length=6, primary_key=True, serialize=False)),
                ("latitude", models.FloatField()),
                ("longitude", models.FloatField()),
                (
                    "postcodes",
                    models.PositiveIntegerField(
                        help_text="How many postcodes the middle is taken from."
                    ),
                ),
            ],
            options={
                "ordering": ["code"],
            },
        ),
        migrations.RunPython(place_areas, migrations.RunPython.noop),
    ]
