"""Who may edit what: delivery-unit editors work only on their own unit's content.

Wagtail grants page permissions by position in the tree. Signpost's tree follows residents'
intents, not the org chart, so an extra rule narrows editing to the pages a user's delivery
unit owns. Central web team members and superusers are not narrowed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wagtail.models import PagePermissionTester

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

CENTRAL_WEB_TEAM = "Central web team"
DELIVERY_UNIT_EDITOR = "Delivery unit editor"
PRODUCT_OWNER = "Product owner"


def restricted_unit_ids(user: AnyUser) -> frozenset[int] | None:
    """The delivery units a user is confined to, or None when they are not confined."""
    if not user.is_authenticated or user.is_superuser:
        return None
    cached: frozenset[int] | None | str = getattr(user, "_signpost_unit_ids", "unset")
    if not isinstance(cached, str):
        return cached
    group_names = set(user.groups.values_list("name", flat=True))
    result: frozenset[int] | None
    if CENTRAL_WEB_TEAM in group_names or DELIVERY_UNIT_EDITOR not in group_names:
        result = None
    else:  # the reverse side of DeliveryUnit.members
        result = frozenset(user.delivery_units.values_list("pk", flat=True))
    user._signpost_unit_ids = result  # type: ignore[attr-defined]  # one look-up per request
    return result


def user_may_edit_owned(user: AnyUser, obj: Any) -> bool:
    """True when the owner rule allows the user to work on an owned object."""
    unit_ids = restricted_unit_ids(user)
    return unit_ids is None or getattr(obj, "delivery_unit_id", None) in unit_ids


class OwnedPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, with every changing action limited to the user's delivery units."""

    def _owner_allows(self) -> bool:
        return user_may_edit_owned(self.user, self.page)

    def can_edit(self) -> bool:
        return self._owner_allows() and super().can_edit()

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return self._owner_allows() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self) -> bool:
        return self._owner_allows() and super().can_unpublish()

    def can_publish(self) -> bool:
        return self._owner_allows() and super().can_publish()

    def can_submit_for_moderation(self) -> bool:
        return self._owner_allows() and super().can_submit_for_moderation()

    def can_lock(self) -> bool:
        return self._owner_allows() and super().can_lock()

    def can_move(self) -> bool:
        return self._owner_allows() and super().can_move()

    def can_copy(self) -> bool:
        return self._owner_allows() and super().can_copy()


class OwnedPagePermissionsMixin:
    """Mix into page models that carry OwnedMixin."""

    def permissions_for_user(self, user: AnyUser) -> OwnedPagePermissionTester:
        return OwnedPagePermissionTester(user, self)


def may_read_reports(user: AnyUser) -> bool:
    """The web team and product owners read the dashboard; it lists residents' searches, so
    delivery-unit editors (who have no access to search reports) do not."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(
        user.is_superuser or user.groups.filter(name__in=[CENTRAL_WEB_TEAM, PRODUCT_OWNER]).exists()
    )
