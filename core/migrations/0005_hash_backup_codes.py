"""Backup codes made before they were hashed are replaced by their hash, so they keep working.

Cannot be reversed: a hash cannot be turned back into the code. Going back to an older release
leaves staff with their authenticator apps; anyone who needs backup codes again gets new ones
from ``manage.py reset_second_step`` and setting up their app.
"""

from django.db import migrations
from django.utils.crypto import salted_hmac

HASHED_LENGTH = 16
HEX = frozenset("0123456789abcdef")


def digest(code: str) -> str:
    """The same as ``core.mfa.backup_code_digest`` on the day this was written (kept frozen)."""
    normalised = "".join(code.split()).replace("-", "").lower()
    mac = salted_hmac("signpost.mfa.backup-code", normalised, algorithm="sha256")
    return mac.hexdigest()[:HASHED_LENGTH]


def hash_plain_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all():
        if len(token.token) == HASHED_LENGTH and set(token.token) <= HEX:
            continue  # already a digest
        token.token = digest(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_auditentry"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(hash_plain_codes, migrations.RunPython.noop, elidable=False),
    ]
