"""schemathesis over /api/schema/: for every operation, generated requests against the demo
content never get a 5xx, and every response matches what the document says.

One test, so the demo content is loaded once; each operation gets a bounded Hypothesis run and
the failures of all operations are reported together.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks

from tests.demo import WHOLE_DEMO, whole_demo

# Every check schemathesis has, but two (issue 19: "all checks"): the response conformance
# checks, missing required headers refused, unsupported methods answered 405 with Allow,
# deleted resources gone, authentication not ignored, one visitor's objects not another's.
# Not yet: positive_data_acceptance, which counts as wrong each 400 for a well-formed value
# that names nothing (a postcode that does not exist, a page id with no page) or a pairing
# Wagtail's API refuses (child_of with descendant_of), and invalid requests
# (GenerationMode.NEGATIVE, negative_data_rejection), where the document is still stricter
# than Wagtail's API (``fields`` takes more than "*"). Schemathesis's response-time check is
# not registered by default and stays out: speed is measured in bench/, never asserted.
load_all_checks()
NOT_YET = {"positive_data_acceptance", "negative_data_rejection"}
CHECKS = [check for check in REGISTERED_CHECKS.get_all() if check.__name__ not in NOT_YET]
# Raised from 12 (and 4) with issue 19; the whole test stays near a minute on an idle machine.
MAX_EXAMPLES = 25
SMALL = {"submit_form": 8, "ab_test_participate": 8, "ab_test_convert": 8}
# Needs a signed-in editor and a CSRF token; tests/test_preview.py covers it.
SKIPPED = {"create_preview_link"}


@pytest.fixture
def wsgi_app():
    """Django's WSGI app, kept inside the test's transaction (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run_operation(operation, max_examples, mode=GenerationMode.POSITIVE):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


@WHOLE_DEMO
@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_as_documented(wsgi_app):
    whole_demo()  # what load_demo makes
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    failures, ran = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operation_id = operation.definition.raw.get("operationId")
        if operation_id in SKIPPED:
            continue
        ran += 1
        try:
            run_operation(operation, SMALL.get(operation_id, MAX_EXAMPLES))
        # schemathesis reports its findings as a BaseExceptionGroup, which "except Exception"
        # lets through: the first operation's failures would hide every other operation's.
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - report them all
            failures.append(f"{operation.method.upper()} {operation.path}:\n{failure}")
    assert ran >= 20
    assert not failures, "\n\n".join(failures)
