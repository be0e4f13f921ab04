"""Screen free text for contact details before it is stored.

Residents sometimes type their email address or phone number into a feedback box even when
we ask them not to. We never keep it: both are replaced with a marker before saving.
"""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# UK-style numbers: 11 digits starting 0, or +44, allowing spaces, dots, dashes and brackets.
PHONE = re.compile(r"(?:\+\s*44\s*\(?0?\)?|\(?0)(?:[\s().-]*\d){9,10}")

EMAIL_MARK = "[email removed]"
PHONE_MARK = "[phone number removed]"


def mask_personal_data(text):
    text = EMAIL.sub(EMAIL_MARK, text or "")
    return PHONE.sub(PHONE_MARK, text)
