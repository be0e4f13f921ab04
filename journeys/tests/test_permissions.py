import pytest
from django.contrib.auth.models import Group, User

from core.permissions import DELIVERY_UNIT_EDITOR
from core.roles import ensure_roles


@pytest.mark.django_db
def test_delivery_unit_editor_edits_own_units_journeys_only(client, make_journey, units):
    ensure_roles()
    streets = make_journey("missed-bin", unit="street-scene")
    parking = make_journey("parking-permit", unit="parking")
    editor = User.objects.create_user("ed", password="pw")
    editor.groups.add(Group.objects.get(name=DELIVERY_UNIT_EDITOR))
    units["street-scene"].members.add(editor)
    assert streets.permissions_for_user(editor).can_edit()
    assert not parking.permissions_for_user(editor).can_edit()
    assert not streets.permissions_for_user(editor).can_publish()
    client.force_login(editor)
    assert client.get(f"/admin/pages/{streets.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{parking.pk}/edit/").status_code in (302, 403)
