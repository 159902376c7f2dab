"""Pages: apply, register a walk-in, track by code, my applications, the application, the inbox, metrics.

Every private read goes through selectors (pendopo.regions.permissions underneath): someone who
may not see an application gets the same 404 as for a code that does not exist. Steps are taken
with htmx on the application page (`_actions.html` and `_timeline.html` are swapped in place);
without JavaScript the same forms post and redirect.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csp.decorators import csp_replace
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseGone, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import condition, require_GET, require_http_methods, require_POST

from pendopo.applications import actions, caching, exports, links, receipts, selectors
from pendopo.applications.forms import (
    CORRECT_PREFIX,
    ActionForm,
    InboxFilterForm,
    ReplaceDocumentForm,
    RequirementCheckForm,
    application_form_class,
    correction_form,
    limit_text,
    upload_limit_kb,
)
from pendopo.applications.metrics_views import metrics_context
from pendopo.applications.models import Application
from pendopo.applications.requirements import ANSWER_PREFIX
from pendopo.applications.signals import walk_in_registered
from pendopo.catalog.application_form import form_data_to_json
from pendopo.catalog.selectors import get_service, standard_in_force
from pendopo.lib import codes, dates, once
from pendopo.lib.htmx import HtmxHttpRequest
from pendopo.lib.language import ui_is_english
from pendopo.regions import personal
from pendopo.regions.models import Region
from pendopo.regions.permissions import acting_user, region_for, signed_in
from pendopo.workflow import consequences
from pendopo.workflow.definition import STAFF_ROLES, ActorRole, StateKind
from pendopo.workflow.engine import available_actions
from pendopo.workflow.errors import WorkflowError
from pendopo.workflow.permissions import roles_for
from pendopo.workflow.selectors import timeline as case_timeline

if TYPE_CHECKING:
    from pendopo.catalog.models import Service


def _region(request: HttpRequest, slug: str) -> Region:
    """The page's region (404 if the user may not view it); may be shared with other requests: read only."""
    return region_for(request.user, slug)


# --- public tracking ---------------------------------------------------------------------------------


@require_GET
def track_search(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    error = ""
    if code:
        try:
            normal = codes.normalise(code)
        except codes.CodeError as exc:
            error = _("This is not a tracking code: %(reason)s") % {"reason": _(str(exc))}
        else:
            if caching.version(normal) is not None:
                return redirect("applications:track", code=normal)
            complaint = _complaint_page(request, normal)
            if isinstance(complaint, HttpResponse):
                return complaint
            if complaint is not None:
                # A complaint the visitor may not see yet: its secret key opens it.
                return render(request, "applications/track_search.html", {"code": normal, "complaint": complaint})
            error = _("No application or complaint has this tracking code. Check it against your receipt.")
    status = 404 if error else 200
    return render(request, "applications/track_search.html", {"code": code, "error": error}, status=status)


def _complaint_page(request: HttpRequest, code: str) -> HttpResponse | Any | None:
    """/lacak/ finds complaints too: a redirect to the complaint's page when the visitor may see it,
    the complaint when only its secret key would open it, None when no complaint has the code."""
    from pendopo.complaints import selectors as complaints

    found = complaints.complaints_base().filter(case__code=code, region__is_active=True).first()
    if found is None:
        return None
    try:
        complaints.complaint_for(request, found.region, code)
    except Http404:
        return found
    return redirect(found.get_absolute_url())


@require_GET
@condition(etag_func=caching.etag, last_modified_func=caching.last_modified)
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The public tracking page; a repeat read with `If-None-Match` is a 304 (see applications/caching.py)."""
    try:
        normal = codes.normalise(code)
    except codes.CodeError:
        raise Http404 from None
    if normal != code:
        return redirect("applications:track", code=normal)
    current = caching.request_version(request, normal)
    if current is None:
        raise Http404
    html, region = caching.fragment(normal, current)
    context: dict[str, Any] = {"code": normal, "fragment": html, "region": region}
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # No session, hence no form needing a token (the language switch is exempt: pendopo/urls.py):
        # an empty token keeps base.html from asking for one, so the page sets no cookie and is the
        # same bytes for every such visitor.
        context["csrf_token"] = ""
    return render(request, "applications/track.html", context)


# --- the citizen's applications -------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    applications = list(selectors.my_applications(request.user)[:200])
    return render(request, "applications/mine.html", {"applications": applications})


def _roles(application: Application, request: HttpRequest) -> frozenset[Any]:
    return roles_for(application.case, request.user)


def _is_staff(roles: frozenset[Any]) -> bool:
    return bool(roles & STAFF_ROLES)


def _actions_context(
    request: HttpRequest, application: Application, form: ActionForm | None = None, error: str = ""
) -> dict[str, Any]:
    case = application.case
    allowed = available_actions(case, acting_user(request))
    roles = _roles(application, request)
    if form is None:
        form = ActionForm(actions=allowed, initial={"version": case.lock_version})
    return {
        "application": application,
        "case": case,
        "allowed_actions": allowed,
        "action_choices": consequences.choices(case.spec, allowed),
        "action_form": form,
        "action_error": error,
        "can_take": _is_staff(roles) and not case.is_closed and case.assigned_to_id != request.user.pk,
    }


def _page_context(
    request: HttpRequest, application: Application, *, bound: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    roles = _roles(application, request)
    staff = _is_staff(roles)
    case = application.case
    return {
        **_actions_context(request, application),
        **_requirements_context(application, roles, bound, form_answers(application, reveal=staff)),
        "region": application.region,
        "steps": case_timeline(case, private=True),
        "documents": selectors.step_documents(application),
        "can_remove_documents": staff and actions.may_remove_documents(acting_user(request), application),
        "is_staff": staff,
        "show_personal": staff,
        "survey_url": links.survey_path(application) if case.outcome == "completed" else "",
    }


@dataclass
class _Requirement:
    row: selectors.RequirementRow
    check_form: RequirementCheckForm | None
    replace_form: ReplaceDocumentForm | None


@dataclass
class _Answer:
    label: str
    value: str
    row: selectors.RequirementRow | None  # None: not reopened for editing (NIK, phone)
    check_form: RequirementCheckForm | None


def _requirements_context(
    application: Application,
    roles: frozenset[Any],
    bound: tuple[str, forms.Form] | None,
    shown: list[tuple[str, str, str]],
) -> dict[str, Any]:
    """The requirements with their documents and checks; the officer's check form on each, and in
    revision the applicant's replace form on each document marked invalid (`bound`: one with errors).
    The form's answers likewise: the officer may reopen one (marked invalid with a note), and in
    revision the applicant corrects the reopened ones in one form."""
    case = application.case
    staff = _is_staff(roles)
    in_revision = not case.is_closed and case.current_state.kind == StateKind.WAITING_APPLICANT
    replaces = in_revision and (ActorRole.APPLICANT in roles or (case.owner_id is None and staff))
    items = []
    for row in selectors.requirement_rows(application):
        check_form = replace_form = None
        if staff and not case.is_closed:
            check_form = RequirementCheckForm(prefix=row.slot, initial={"status": row.check.status if row.check else "received"})
        if replaces and row.is_upload and row.to_fix:
            replace_form = ReplaceDocumentForm(prefix=row.slot, standard=application.standard, slot=row.slot)
        if bound is not None and bound[0] == row.slot:
            if isinstance(bound[1], RequirementCheckForm):
                check_form = bound[1]
            elif isinstance(bound[1], ReplaceDocumentForm):
                replace_form = bound[1]
        items.append(_Requirement(row, check_form, replace_form))
    rows = {row.slot: row for row in selectors.answer_rows(application, {key: value for key, _label, value in shown})}
    answers = []
    for key, label, value in shown:
        answer_row = rows.get(f"{ANSWER_PREFIX}{key}")
        check_form = None
        if answer_row is not None and staff and not case.is_closed:
            if bound is not None and bound[0] == answer_row.slot and isinstance(bound[1], RequirementCheckForm):
                check_form = bound[1]
            else:
                check = answer_row.check
                check_form = RequirementCheckForm(
                    prefix=answer_row.slot, initial={"status": check.status if check else "received"}
                )
        answers.append(_Answer(label, value, answer_row, check_form))
    reopened = [answer.row for answer in answers if answer.row is not None and answer.row.to_fix]
    correct_form = None
    if replaces and reopened:
        keys = [row.slot.removeprefix(ANSWER_PREFIX) for row in reopened]
        bound_here = bound is not None and bound[0] == CORRECT_PREFIX
        correct_form = bound[1] if bound is not None and bound_here else correction_form(application, keys)
    return {
        "requirements": items,
        "answers": answers,
        "answers_to_fix": reopened,
        "correct_form": correct_form,
        "to_fix": [item for item in items if item.row.to_fix],
        "in_revision": in_revision,
        "revision_note": _revision_note(case) if in_revision else "",
        "can_check_originals": staff and application.channel != "online" and application.originals_checked_at is None,
        "upload_limit": limit_text(upload_limit_kb(application.standard)),
    }


def _revision_note(case: Any) -> str:
    """The note of the step that returned the application for revision (what the officer asked for)."""
    from pendopo.workflow.models import CaseEvent

    event = CaseEvent.objects.filter(case_id=case.pk, to_state=case.state).order_by("-seq").only("note").first()
    return event.note if event else ""


@login_required
@require_POST
def check_requirement(request: HttpRequest, code: str, slot: str) -> HttpResponse:
    """An officer marks one requirement received, valid or invalid, with a note."""
    application = selectors.get_application_for_user(request.user, code)
    form = RequirementCheckForm(request.POST, prefix=slot)
    if form.is_valid():
        try:
            check = actions.check_requirement(
                application, slot, form.cleaned_data["status"], signed_in(request), note=form.cleaned_data["note"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, ValidationError(exc.messages))
        else:
            messages.success(request, _("Requirement checked: %(status)s.") % {"status": check.get_status_display()})
            return redirect(f"{application.get_absolute_url()}#req-{slot}")
    context = _page_context(request, application, bound=(slot, form))
    return render(request, "applications/detail.html", context, status=422)


@login_required
@require_POST
def replace_document(request: HttpRequest, code: str, slot: str) -> HttpResponse:
    """The applicant sends a new file for a document marked invalid (the old one stays in the history)."""
    application = selectors.get_application_for_user(request.user, code)
    form = ReplaceDocumentForm(request.POST, request.FILES, prefix=slot, standard=application.standard, slot=slot)
    valid = form.is_valid() and form.checked is not None

    def replace() -> None:
        if form.checked is not None:  # always, when valid: the file was checked by content
            actions.replace_document(application, slot, form.checked, signed_in(request))

    return _revision_answer(
        request,
        application,
        form,
        replace,
        _("Document replaced. Send the revision when everything marked is fixed."),
        anchor=f"req-{slot}",
        bound=slot,
        valid=valid,
    )


def _revision_answer(
    request: HttpRequest,
    application: Application,
    form: forms.Form,
    act: Callable[[], Any],
    done: str,
    *,
    anchor: str,
    bound: str,
    valid: bool,
) -> HttpResponse:
    """A revision's POST (a replaced document, corrected answers): on success the message and back to the
    place on the page; a refusal shows the page again with the form and its message (422), nothing saved."""
    if valid:
        try:
            act()
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, ValidationError(exc.messages))
        else:
            messages.success(request, done)
            return redirect(f"{application.get_absolute_url()}#{anchor}")
    context = _page_context(request, application, bound=(bound, form))
    return render(request, "applications/detail.html", context, status=422)


@login_required
@require_POST
def correct_answers(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant corrects the answers the officer reopened (the revision's form)."""
    application = selectors.get_application_for_user(request.user, code)
    keys = [row.slot.removeprefix(ANSWER_PREFIX) for row in selectors.answer_rows(application) if row.to_fix]
    if not keys:
        messages.error(request, _("No answer is reopened for correction."))
        return redirect(application.get_absolute_url())
    form = correction_form(application, keys, data=request.POST)
    return _revision_answer(
        request,
        application,
        form,
        lambda: actions.correct_answers(application, form_data_to_json(form), signed_in(request)),
        _("Answers corrected. Send the revision when everything marked is fixed."),
        anchor="revision",
        bound=CORRECT_PREFIX,
        valid=form.is_valid(),
    )


@login_required
@require_POST
def originals_checked(request: HttpRequest, code: str) -> HttpResponse:
    """The counter officer marks a walk-in's original documents as seen (asli sudah diperiksa)."""
    application = selectors.get_application_for_user(request.user, code)
    try:
        actions.mark_originals_checked(application, signed_in(request))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked: originals checked."))
    return redirect(f"{application.get_absolute_url()}#requirements")


@login_required
@require_POST
def remove_document(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The region administrator removes one uploaded document for good (its files; the record stays)."""
    found = selectors.get_document_for_user(request.user, code, key)
    application = selectors.get_application_for_user(request.user, code)
    try:  # the action checks the reason (given, at most 300 characters)
        actions.remove_document(found, signed_in(request), request.POST.get("reason", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        # The page again with the message (400), nothing changed.
        messages.error(request, " ".join(exc.messages))
        return render(request, "applications/detail.html", _page_context(request, application), status=400)
    messages.success(request, _("The document was removed for good; its record stays in the history."))
    return redirect(f"{application.get_absolute_url()}#requirements")


def form_answers(application: Application, *, reveal: bool) -> list[tuple[str, str, str]]:
    """(key, label, value) of the service form's answers in the form's order; NIK/phone answers masked unless `reveal`."""
    from pendopo.regions import personal

    out = []
    english = ui_is_english()
    for spec in (application.standard.form or {}).get("fields", []):
        key, label = spec["key"], spec["label_en" if english else "label_id"]
        if spec["type"] == "file":
            continue
        if spec["type"] in ("nik", "phone"):
            if key == "nik":
                value = application.nik if reveal else application.nik_masked
            elif key == "phone":
                value = application.phone if reveal else application.phone_masked
            else:
                raw = application.protected_value(key)
                value = raw if reveal else personal.mask(raw)
        else:
            value = application.form_data.get(key, "")
            if spec["type"] == "choice":
                for choice in spec.get("validation", {}).get("choices", []):
                    if choice["value"] == value:
                        value = choice["label_en" if english else "label_id"]
            elif spec["type"] == "date" and value:
                value = _as_date(value)
        out.append((key, label, "" if value is None else str(value)))
    return out


def _as_date(value: Any) -> str:
    """A date answer (stored as ISO text) as a date reads: "5 Februari 2026"."""
    import datetime as dt

    from django.utils.formats import date_format

    try:
        return date_format(dt.date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return str(value)


def request_language() -> str:
    from django.utils.translation import get_language

    return get_language() or "id"


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, code)
    return render(request, "applications/detail.html", _page_context(request, application))


@login_required
@require_GET
def timeline_partial(request: HttpRequest, code: str) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, code)
    context = {
        "application": application,
        "steps": case_timeline(application.case, private=True),
        "region": application.region,
    }
    return render(request, "applications/_timeline.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def actions_partial(request: HtmxHttpRequest, code: str) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, code)
    if request.method == "GET":
        return render(
            request, "applications/_actions.html", {**_actions_context(request, application), "region": application.region}
        )
    allowed = available_actions(application.case, acting_user(request))
    form = ActionForm(request.POST, request.FILES, actions=allowed)
    error, status = "", 200
    if form.is_valid():
        try:
            actions.take_action(
                application,
                form.cleaned_data["action"],
                signed_in(request),
                note=form.cleaned_data["note"],
                upload=form.checked,
                expected_version=form.cleaned_data["version"],
            )
        except WorkflowError as exc:
            error, status = str(exc), exc.http_status
        else:
            # take_action put the case as it now is on `application`: no second read.
            done = _("Done: the application is now at “%(state)s”.") % {"state": application.case.state_label}
            if not request.htmx:
                messages.success(request, done)
                return redirect(application.get_absolute_url())
            return render(request, "applications/_step_done.html", {**_page_context(request, application), "step_done": done})
    else:
        status = 422
        if "action" in form.errors and not allowed:
            error = _("There is nothing you can do with this application now.")
    if error:
        # The case may have moved on: show the current actions and version, with the message.
        application = selectors.get_application_for_user(request.user, code)
        shown_form: ActionForm | None = None
    else:
        shown_form = form
    if not request.htmx:
        context = _page_context(request, application)
        context.update(_actions_context(request, application, shown_form, error))
        return render(request, "applications/detail.html", context, status=status)
    # htmx swaps only successful responses by default; errors are shown in the same fragment.
    context = {**_actions_context(request, application, shown_form, error), "region": application.region}
    return render(request, "applications/_actions.html", context, status=200)


@login_required
@require_POST
def assign(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """'I take it': an officer assigns the application to themselves."""
    application = selectors.get_application_for_user(request.user, code)
    error = ""
    version = request.POST.get("version", "")
    me = signed_in(request)
    try:
        actions.assign(
            application,
            me,
            me,
            expected_version=int(version) if version.isascii() and version.isdigit() else None,
        )
    except WorkflowError as exc:
        error = str(exc)
        application = selectors.get_application_for_user(request.user, code)  # as it is now
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(application.get_absolute_url())
    # htmx swaps only successful responses by default; the message is shown in the same fragment.
    return render(
        request,
        "applications/_actions.html",
        {**_actions_context(request, application, None, error), "region": application.region},
    )


@login_required
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, code)
    pdf = receipts.render_receipt_pdf(application, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{application.code}.pdf"'
    return response


@login_required
@require_GET
@xframe_options_sameorigin  # the application page shows the preview in a frame
# The site's policy forbids framing any page (frame-ancestors 'none'); a document may be framed by its own origin.
@csp_replace({"frame-ancestors": ["'self'"]})  # type: ignore[arg-type]  # django-csp types its decorators for views with no URL arguments
def document(request: HttpRequest, code: str, key: str) -> HttpResponseBase:
    """A stored document, only to the owner and the staff of the application (never by a public URL)."""
    found = selectors.get_document_for_user(request.user, code, key)
    if found.removed_at is not None:
        return HttpResponseGone(_("This document was removed for good."), content_type="text/plain; charset=utf-8")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{found.slot}-{found.application.case.code}.{found.extension}"
    # `?lihat=1`: shown inline (the page's preview) for the checked types a browser displays itself.
    inline = request.GET.get("lihat") == "1" and found.content_type in PREVIEWABLE
    response = FileResponse(handle, content_type=found.content_type, as_attachment=not inline, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


PREVIEWABLE = frozenset({"application/pdf", "image/jpeg", "image/png"})


# --- applying -----------------------------------------------------------------------------------------


def _service_and_standard(request: HttpRequest, region: Region, service_code: str) -> tuple[Service, Any]:
    service = get_service(request.user, region, service_code)
    standard = standard_in_force(service, dates.today(region.time_zone))
    if standard is None:
        raise Http404
    return service, standard


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, region_slug: str, service_code: str) -> HttpResponse:
    region = _region(request, region_slug)
    service, standard = _service_and_standard(request, region, service_code)
    form_class = application_form_class(standard)
    if not service.channel_online:
        return render(request, "applications/apply_unavailable.html", {"region": region, "service": service}, status=404)
    form = form_class(request.POST or None, request.FILES or None, user=acting_user(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = actions.submit_application(
                    signed_in(request), service, form.to_input(), token=once.posted(request.POST)
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form.discard_kept()
                messages.success(
                    request, _("Your application has been received. Tracking code: %(code)s") % {"code": application.code}
                )
                return redirect(application.get_absolute_url())
        form.keep_uploads()
        status = 422
    context = {
        "region": region,
        "service": service,
        "standard": standard,
        "form": form,
        "walk_in": False,
        "idempotency_token": once.for_form(request.POST),
    }
    return render(request, "applications/apply.html", context, status=status)


@login_required
@require_GET
def walk_in_services(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    if not selectors.inbox_places(request.user, region):
        raise Http404
    services = [s for s in _region_services(region) if actions.may_register_walk_ins(acting_user(request), s)]
    return render(request, "applications/walk_in_services.html", {"region": region, "services": services})


def _region_services(region: Region) -> list[Service]:
    from pendopo.catalog.models import Service

    return list(
        Service.objects.filter(region=region, is_active=True, published_standard__isnull=False)
        .select_related("agency", "region__regency")
        .order_by("name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest, region_slug: str, service_code: str) -> HttpResponse:
    region = _region(request, region_slug)
    service, standard = _service_and_standard(request, region, service_code)
    if not actions.may_register_walk_ins(acting_user(request), service):
        raise Http404
    places = actions.walk_in_places(signed_in(request), service)
    form_class = application_form_class(standard, places=places or None)
    form = form_class(request.POST or None, request.FILES or None, keeper=acting_user(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = actions.register_walk_in(
                    signed_in(request), service, form.to_input(), token=once.posted(request.POST)
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                form.discard_kept()
                walk_in_registered.send(sender=Application, application=application, request=request)
                messages.success(
                    request,
                    _("Registered. Tracking code: %(code)s — print the receipt for the applicant.") % {"code": application.code},
                )
                return redirect(application.get_absolute_url())
        form.keep_uploads()
        status = 422
    context = {
        "region": region,
        "service": service,
        "standard": standard,
        "form": form,
        "walk_in": True,
        "idempotency_token": once.for_form(request.POST),
    }
    return render(request, "applications/apply.html", context, status=status)


# --- the officer inbox ---------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HtmxHttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    places = selectors.inbox_places(request.user, region)
    if not places:
        raise Http404
    definitions = selectors.inbox_definitions(region)
    chosen = request.GET.get("place", "")
    place = chosen if chosen in {p.value for p in places} else places[0].value
    form = InboxFilterForm(
        request.GET,
        places=[(p.value, p.label) for p in places],
        states=selectors.inbox_states(region, definitions),
        services=selectors.inbox_services(region, place),
    )
    filters = selectors.InboxFilters(**form.filters())
    page = selectors.inbox(request.user, region, filters, definitions=definitions)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"region": region, "form": form, "page": page, "filters": filters, "query": query.urlencode()}
    template = (
        "applications/_inbox_results.html"
        if request.htmx and request.htmx.target == "inbox-results"
        else "applications/inbox.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def inbox_export(request: HttpRequest, region_slug: str, fmt: str) -> HttpResponse:
    """The inbox with its current filters (the query string), all pages, as XLSX or CSV."""
    region = _region(request, region_slug)
    places = selectors.inbox_places(request.user, region)
    if not places:
        raise Http404
    definitions = selectors.inbox_definitions(region)
    form = InboxFilterForm(
        request.GET,
        places=[(p.value, p.label) for p in places],
        states=selectors.inbox_states(region, definitions),
        services=selectors.inbox_services(region),
    )
    filters = selectors.InboxFilters(**{**form.filters(), "page": 1})
    rows = selectors.inbox(request.user, region, filters, definitions=definitions, page_size=exports.EXPORT_LIMIT).rows
    return exports.download(rows, fmt, f"kotak-masuk-{region.slug}-{dates.local_now(region.time_zone):%Y%m%d-%H%M}")


@login_required
@require_POST
def inbox_search(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The inbox's search box: a tracking code, a name or a NIK, sent by POST so that a NIK never
    appears in a URL (nor in any access log); it goes on to the inbox as its keyed hash."""
    region = _region(request, region_slug)
    if not selectors.inbox_places(request.user, region):
        raise Http404
    query = QueryDict(request.POST.get("filters", ""), mutable=True)
    for name in ("q", "nik", "page"):
        query.pop(name, None)
    text = request.POST.get("q", "").strip()[:100]
    if re.fullmatch(r"\d{16}", personal.normalise(text)):
        query["nik"] = personal.lookup_hash(text)
    elif text:
        query["q"] = text
    url = reverse("applications:inbox", args=[region.slug])
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@login_required
@require_GET
def metrics(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    context = metrics_context(request, region)
    return render(
        request, "applications/metrics.html", {"region": region, **context}, status=400 if context["month_error"] else 200
    )


def reverse_detail(code: str) -> str:
    return reverse("applications:detail", args=[code])
