"""Service bundle pages of the region setup (one's own bundles, adopting another region's, the review list) and
the workflow editor."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pendopo.applications.workflows import SERVICE_WORKFLOW_PREFIX
from pendopo.catalog.models import Service
from pendopo.regions.models import Region
from pendopo.regions.permissions import Action, get_for_user, signed_in, visible_to
from pendopo.setup import actions, bundles, workflows
from pendopo.setup.forms import AdoptForm, BundleForm, DecreeForm
from pendopo.setup.models import BundleAdoption, ServiceBundle
from pendopo.setup.views import admin_only
from pendopo.workflow import actions as workflow_actions
from pendopo.workflow.actions import DEFAULT_SERVICE_CODE
from pendopo.workflow.definition import parse_definition
from pendopo.workflow.models import WorkflowDefinition


@admin_only
def bundle_list(request: HttpRequest, region: Region) -> HttpResponse:
    own = visible_to(request.user, ServiceBundle.objects.filter(region=region), Action.MANAGE).prefetch_related("services")
    offered = (
        ServiceBundle.objects.filter(is_published=True, region__is_active=True)
        .exclude(region=region)
        .select_related("region__regency")
        .prefetch_related("services")
        .order_by("region__regency__name", "name")
    )
    adoptions = BundleAdoption.objects.filter(region=region).select_related("bundle__region__regency")
    context = {"region": region, "own": own, "offered": offered, "adoptions": adoptions}
    return render(request, "setup/bundles.html", context)


@admin_only
def bundle_form(request: HttpRequest, region: Region, pk: int | None = None) -> HttpResponse:
    instance = None
    if pk is not None:
        instance = get_for_user(request.user, ServiceBundle.objects.filter(region=region), Action.MANAGE, pk=pk)
    form = BundleForm(request.POST or None, instance=instance, region=region)
    if request.method == "POST" and form.is_valid():
        actions.save_record(signed_in(request), region, form)
        messages.success(request, _("Saved."))
        return redirect("setup:bundles", region.slug)
    status = 400 if form.is_bound else 200
    return render(request, "setup/bundle_form.html", {"region": region, "form": form, "bundle": instance}, status=status)


@admin_only
def adopt(request: HttpRequest, region: Region, pk: int) -> HttpResponse:
    # Any offered bundle of another active region (its public scope); one's own is not adopted.
    bundle = get_object_or_404(
        visible_to(None, ServiceBundle.objects.exclude(region=region).select_related("region__regency")), pk=pk
    )
    sources = bundles.bundle_agencies(bundle)
    own = list(region.agencies.filter(is_active=True))
    suggestions = {source.pk: bundles.suggest_agency(source, own) for source in sources}
    form = AdoptForm(request.POST or None, region=region, sources=sources, suggestions=suggestions)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            adoption = bundles.adopt_bundle(signed_in(request), region, bundle, form.mapping())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = [f"{code}: {' '.join(msgs)}" for code, msgs in exc.message_dict.items()]
            else:
                errors = exc.messages
        else:
            messages.success(
                request, _("%(count)d drafts made. Set the decree and publish them.") % {"count": adoption.services.count()}
            )
            return redirect("setup:adoption", region.slug, adoption.pk)
    services = bundle.services.select_related("agency").order_by("name")
    status = 400 if form.is_bound else 200
    context = {"region": region, "bundle": bundle, "form": form, "errors": errors, "services": services}
    return render(request, "setup/adopt.html", context, status=status)


@admin_only
def adoption(request: HttpRequest, region: Region, pk: int) -> HttpResponse:
    adoption = get_for_user(
        request.user, BundleAdoption.objects.filter(region=region).select_related("bundle__region__regency"), Action.MANAGE, pk=pk
    )
    form = DecreeForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = bundles.publish_adoption(
                signed_in(request), adoption, form.cleaned_data["decree_number"], form.cleaned_data["decree_date"]
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(count)d services published.") % {"count": count})
            return redirect("setup:adoption", region.slug, adoption.pk)
    status = 400 if form.is_bound else 200
    context = {"region": region, "adoption": adoption, "rows": bundles.adoption_drafts(adoption), "form": form, "errors": errors}
    return render(request, "setup/adoption.html", context, status=status)


# --- the workflow editor ---------------------------------------------------------------------------


@admin_only
def workflow_list(request: HttpRequest, region: Region) -> HttpResponse:
    definitions = visible_to(
        request.user, WorkflowDefinition.objects.filter(region=region, status=WorkflowDefinition.Status.ACTIVE), Action.MANAGE
    ).order_by("code")
    return render(request, "setup/workflows.html", {"region": region, "definitions": definitions})


def _is_service_workflow(code: str) -> bool:
    return code == DEFAULT_SERVICE_CODE or code.startswith(SERVICE_WORKFLOW_PREFIX)


@admin_only
def workflow_edit(request: HttpRequest, region: Region, code: str) -> HttpResponse:
    versions = visible_to(request.user, WorkflowDefinition.objects.filter(region=region, code=code), Action.MANAGE)
    current = versions.filter(status=WorkflowDefinition.Status.ACTIVE).first() or versions.order_by("-version").first()
    if current is None:
        raise Http404
    spec = current.spec
    which = request.POST.get("form", "save") if request.method == "POST" else ""
    state_initial, action_initial = workflows.initial_of(spec)
    editing = which in ("save", "check")
    states = workflows.StateFormSet(request.POST if editing else None, initial=state_initial, prefix="state")
    actions_ = workflows.ActionFormSet(request.POST if editing else None, initial=action_initial, prefix="action")
    services = Service.objects.filter(region=region).order_by("name")
    usage = workflows.UsageForm(
        request.POST if which == "usage" else None,
        services=services,
        initial={"services": services.filter(workflow_code=code), "region_default": region.service_workflow_code == code},
    )
    copy = workflows.CopyForm(request.POST if which == "copy" else None)
    problems: list[str] = []
    checked = False
    if editing and states.is_valid() and actions_.is_valid():
        definition = workflows.definition_from(states, actions_, spec)
        try:
            parse_definition(definition)
        except ValidationError as exc:
            problems = exc.messages
        else:
            checked = True
            if which == "save":
                new = workflow_actions.revise_definition(current, definition, actor=signed_in(request), activate=True)
                messages.success(request, _("Version %(version)d is saved and active.") % {"version": new.version})
                return redirect("setup:workflow", region.slug, code)
    if which == "check":
        # The live check as the administrator types (htmx): the same validation as saving, nothing saved.
        context = {"problems": problems, "checked": checked, "states": states, "actions": actions_}
        return render(request, "setup/_workflow_check.html", context)
    if which == "usage" and _is_service_workflow(code) and usage.is_valid():
        actions.set_workflow_usage(
            signed_in(request), region, code, list(usage.cleaned_data["services"]), usage.cleaned_data["region_default"]
        )
        messages.success(request, _("Saved: new applications of the chosen services run on this workflow."))
        return redirect("setup:workflow", region.slug, code)
    if which == "copy" and copy.is_valid():
        try:
            new = actions.copy_workflow(signed_in(request), region, current, copy.cleaned_data["name"])
        except ValidationError as exc:
            copy.add_error("name", exc)
        else:
            messages.success(request, _("The copy is saved; choose the services that run on it."))
            return redirect("setup:workflow", region.slug, new.code)
    previous = versions.filter(version__lt=current.version).order_by("-version").first()
    context = {
        "region": region,
        "definition": current,
        "states": states,
        "actions": actions_,
        "problems": problems,
        "changes": workflows.diff(previous.spec if previous else None, spec),
        "previous": previous,
        "run": workflows.preview_run(spec),
        "diagram": workflows.diagram(spec),
        "transitions": workflows.transitions(spec),
        "versions": versions.order_by("-version")[:10],
        "for_services": _is_service_workflow(code),
        "usage": usage,
        "copy": copy,
        "used_by": services.filter(workflow_code=code),
        "is_default": region.service_workflow_code == code or (code == DEFAULT_SERVICE_CODE and not region.service_workflow_code),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "setup/workflow.html", context, status=status)


@admin_only
def workflow_json(request: HttpRequest, region: Region, code: str) -> HttpResponse:
    definition = (
        visible_to(request.user, WorkflowDefinition.objects.filter(region=region, code=code), Action.MANAGE)
        .order_by("-version")
        .first()
    )
    if definition is None:
        raise Http404
    response = JsonResponse(definition.definition, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{code}-v{definition.version}.json"'
    return response
