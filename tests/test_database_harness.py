"""A transactional test leaves the migrated database behind it (tests/harness/database_plugin.py).

Transactional tests (``transaction=True``, ``live_server``, every browser test) empty every table
afterwards, and the flush's post_migrate made the roles again while there was no page tree, so
they came back without page permissions: a later browser test's web team member was refused
("permission denied") and the jargon list, the taxonomy and the tree's root were gone. The tests
below run in file order (pytest-django runs the transactional ones after all others, in their
order): the first empties the tables, the others find what migrating made.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Locale, Page, WorkflowPage

from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR
from core.roles import WORKFLOW_NAME
from directory.models import TaxonomyTerm
from webteam.models import JargonTerm


def migrated_rows():
    root = Page.get_first_root_node()
    return {
        "root": root is not None,
        "locale": Locale.objects.exists(),
        "jargon": JargonTerm.objects.exists(),
        "taxonomy": TaxonomyTerm.objects.exists(),
        "web team page permissions": GroupPagePermission.objects.filter(
            group__name=CENTRAL_WEB_TEAM, page=root
        ).exists(),
        "unit editor page permissions": GroupPagePermission.objects.filter(
            group__name=DELIVERY_UNIT_EDITOR, page=root
        ).exists(),
        "workflow on the tree": WorkflowPage.objects.filter(
            page=root, workflow__name=WORKFLOW_NAME
        ).exists(),
    }


def missing(rows):
    return [name for name, present in rows.items() if not present]


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_starts_from_the_migrated_database():
    assert missing(migrated_rows()) == []
    Group.objects.create(name="Made by this test")  # gone afterwards, with every other row


@pytest.mark.django_db(transaction=True)
def test_the_next_test_finds_the_migrated_rows_and_the_roles_page_permissions():
    assert missing(migrated_rows()) == []
    assert not Group.objects.filter(name="Made by this test").exists()


def test_after_a_live_server_test(live_server):
    """A live server test empties the tables too (it is transactional)."""


@pytest.mark.django_db(transaction=True)
def test_and_after_a_live_server_test_too():
    assert missing(migrated_rows()) == []
