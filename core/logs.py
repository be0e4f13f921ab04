"""Personal data out of the logs: every email address in a log line is masked.

Libraries log addresses as they please: Wagtail, when a workflow email cannot be sent, logs
"Failed to send notification email '...' to jane.smith@example.org" with the mail server's
error (which often names the address again). The console handler in ``LOGGING`` runs every
record through ``MaskEmailAddresses`` first, so what reaches the log reads ``j***@example.org``:
enough to tell messages apart, too little to identify the person.
"""

import logging
import re

# Addresses as mail servers and libraries print them; deliberately generous.
EMAIL_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[\w-]+")


def mask_email_addresses(text: str) -> str:
    """``jane.smith@example.org`` becomes ``j***@example.org``, wherever it is in the text."""
    return EMAIL_ADDRESS.sub(
        lambda found: f"{found.group(0)[0]}***@{found.group(0).rpartition('@')[2]}", text
    )


class MaskEmailAddresses(logging.Filter):
    """Mask the addresses in a record's message and in its traceback (both are formatted here,
    once; the record is changed for every handler after this one too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_email_addresses(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_email_addresses(record.exc_text)
        return True
