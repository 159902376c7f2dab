"""Officer and administrator pages: create, edit, preview and publish services; copy; import and export."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pendopo.catalog import actions, catalog_file, selectors
from pendopo.catalog.forms import (
    CopySourceForm,
    FormFieldForm,
    FormFieldFormSet,
    FormFieldFormSetWithNewRow,
    ImportForm,
    PublishForm,
    RequirementFormSet,
    RequirementFormSetWithNewRow,
    ServiceForm,
    StandardForm,
    ordered_forms,
    place_form_issues,
)
from pendopo.catalog.forms_schema import form_issues
from pendopo.catalog.models import Service, StandardStatus
from pendopo.catalog.views import _file_response, _standard_context
from pendopo.regions.models import Agency, Region, Role
from pendopo.regions.permissions import Action, acting_user, can, region_for, role_in, visible_to


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff of the region (officer, head, administrator) only; others get the login page or 404."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, region_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        region = region_for(request.user, region_slug)
        if role_in(request.user, region) == Role.CITIZEN:
            raise Http404
        return view(request, region, *args, **kwargs)

    return wrapper


def _apply_errors(form: Any, exc: ValidationError) -> list[str]:
    """Put the action's errors beside the form's fields; return the ones no field shows."""
    leftover: list[str] = []
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
        else:
            leftover.extend(errors)
    form.mark_invalid()
    return leftover


@staff_only
def manage(request: HttpRequest, region: Region) -> HttpResponse:
    # The services the user may edit (another agency's published ones are in the public catalogue).
    services = selectors.services_for_staff(request.user, region, Action.ACT)
    drafts = set(
        visible_to(request.user, Service.objects.filter(region=region, standards__status=StandardStatus.DRAFT)).values_list(
            "pk", flat=True
        )
    )
    context = {
        "region": region,
        "services": services,
        "drafts": drafts,
        "is_admin": can(request.user, Action.MANAGE, region),
        "can_create": selectors.agencies_for(request.user, region, Action.ACT).exists(),
    }
    return render(request, "catalog/manage.html", context)


@staff_only
def create(request: HttpRequest, region: Region) -> HttpResponse:
    agencies = selectors.agencies_for(request.user, region, Action.ACT)
    if not agencies.exists():
        raise PermissionDenied(_("You may not add services."))
    form = ServiceForm(request.POST or None, agencies=agencies, creating=True)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            service = actions.create_service(
                acting_user(request),
                region,
                code=form.cleaned_data["code"],
                channels=form.cleaned_data["channels"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            messages.success(request, _("Service created. Now fill in its standard."))
            return redirect("catalog:edit_standard", region.slug, service.code)
    return render(request, "catalog/service_form.html", {"region": region, "form": form, "errors": errors, "creating": True})


@staff_only
def edit(request: HttpRequest, region: Region, code: str) -> HttpResponse:
    service = selectors.get_service(request.user, region, code, Action.ACT)
    agencies = selectors.agencies_for(request.user, region, Action.ACT)
    form = ServiceForm(request.POST or None, instance=service, agencies=agencies, creating=False)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_service(acting_user(request), service, channels=form.cleaned_data["channels"], **form.service_fields())
        except ValidationError as exc:
            errors = _apply_errors(form, exc)
        else:
            messages.success(request, _("Service saved."))
            return redirect("catalog:edit", region.slug, service.code)
    context = {
        "region": region,
        "service": service,
        "form": form,
        "errors": errors,
        "draft": actions.current_draft(service),
        "standards": selectors.visible_standards(request.user, service),
        "can_publish": can(request.user, Action.APPROVE, service),
    }
    return render(request, "catalog/service_form.html", context)


@staff_only
@require_POST
def start_draft(request: HttpRequest, region: Region, code: str) -> HttpResponse:
    service = selectors.get_service(request.user, region, code, Action.ACT)
    draft = actions.start_draft(acting_user(request), service)
    messages.success(request, _("Draft version %(version)d is open for editing.") % {"version": draft.version})
    return redirect("catalog:edit_standard", region.slug, service.code)


def _form_rows_initial(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [FormFieldForm.initial_from(spec) for spec in definition.get("fields", [])]


@staff_only
def edit_standard(request: HttpRequest, region: Region, code: str) -> HttpResponse:
    service = selectors.get_service(request.user, region, code, Action.ACT)
    draft = actions.current_draft(service)
    if draft is None:
        return render(request, "catalog/no_draft.html", {"region": region, "service": service})
    data = request.POST if request.method == "POST" else None
    form = StandardForm(data, instance=draft)
    # A blank row for a new requirement or field only when asked for ("Save and add a requirement",
    # "Save and add a field"), never after a plain save.
    asked = request.GET if data is None else {}
    requirements_class = RequirementFormSetWithNewRow if "add_requirement" in asked else RequirementFormSet
    requirements = requirements_class(data, initial=draft.requirements, prefix="req")
    fields_class = FormFieldFormSetWithNewRow if "add_field" in asked else FormFieldFormSet
    fields = fields_class(data, initial=_form_rows_initial(draft.form), prefix="field")
    if data is None:  # the officer asked for the row: start typing there
        for row in requirements.extra_forms:
            row.fields["text"].widget.attrs["autofocus"] = True
        for field_row in fields.extra_forms:
            field_row.fields["key"].widget.attrs["autofocus"] = True
    errors: list[str] = []
    form_errors: list[str] = []
    if data is not None:
        # Check every part, so that all errors show at once beside their fields.
        valid = [form.is_valid(), requirements.is_valid(), fields.is_valid()]
        issues = []
        definition: dict[str, Any] = {"fields": []}
        if valid[2]:
            rows = ordered_forms(fields)
            definition = {"fields": [row.spec() for row in rows]}
            issues = form_issues(definition)
            form_errors = place_form_issues(fields, rows, issues)
        if all(valid) and not issues:
            content = dict(form.cleaned_data)
            content["requirements"] = [
                {k: row.cleaned_data[k] for k in ("text", "required", "is_document_upload", "group")}
                for row in ordered_forms(requirements)
            ]
            content["form"] = definition
            try:
                actions.update_draft(acting_user(request), draft, content)
            except ValidationError as exc:
                leftover = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                requirement_errors = leftover.pop("requirements", [])
                form_errors += leftover.pop("form", [])
                errors = _apply_errors(form, ValidationError(leftover)) if leftover else []
                errors += requirement_errors
            else:
                messages.success(request, _("Draft saved."))
                if "preview" in request.POST:
                    return redirect("catalog:preview", region.slug, service.code)
                url = reverse("catalog:edit_standard", args=[region.slug, service.code])
                if "add_requirement" in request.POST:
                    return redirect(f"{url}?add_requirement=1#new-requirement")
                if "add_field" in request.POST:
                    return redirect(f"{url}?add_field=1#new-field")
                return redirect("catalog:edit_standard", region.slug, service.code)
    context = {
        "region": region,
        "service": service,
        "draft": draft,
        "form": form,
        "requirements": requirements,
        "fields": fields,
        "errors": errors,
        "form_errors": form_errors,
        "can_publish": can(request.user, Action.APPROVE, service),
        "publish_form": PublishForm(),
    }
    return render(request, "catalog/standard_form.html", context)


@staff_only
def preview(request: HttpRequest, region: Region, code: str) -> HttpResponse:
    service = selectors.get_service(request.user, region, code, Action.ACT)
    draft = actions.current_draft(service)
    if draft is None:
        raise Http404
    context = _standard_context(request, service, draft)
    context |= {
        "draft": draft,
        "is_preview": True,
        "can_publish": can(request.user, Action.APPROVE, service),
        "publish_form": PublishForm(),
    }
    return render(request, "catalog/preview.html", context)


@staff_only
@require_POST
def publish(request: HttpRequest, region: Region, code: str) -> HttpResponse:
    service = selectors.get_service(request.user, region, code, Action.ACT)
    if not can(request.user, Action.APPROVE, service):
        raise PermissionDenied(_("Only the agency head or the region administrator may publish."))
    draft = actions.current_draft(service)
    if draft is None:
        raise Http404
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            actions.publish_standard(acting_user(request), draft, effective_from=form.cleaned_data["effective_from"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("catalog:edit_standard", region.slug, service.code)
        messages.success(request, _("Version %(version)d is published.") % {"version": draft.version})
        return redirect("catalog:service", region.slug, service.code)
    for error in form.errors.get("effective_from", []):
        messages.error(request, str(error))
    return redirect("catalog:edit_standard", region.slug, service.code)


@staff_only
@require_POST
def discard(request: HttpRequest, region: Region, code: str) -> HttpResponse:
    service = selectors.get_service(request.user, region, code, Action.ACT)
    draft = actions.current_draft(service)
    if draft is None:
        raise Http404
    try:
        actions.discard_draft(acting_user(request), draft)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Draft discarded."))
    return redirect("catalog:edit", region.slug, service.code)


# --- copy, import, export (region administrator) --------------------------------------------------


def _admin_only(request: HttpRequest, region: Region) -> None:
    if not can(request.user, Action.MANAGE, region):
        raise PermissionDenied(_("Only the region administrator may do this."))


# The column of the copy page where each error of actions.copy_services shows, by its code; others show
# under the service's name.
COPY_ERROR_COLUMNS = {"agency": "agency", "code_taken": "code", "code_invalid": "code"}


def _copy_errors_by_column(errors: list[ValidationError]) -> dict[str, list[str]]:
    by_column: dict[str, list[str]] = {}
    for error in errors:
        by_column.setdefault(COPY_ERROR_COLUMNS.get(error.code or "", "service"), []).extend(error.messages)
    return by_column


@staff_only
def copy(request: HttpRequest, region: Region) -> HttpResponse:
    """Browse another region's published catalogue, pick services, map each to a receiving agency."""
    _admin_only(request, region)
    others = visible_to(None, Region.objects.exclude(pk=region.pk).select_related("regency"))
    chooser = CopySourceForm(request.GET or None, regions=[(r.slug, r.name) for r in others])
    source = None
    if chooser.is_valid():
        source = others.filter(slug=chooser.cleaned_data["source"]).first()
    agencies = list(Agency.objects.filter(region=region, is_active=True).order_by("name"))
    by_code = {a.code: a for a in agencies}
    by_name = {a.name.casefold(): a for a in agencies}

    def _proposed(theirs: Agency) -> Agency | None:
        # The agency with the same code, else the one with the same name: most regions follow
        # the same nomenclature (PP 18/2016), with local abbreviations.
        return by_code.get(theirs.code) or by_name.get(theirs.name.casefold())

    rows: list[dict[str, Any]] = []
    errors: dict[str, list[ValidationError]] = {}
    general_errors: list[str] = []
    if source is not None:
        services = list(selectors.catalog_services(None, source, selectors.CatalogFilters()).order_by("agency__name", "name"))
        taken = set(Service.objects.filter(region=region).values_list("code", flat=True))
        picked = set(request.POST.getlist("pick"))
        rows = [
            {
                "service": service,
                "agency": request.POST.get(f"agency-{service.pk}") or getattr(_proposed(service.agency), "pk", ""),
                "code": request.POST.get(f"code-{service.pk}", ""),
                "picked": str(service.pk) in picked,
                "taken": service.code in taken,
            }
            for service in services
        ]
        if request.method == "POST":
            agency_by_pk = {str(a.pk): a for a in agencies}
            picks = [
                actions.CopyPick(source=row["service"], agency=agency_by_pk.get(str(row["agency"])), code=row["code"])
                for row in rows
                if row["picked"]
            ]
            try:
                copies = actions.copy_services(acting_user(request), region, picks)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors = exc.error_dict
                    for row in rows:
                        row["errors"] = _copy_errors_by_column(errors.get(row["service"].code, []))
                else:
                    general_errors = exc.messages
            else:
                messages.success(
                    request,
                    _("%(n)d services copied as drafts. Adopt each by your own decree and publish it.") % {"n": len(copies)},
                )
                return redirect("catalog:manage", region.slug)
    context = {
        "region": region,
        "chooser": chooser,
        "source": source,
        "rows": rows,
        "agencies": agencies,
        "errors": errors,
        "general_errors": general_errors,
    }
    return render(request, "catalog/copy.html", context)


@staff_only
def import_file(request: HttpRequest, region: Region) -> HttpResponse:
    _admin_only(request, region)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > catalog_file.MAX_BYTES:
            errors = [_("The file is larger than %(mb)d MB.") % {"mb": catalog_file.MAX_BYTES // (1024 * 1024)}]
        else:
            try:
                counts = catalog_file.import_catalog(acting_user(request), region, upload.read())
            except ValidationError as exc:
                errors = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
            else:
                messages.success(
                    request,
                    _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged services.") % counts,
                )
                return redirect("catalog:manage", region.slug)
    return render(request, "catalog/import.html", {"region": region, "form": form, "errors": errors})


@staff_only
def export_full(request: HttpRequest, region: Region, fmt: str) -> HttpResponse:
    """The whole catalogue with drafts, for the administrator to keep or move to another installation."""
    _admin_only(request, region)
    services = visible_to(request.user, Service.objects.filter(region=region), Action.MANAGE)
    document = catalog_file.catalog_document(region, services, include_drafts=True)
    return _file_response(document, fmt, f"katalog-{region.slug}-lengkap")
