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

from webteam.models import AbTest, AbTestVariant

from . import services

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
            messages.success(request, "The test has ended. Version A stays published.")
        else:
            verdict = services.publish_winner(test, user=request.user)
            messages.success(
                request, f"{verdict.message} Version {verdict.winner} is now published."
            )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    return redirect("webteam_ab_test", pk=pk)
