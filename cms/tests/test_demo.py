import pytest
from django.core.management import call_command
from wagtail.models import Page


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = Page.objects.count()
    revisions = sorted(Page.objects.values_list("pk", "latest_revision_id"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert Page.objects.count() == first
    assert sorted(Page.objects.values_list("pk", "latest_revision_id")) == revisions
    assert client.get("/").status_code == 200
    assert client.get("/admin/login/").status_code == 200
