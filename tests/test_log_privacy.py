"""No email address reaches the log whole (core/logs.py).

Wagtail logs the recipient's address when a workflow email cannot be sent ("Failed to send
notification email '...' to web@..."). Here a real mail server refuses every message, the
worker tries to send the web team's "submitted for review" email, and the log line that comes
out of the site's console handler names the address masked only.
"""

import io
import logging

from django.conf import settings as django_settings

from core.logs import MaskEmailAddresses, mask_email_addresses
from directory.tests.factories import LocationFactory
from tests.harness.smtp import MailSink
from tests.tasks import run_queued_tasks

# people and committed are fixtures: imported so that pytest finds them here.
from tests.test_approval_workflow import committed, new_service_data, people  # noqa: F401

ADD = "/admin/snippets/directory/service/add/"


def console_handler():
    """The handler LOGGING gives the root logger, as the running site has it."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    return handler


def test_the_site_log_masks_the_address_of_a_workflow_email_that_failed(
    client,
    people,  # noqa: F811
    settings,
    committed,  # noqa: F811
):
    assert django_settings.LOGGING["handlers"]["console"]["filters"] == ["mask_email_addresses"]
    assert any(isinstance(f, MaskEmailAddresses) for f in console_handler().filters)
    web = people["web"]
    with MailSink(before_keeping=lambda envelope: False) as sink:  # refuses every message
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        client.force_login(people["editor"])
        data = new_service_data(people["editor"], people["streets"], LocationFactory())
        with committed():
            response = client.post(ADD, {**data, "action-submit": "1"})
        assert response.status_code == 302

        written = io.StringIO()
        log = logging.StreamHandler(written)  # the console handler's filters, into a buffer
        log.filters = list(console_handler().filters)
        logging.getLogger().addHandler(log)
        try:
            run_queued_tasks()
        finally:
            logging.getLogger().removeHandler(log)
    text = written.getvalue()
    assert "Failed to send notification email" in text, text
    assert web.email not in text
    assert mask_email_addresses(web.email) in text


def test_masking_keeps_the_domain_and_the_first_letter():
    line = "to jane.smith@example.org and <bob@mail.example.gov.uk>: 550 refused"
    assert (
        mask_email_addresses(line)
        == "to j***@example.org and <b***@mail.example.gov.uk>: 550 refused"
    )
