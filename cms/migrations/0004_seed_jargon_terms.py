"""Seed the jargon list: words that make council pages harder to read, with plainer ones.

Written in our own words, in the spirit of GOV.UK's advice on words to avoid. Editors own the
list after this; the migration only adds terms that aren't there.
"""

from django.db import migrations

TERMS = [
    ("utilise", "use"),
    ("utilize", "use"),
    ("facilitate", "help, make possible"),
    ("commence", "start, begin"),
    ("in order to", "to"),
    ("prior to", "before"),
    ("in receipt of", "getting, receiving"),
    ("in the event of", "if"),
    ("with regard to", "about"),
    ("with respect to", "about"),
    ("going forward", "from now on, in future"),
    ("deliver", "give, provide, do (unless it's post or parcels)"),
    ("empower", "let, allow, help"),
    ("leverage", "use"),
    ("stakeholder", "say who you mean, like residents or businesses"),
    ("robust", "strong, well thought out"),
    ("streamline", "simplify, make quicker"),
    ("drive", "lead to, encourage (unless it's a vehicle)"),
    ("tackle", "deal with, reduce, stop"),
    ("foster", "encourage, help"),
    ("ensure", "make sure"),
    ("endeavour", "try"),
    ("notwithstanding", "despite, even if"),
    ("thereafter", "after that, then"),
    ("herewith", "with this, here is"),
    ("hereby", "(leave it out)"),
    ("whilst", "while"),
    ("amongst", "among"),
    ("in conjunction with", "with"),
    ("at this moment in time", "now"),
    ("obtain", "get"),
    ("purchase", "buy"),
    ("request", "ask for"),
    ("sufficient", "enough"),
    ("terminate", "end, stop"),
    ("transform", "change (say how)"),
    ("ascertain", "find out"),
    ("disseminate", "share, tell people"),
    ("signpost", "point to, link to, tell people about"),
]


def seed(apps, schema_editor):
    JargonTerm = apps.get_model("cms", "JargonTerm")
    for term, alternative in TERMS:
        JargonTerm.objects.get_or_create(term=term, defaults={"alternative": alternative})


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_web_team_tools")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
