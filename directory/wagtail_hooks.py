"""The directory in the Wagtail admin: snippets for every record, a problem-report queue, and a
"needs verifying" report of services not checked with their provider for 12 months."""

import datetime

from django.db.models import F, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.create_once import CreateOnceView
from core.permissions import restricted_unit_ids

from . import problems
from .admin_views import feed_runs
from .forms import ServiceAdminForm
from .models import (
    DirectoryView,
    ListingProblem,
    Location,
    Organization,
    PartnerFeed,
    Service,
    ServiceText,
    TaxonomyTerm,
)


class ServiceViewSet(SnippetViewSet):
    model = Service
    add_view_class = CreateOnceView  # autosave must not make a second service
    icon = "list-ul"
    menu_label = _("Services")
    list_display = [
        "name",
        "organization",
        "status",
        "owner",
        DateColumn("last_verified", label=_("Last verified")),
    ]
    list_filter = [
        "status",
        "owner",
        "organization__provider_type",
        "referral_route",
        "support_level",
        "taxonomy_terms",
    ]
    search_fields = ["name", "description", "organization__name"]
    search_backend_name = None
    ordering = ["name"]
    edit_handler = TabbedInterface(
        [
            ObjectList(Service.service_panels, heading=_("Service")),
            ObjectList(Service.eligibility_panels, heading=_("Who it’s for and cost")),
            ObjectList(Service.access_panels, heading=_("Contact and referral")),
            ObjectList(Service.verification_panels, heading=_("Verification")),
        ],
        base_form_class=ServiceAdminForm,
    )


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    add_view_class = CreateOnceView  # autosaved too (revisions)
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "provider_type", "charity_number"]
    list_filter = ["provider_type"]
    search_fields = ["name", "charity_number", "description"]
    search_backend_name = None


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_label = _("Places")
    list_display = ["name", "address_1", "postal_code", "location_type"]
    list_filter = ["location_type"]
    search_fields = ["name", "address_1", "postal_code"]
    search_backend_name = None


class TaxonomyTermViewSet(SnippetViewSet):
    model = TaxonomyTerm
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "code", "parent"]
    list_filter = ["taxonomy", "parent"]
    search_fields = ["name", "code"]
    search_backend_name = None


class DirectoryViewViewSet(SnippetViewSet):
    model = DirectoryView
    icon = "view"
    menu_label = _("Directory views")
    list_display = ["title", "slug", "owner"]
    search_fields = ["title"]
    search_backend_name = None


class ListingProblemViewSet(SnippetViewSet):
    """The queue of residents' problem reports, newest first; filter by owner to see your own."""

    model = ListingProblem
    icon = "warning"
    menu_label = _("Problem reports")
    list_display = [
        "__str__",
        "status",
        "service__owner",
        DateColumn("created_at", label=_("Reported")),
    ]
    list_filter = ["status", "kind", "service__owner"]
    search_fields = ["details", "service__name"]
    search_backend_name = None

    def get_queryset(self, request):
        """Delivery unit editors see the reports about their own unit's listings."""
        queryset = ListingProblem.objects.select_related("service", "service__owner")
        unit_ids = restricted_unit_ids(request.user)
        if unit_ids is not None:
            queryset = queryset.filter(service__owner_id__in=unit_ids)
        return queryset


@hooks.register("after_edit_snippet")
def answer_the_reporter(request, instance):
    """Closing a report (status "Resolved") tells the reporter who asked for a reply, once."""
    if isinstance(instance, ListingProblem):
        problems.tell_reporter_if_resolved(instance, request)


class ServiceTextViewSet(SnippetViewSet):
    """Services' words for translators: pick the English text, choose "Translate", and
    wagtail-localize does the rest. The English text itself is changed on the service."""

    model = ServiceText
    icon = "globe"
    menu_label = _("Translations")
    list_display = ["name", "locale"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["name"]


class PartnerFeedViewSet(SnippetViewSet):
    """Partners' ORUK APIs the worker pulls on a schedule; each row links to its run history."""

    model = PartnerFeed
    icon = "download"
    menu_label = _("Partner feeds")
    list_display = ["name", "url", "owner", "active", Column("last_pull", label=_("Last pull"))]
    search_fields = ["name", "url"]
    search_backend_name = None

    def get_queryset(self, request):
        """Each row's last run in the same query, not one query per feed."""
        return PartnerFeed.objects.with_last_run()


@hooks.register("register_snippet_listing_buttons")
def feed_history_button(snippet, user, next_url=None):
    if isinstance(snippet, PartnerFeed) and user.has_perm("directory.change_partnerfeed"):
        yield ListingButton(
            _("Run history"),
            reverse("directory_feed_runs", kwargs={"feed_id": snippet.pk}),
            priority=5,
        )


@hooks.register("register_admin_urls")
def register_feed_urls():
    return [path("directory/feeds/<int:feed_id>/runs/", feed_runs, name="directory_feed_runs")]


class DirectoryGroup(SnippetViewSetGroup):
    items = (
        ServiceViewSet,
        OrganizationViewSet,
        LocationViewSet,
        TaxonomyTermViewSet,
        DirectoryViewViewSet,
        ListingProblemViewSet,
        ServiceTextViewSet,
        PartnerFeedViewSet,
    )
    menu_icon = "list-ul"
    menu_label = _("Directory")
    menu_name = "directory"
    menu_order = 250


register_snippet(DirectoryGroup)


class NeedsVerifyingReport(ReportView):
    """Services nobody has checked with their provider in the last 12 months, oldest first."""

    page_title = _("Directory: needs verifying")
    header_icon = "warning"
    index_url_name = "directory_needs_verifying"
    index_results_url_name = "directory_needs_verifying_results"
    model = Service
    list_export = ["name", "organization.name", "owner.name", "last_verified"]
    export_headings = {"organization.name": _("Organisation"), "owner.name": _("Owner")}

    @property
    def columns(self):
        return [
            TitleColumn(
                "name", label=_("Service"), url_name=Service.snippet_viewset.get_url_name("edit")
            ),
            Column("organization", label=_("Organisation")),
            Column("owner", label=_("Owner")),
            DateColumn("last_verified", label=_("Last verified")),
        ]

    def get_queryset(self):
        cutoff = timezone.localdate() - datetime.timedelta(days=365)
        return (
            Service.objects.exclude(status=Service.Status.DEFUNCT)
            .filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))
            .select_related("organization", "owner")
            .order_by(F("last_verified").asc(nulls_first=True), "name")
        )

    def user_can_access(self, user):
        return user.has_perm("directory.change_service") or user.has_perm("directory.view_service")

    def dispatch(self, request, *args, **kwargs):
        if not self.user_can_access(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


@hooks.register("register_admin_urls")
def register_needs_verifying_urls():
    return [
        path(
            "reports/directory-needs-verifying/",
            NeedsVerifyingReport.as_view(),
            name="directory_needs_verifying",
        ),
        path(
            "reports/directory-needs-verifying/results/",
            NeedsVerifyingReport.as_view(results_only=True),
            name="directory_needs_verifying_results",
        ),
    ]


class NeedsVerifyingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("directory.change_service") or request.user.has_perm(
            "directory.view_service"
        )


@hooks.register("register_reports_menu_item")
def register_needs_verifying_menu_item():
    return NeedsVerifyingMenuItem(
        _("Directory: needs verifying"),
        reverse("directory_needs_verifying"),
        icon_name="warning",
        order=900,
    )
