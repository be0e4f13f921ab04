"""The A/B tests area of the Wagtail admin: set up a test without code, start it, read it, publish the winner.

Variant B is the page's newest draft: edit the page, save a draft (don't publish), then create the
test. Version A is what is published now.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.models import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from core import pagecache
from webteam.models import AbTest, AbTestVariant

from . import services, urgent

PERMISSION = "webteam.change_abtest"


class AbTestForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        page = cleaned.get("page")
        if page is None:
            return cleaned
        page = page.specific_deferred
        if not page.live or page.live_revision_id is None:
            raise ValidationError(
                {"page": "Publish the page before testing it: version A is the published page."}
            )
        if self.instance.pk is None and page.latest_revision_id == page.live_revision_id:
            raise ValidationError(
                {
                    "page": "Save a draft of the page with the changes you want to test. "
                    "That draft becomes version B."
                }
            )
        if cleaned.get("goal_type") == "reach-page" and not cleaned.get("goal_page"):
            raise ValidationError({"goal_page": "Choose the page visitors should reach."})
        return cleaned


class AbTestCreateView(CreateView):
    def save_instance(self):
        test = super().save_instance()
        AbTestVariant.objects.create(test=test, label="A")
        AbTestVariant.objects.create(test=test, label="B", revision=test.page.latest_revision)
        return test


class AbTestViewSet(ModelViewSet):
    model = AbTest
    icon = "crosshairs"
    menu_label = "A/B tests"
    add_to_admin_menu = True
    menu_order = 910
    url_prefix = "ab-tests"
    list_display = ["name", "page", "goal_type", "status"]
    list_filter = ["status", "goal_type"]
    add_view_class = AbTestCreateView
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("hypothesis"),
            FieldPanel("page"),
            FieldPanel("goal_type"),
            FieldPanel("goal_page"),
            FieldPanel("goal_target"),
            FieldPanel("control_share"),
            FieldPanel("minimum_detectable_effect"),
        ],
        base_form_class=AbTestForm,
    )


def _may_manage(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return True


def results_view(request, pk):
    _may_manage(request)
    test = get_object_or_404(AbTest.objects.select_related("page"), pk=pk)
    return render(
        request, "webteam/ab_test.html", {"test": test, "outcome": services.results(test)}
    )


class _Confirm(forms.Form):
    action = forms.ChoiceField(
        choices=[("start", "start"), ("end", "end"), ("publish-winner", "publish-winner")]
    )


@require_POST
def action_view(request, pk):
    _may_manage(request)
    test = get_object_or_404(AbTest, pk=pk)
    form = _Confirm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do with the test.")
        return redirect("webteam_ab_test", pk=pk)
    action = form.cleaned_data["action"]
    try:
        if action == "start":
            services.start_test(test)
            messages.success(request, "The test has started.")
        elif action == "end":
            AbTest.objects.filter(pk=pk, status=AbTest.RUNNING).update(
                status=AbTest.CANCELLED, ended_at=timezone.now()
            )
            pagecache.purge_model(AbTest)  # an update sends no signal
            messages.success(request, "The test has ended. Version A stays published.")
        else:
            verdict = services.publish_winner(test, user=request.user)
            messages.success(
                request, f"{verdict.message} Version {verdict.winner} is now published."
            )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    return redirect("webteam_ab_test", pk=pk)


# --- Urgent changes during a test (webteam/abtesting/urgent.py) ---------------------------------


def _running_test_and_page(pk):
    test = get_object_or_404(AbTest.objects.select_related("page"), pk=pk)
    return test, test.page.specific


def edit_live_view(request, pk):
    """GET: why editing the live version keeps the test fair; POST: make that draft, open it."""
    test, page = _running_test_and_page(pk)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        try:
            urgent.start_from_live(page, request.user)
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
            return redirect("wagtailadmin_pages:edit", page.pk)
        messages.success(
            request,
            "You are now editing the live version. Version B is kept as it was for the test.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return render(
        request,
        "webteam/ab_test_edit_live.html",
        {"test": test, "page": page, "running": test.status == AbTest.RUNNING},
    )


class _UrgentChoice(forms.Form):
    choice = forms.ChoiceField(
        choices=list(urgent.CHOICES.items()),
        error_messages={"required": "Choose whether to end the test or restart it."},
    )


def urgent_publish_view(request, pk, revision_id):
    """The question before an urgent change goes live: end the test, or restart it."""
    test, page = _running_test_and_page(pk)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    revision = get_object_or_404(page.revisions, pk=revision_id)
    may_restart = request.user.has_perm(PERMISSION)
    if test.status != AbTest.RUNNING:
        messages.warning(request, "The test is no longer running. Publish the page as usual.")
        return redirect("wagtailadmin_pages:edit", page.pk)
    if request.method == "POST":
        form = _UrgentChoice(request.POST)
        if form.is_valid():
            choice = form.cleaned_data["choice"]
            if choice == urgent.RESTART and not may_restart:
                raise PermissionDenied
            try:
                again = urgent.publish_urgent_change(test, revision, choice, user=request.user)
            except ValidationError as problem:
                messages.error(request, " ".join(problem.messages))
                return redirect("wagtailadmin_pages:edit", page.pk)
            if again is None:
                messages.success(
                    request,
                    f"Your change is live. The test \u201c{test.name}\u201d has ended; "
                    "its results so far are kept.",
                )
            else:
                messages.success(
                    request,
                    f"Your change is live and is now version A. The test \u201c{test.name}\u201d "
                    "has started again from zero visitors.",
                )
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    else:
        form = _UrgentChoice()
    return render(
        request,
        "webteam/ab_test_urgent_publish.html",
        {
            "test": test,
            "page": page,
            "revision": revision,
            "form": form,
            "may_restart": may_restart,
            "variants": [v.label for v in test.variants.exclude(label="A").order_by("label")],
        },
    )
