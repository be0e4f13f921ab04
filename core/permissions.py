"""Who may edit what: delivery-unit editors work only on their own unit's content.

Wagtail grants page permissions by position in the tree. Signpost's tree follows residents'
intents, not the org chart, so an extra rule narrows editing to what a user's delivery unit
owns: pages (``OwnedPagePermissionTester``), and forms and services (``OwnedModelPermissionPolicy``,
the snippets' permission policy). Whoever created something may always open it again. Central
web team members and superusers are not narrowed; translators change only translations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from wagtail.models import Locale, PagePermissionTester, Revision
from wagtail.permission_policies import ModelPermissionPolicy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

CENTRAL_WEB_TEAM = "Central web team"
DELIVERY_UNIT_EDITOR = "Delivery unit editor"
PRODUCT_OWNER = "Product owner"
TRANSLATOR = "Translator"

# Actions on one object that the owner rule narrows ("add" is narrowed by the unit chooser).
OWNED_ACTIONS = frozenset({"change", "delete", "publish", "unpublish", "lock", "unlock"})


def restricted_unit_ids(user: AnyUser) -> frozenset[int] | None:
    """The delivery units a user is confined to, or None when they are not confined."""
    if not user.is_authenticated or user.is_superuser:
        return None
    cached: frozenset[int] | None | str = getattr(user, "_signpost_unit_ids", "unset")
    if not isinstance(cached, str):
        return cached
    group_names = _group_names(user)
    result: frozenset[int] | None
    if CENTRAL_WEB_TEAM in group_names or DELIVERY_UNIT_EDITOR not in group_names:
        result = None
    else:  # the reverse side of DeliveryUnit.members
        result = frozenset(user.delivery_units.values_list("pk", flat=True))
    user._signpost_unit_ids = result  # type: ignore[attr-defined]  # one look-up per request
    return result


def _group_names(user: AnyUser) -> frozenset[str]:
    cached: frozenset[str] | None = getattr(user, "_signpost_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._signpost_group_names = cached  # type: ignore[union-attr]  # once per request
    return cached


def is_translator_only(user: AnyUser) -> bool:
    """A translator with no editing role: they change translations, never the original."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = _group_names(user)
    return TRANSLATOR in names and not names & {CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR}


def _is_translation(obj: Any) -> bool:
    locale_id = getattr(obj, "locale_id", None)
    return locale_id is not None and locale_id != Locale.get_default().pk


def created_by(user: AnyUser, obj: Any) -> bool:
    """Whether the user made this object: a page's owner, or the author of a snippet's first
    revision. An editor can always open what they made, whichever unit it ends up with."""
    if not user.is_authenticated or getattr(obj, "pk", None) is None:
        return False
    if hasattr(obj, "owner_id") and hasattr(obj, "path"):  # a page: Wagtail records its owner
        return bool(obj.owner_id == user.pk)
    first = (
        Revision.objects.for_instance(obj).order_by("created_at", "pk").values("user_id").first()
    )
    return first is not None and first["user_id"] == user.pk


def user_may_edit_owned(user: AnyUser, obj: Any, owner_field: str = "delivery_unit") -> bool:
    """True when the owner rule allows the user to work on an owned object."""
    if is_translator_only(user):
        return _is_translation(obj)
    unit_ids = restricted_unit_ids(user)
    if unit_ids is None:
        return True
    return getattr(obj, f"{owner_field}_id", None) in unit_ids or created_by(user, obj)


def units_user_may_choose(user: AnyUser, units: QuerySet[Any]) -> QuerySet[Any]:
    """The delivery units a user may give their content to: their own, when they are confined."""
    unit_ids = restricted_unit_ids(user)
    return units if unit_ids is None else units.filter(pk__in=unit_ids)


class OwnedModelPermissionPolicy(ModelPermissionPolicy):
    """The Django model permissions, with the owner rule on every action on one object.

    Registered for forms and services (``wagtail.permissions.register_permission_policy``), so
    every snippet view, the workflow and the bulk actions ask it: a delivery-unit editor may
    change their own unit's forms and services and nobody else's.
    """

    def __init__(self, model: type[Model], owner_field: str = "delivery_unit") -> None:
        super().__init__(model)
        self.owner_field = owner_field

    def user_has_permission_for_instance(self, user: AnyUser, action: str, instance: Any) -> bool:
        if not self.user_has_permission(user, action):
            return False
        return action not in OWNED_ACTIONS or user_may_edit_owned(user, instance, self.owner_field)

    def instances_user_has_any_permission_for(
        self, user: AnyUser, actions: list[str]
    ) -> QuerySet[Any]:
        instances: QuerySet[Any] = super().instances_user_has_any_permission_for(user, actions)
        if not set(actions) <= OWNED_ACTIONS or is_translator_only(user):
            return instances
        unit_ids = restricted_unit_ids(user)
        if unit_ids is None:
            return instances
        return instances.filter(**{f"{self.owner_field}__in": unit_ids})


def users_who_may_work_on(perm: str, unit_id: int | None) -> QuerySet[User]:
    """Active users who hold ``perm`` ("app_label.codename") and whom the owner rule lets work
    on an object of the delivery unit ``unit_id``: the same answer as ``user.has_perm(perm)``
    and ``user_may_edit_owned`` together, asked of everyone at once (e.g. who a request may be
    assigned to). Superusers hold every permission; an object with no unit is for the unconfined.
    """
    users = get_user_model()
    app_label, codename = perm.split(".")
    holders = users.objects.filter(
        Q(is_superuser=True)
        | Q(
            user_permissions__content_type__app_label=app_label, user_permissions__codename=codename
        )
        | Q(
            groups__permissions__content_type__app_label=app_label,
            groups__permissions__codename=codename,
        )
    )

    def in_group(name: str) -> Q:
        return Q(pk__in=users.objects.filter(groups__name=name).values("pk"))

    # restricted_unit_ids: confined only in the editors' group and not in the web team's.
    allowed = Q(is_superuser=True) | in_group(CENTRAL_WEB_TEAM) | ~in_group(DELIVERY_UNIT_EDITOR)
    if unit_id is not None:
        allowed |= Q(pk__in=users.objects.filter(delivery_units=unit_id).values("pk"))
    found: QuerySet[User] = users.objects.filter(
        allowed, is_active=True, pk__in=holders.values("pk")
    ).order_by("first_name", "last_name", "username")
    return found


class OwnedPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, with every changing action limited to the user's delivery units."""

    def _owner_allows(self) -> bool:
        return user_may_edit_owned(self.user, self.page)

    def can_add_subpage(self) -> bool:
        """Anyone may add a journey to a persona page (a shared hub, flagged by
        ``children_open_to_every_unit``); under a journey or content page only its owners may."""
        allowed = bool(super().can_add_subpage())
        if getattr(self.page.specific_class, "children_open_to_every_unit", False):
            return allowed
        return allowed and self._owner_allows()

    def can_publish_subpage(self) -> bool:
        return self._owner_allows() and super().can_publish_subpage()

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


class UnownedPagePermissionTester(OwnedPagePermissionTester):
    """For pages no unit owns (the home page): every role Wagtail allows may work on them,
    except a translator, who may change only their translations, never the original."""

    def _owner_allows(self) -> bool:
        return not is_translator_only(self.user) or _is_translation(self.page)


class UnownedPagePermissionsMixin:
    """Mix into page models without an owning unit, so the translator rule still holds."""

    def permissions_for_user(self, user: AnyUser) -> UnownedPagePermissionTester:
        return UnownedPagePermissionTester(user, self)


def may_read_reports(user: AnyUser) -> bool:
    """The web team and product owners read the dashboard; it lists residents' searches, so
    delivery-unit editors (who have no access to search reports) do not."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(
        user.is_superuser or user.groups.filter(name__in=[CENTRAL_WEB_TEAM, PRODUCT_OWNER]).exists()
    )


def may_run_operations(user: AnyUser) -> bool:
    """The Operations report (queues, failed messages, the schedule) and its retry buttons are
    for the people who run the site: superusers and the central web team. It shows where
    residents' messages were going (masked), so product owners and unit editors do not see it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.groups.filter(name=CENTRAL_WEB_TEAM).exists())


def may_handle_personal_data(user: AnyUser) -> bool:
    """Subject access, erasure and the audit trail: superusers and the central web team only.

    A delivery-unit editor sees their own unit's requests; finding everything held about a
    resident across every unit, erasing it, and reading who looked at what, is the web team's.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.groups.filter(name=CENTRAL_WEB_TEAM).exists())
