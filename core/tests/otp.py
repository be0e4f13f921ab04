"""What a member of staff's authenticator app does, for tests: the RFC 6238 code for a key.

The code comes from django-otp's own RFC 4226 function (``django_otp.oath.hotp``, which RFC 6238
runs on the number of 30-second steps since 1970), fed the key as the person would type it
from the set-up page, never read from the device's row.
"""

import base64
import time

from django_otp.oath import hotp

STEP = 30


def key_bytes(typed_key: str) -> bytes:
    """The secret from the key shown on the set-up page ("ABCD EFGH ..."), as an app reads it."""
    text = typed_key.replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def app_code(typed_key: str, after_step: int = -1) -> str:
    """The code the app shows now, or the next one when the current step was used already.

    The server accepts each time step once (``TOTPDevice.last_t``) and one step either side of
    now, so a second sign-in in the same 30 seconds uses the next step's code, as an app would
    show a few seconds later.
    """
    now_step = int(time.time()) // STEP
    step = max(now_step, after_step + 1)
    assert step <= now_step + 1, "two codes already used in this half-minute: wait for the next"
    return f"{hotp(key_bytes(typed_key), step, digits=6):06d}"
