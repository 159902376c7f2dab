"""Pages of the cooperation app under /r/<region>/kerja-sama/: visits, agreements, the roadmap.

Reads go through selectors (the permission resolver); writes call actions, whose
ValidationError comes back on the form (400) and whose PermissionDenied is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pendopo.catalog.models import Service
from pendopo.cooperation import actions, forms, price_interventions, results, selectors
from pendopo.cooperation.models import Agreement, Commitment, CommitmentState, Visit, VisitState
from pendopo.innovations.models import Innovation
from pendopo.lib import dates
from pendopo.regions.models import Agency, Region, ServicePoint
from pendopo.regions.permissions import Action, acting_user, can, region_for, role_in, signed_in, visible_to
from pendopo.workflow import engine
from pendopo.workflow.errors import WorkflowError


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            field = name if name in form.fields else None
            for error in errors:
                form.add_error(field, error.messages if hasattr(error, "messages") else error)
    else:
        form.add_error(None, exc.messages)


def _is_staff(user: Any, region: Region) -> bool:
    return role_in(user, region) in actions.STAFF


def _is_admin(user: Any, region: Region) -> bool:
    return role_in(user, region) in actions.ADMINS


def _public_regions() -> Any:
    return visible_to(None, Region.objects.select_related("regency")).order_by("regency__name")


# --- the region's cooperation page -----------------------------------------------------------


@require_GET
def index(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    visits = list(selectors.visits_of(request.user, region))
    hosted = [v for v in visits if v.host_id == region.pk]
    # What came of the visits it received: the visitors' commitments from them.
    outcome = selectors.adoption_rate(Commitment.objects.filter(visit__host=region, visit__state=VisitState.HELD))
    agreements = list(
        selectors.agreements_for(request.user).filter(Q(region=region) | Q(partner_region=region)).order_by("-created_at")
    )
    commitments = list(selectors.commitments_for(request.user, region))
    context = {
        "region": region,
        "hosted": hosted,
        "made": [v for v in visits if v.visitor_id == region.pk],
        "received_held": sum(1 for v in hosted if v.state == VisitState.HELD),
        "outcome": outcome,
        "agreements": agreements,
        "rate": selectors.rate_of(commitments),
        "is_staff": _is_staff(request.user, region),
        "expiring": list(selectors.expiring(region, dates.today(region.time_zone), actions.expiry_notice_days()))
        if _is_staff(request.user, region)
        else [],
    }
    return render(request, "cooperation/index.html", context)


# --- visits -------------------------------------------------------------------------------------


@login_required
def visit_request(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    if not _is_staff(request.user, region):
        raise PermissionDenied(_("Only the staff of the visiting region may request its visit."))
    hosts = _public_regions().exclude(pk=region.pk)
    form = forms.VisitRequestForm(request.POST or None, hosts=hosts)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = actions.request_visit(
                    signed_in(request),
                    region,
                    data["host"],
                    kind=data["kind"],
                    purpose=data["purpose"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    delegation=data["delegation"],
                    topics=data["topics"],
                    places=data["places"],
                    token=data["token"] or "",
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The visit request is sent to %(host)s.") % {"host": visit.host.name})
                return redirect(visit.get_absolute_url())
        status = 400
    return render(request, "cooperation/visit_request.html", {"region": region, "form": form}, status=status)


def _visit(request: HttpRequest, region_slug: str, code: str) -> tuple[Region, Visit]:
    region = region_for(request.user, region_slug)
    try:
        visit = selectors.visits_for(request.user).get(host=region, code=code)
    except Visit.DoesNotExist:
        raise Http404 from None
    return region, visit


def _lesson_form(visit: Visit, data: Any = None, files: Any = None) -> forms.LessonForm:
    return forms.LessonForm(
        data,
        files,
        topics=visit.topics.all(),
        services=visible_to(None, Service.objects.filter(region=visit.host)).order_by("name"),
        innovations=Innovation.objects.filter(region=visit.host, published_at__isnull=False).order_by("name"),
        points=ServicePoint.objects.filter(region=visit.host, is_active=True).order_by("name"),
    )


def _agenda_formset(visit: Visit, data: Any = None) -> Any:
    return forms.AgendaFormSet(
        data,
        prefix="agenda",
        form_kwargs={
            "points": ServicePoint.objects.filter(region=visit.host, is_active=True).order_by("name"),
            "agencies": Agency.objects.filter(region=visit.host, is_active=True).order_by("name"),
        },
    )


def _visit_page(request: HttpRequest, visit: Visit, status: int = 200, **forms_given: Any) -> HttpResponse:
    host_admin = _is_admin(request.user, visit.host)
    visitor_staff = _is_staff(request.user, visit.visitor)
    commitments = list(Commitment.objects.filter(visit=visit).select_related("owner", "region__regency"))
    context = {
        "region": visit.host,
        "visit": visit,
        "agenda": visit.agenda.select_related("service_point", "agency"),
        "participants": visit.participants.all(),
        "lessons": visit.lessons.select_related("topic", "service__region", "innovation__region", "service_point"),
        "topics": visit.topics.all(),
        "commitments": commitments,
        "host_admin": host_admin,
        "visitor_staff": visitor_staff,
        "agenda_forms": forms_given.get("agenda_forms") or (_agenda_formset(visit) if host_admin else None),
        "participant_form": forms_given.get("participant_form") or forms.ParticipantForm(),
        "lesson_form": forms_given.get("lesson_form") or (_lesson_form(visit) if visitor_staff else None),
        "note_form": forms_given.get("note_form") or forms.NoteForm(),
        "may_record_held": visit.state == VisitState.SCHEDULED and (host_admin or visitor_staff),
    }
    return render(request, "cooperation/visit.html", context, status=status)


@require_GET
def visit_detail(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    _region, visit = _visit(request, region_slug, code)
    return _visit_page(request, visit)


@login_required
@require_POST
def visit_schedule(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    _region, visit = _visit(request, region_slug, code)
    formset = _agenda_formset(visit, request.POST)
    note_form = forms.NoteForm(request.POST)
    if formset.is_valid() and note_form.is_valid():
        rows = [f.cleaned_data for f in formset if not f.is_blank]
        try:
            actions.schedule_visit(signed_in(request), visit, rows, note=note_form.cleaned_data["note"])
        except ValidationError as exc:
            formset.forms[0].add_error(None, exc.messages)
            return _visit_page(request, visit, 400, agenda_forms=formset)
        messages.success(request, _("The agenda is saved and the visit scheduled."))
        return redirect(visit.get_absolute_url())
    return _visit_page(request, visit, 400, agenda_forms=formset)


@login_required
@require_POST
def visit_decline(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    _region, visit = _visit(request, region_slug, code)
    form = forms.NoteForm(request.POST)
    form.is_valid()
    try:
        actions.decline_visit(signed_in(request), visit, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        _errors(form, exc)
        return _visit_page(request, visit, 400, note_form=form)
    return redirect(visit.get_absolute_url())


@login_required
@require_POST
def visit_held(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    _region, visit = _visit(request, region_slug, code)
    try:
        actions.record_held(signed_in(request), visit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _visit_page(request, visit, 400)
    messages.success(request, _("The visit is recorded as held."))
    return redirect(visit.get_absolute_url())


@login_required
@require_POST
def visit_participant(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    _region, visit = _visit(request, region_slug, code)
    form = forms.ParticipantForm(request.POST)
    if form.is_valid():
        try:
            actions.add_participant(signed_in(request), visit, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect(visit.get_absolute_url() + "#participants")
    return _visit_page(request, visit, 400, participant_form=form)


@login_required
@require_POST
def visit_lesson(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    _region, visit = _visit(request, region_slug, code)
    form = _lesson_form(visit, request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_lesson(signed_in(request), visit, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect(visit.get_absolute_url() + "#lessons")
    return _visit_page(request, visit, 400, lesson_form=form)


# --- agreements ---------------------------------------------------------------------------------


def _agreement_form(request: HttpRequest, region: Region) -> forms.AgreementForm:
    return forms.AgreementForm(
        request.POST or None,
        agencies=visible_to(request.user, Agency.objects.filter(region=region, is_active=True), Action.ACT).order_by("name"),
        partners=_public_regions().exclude(pk=region.pk),
        visits=selectors.visits_of(request.user, region),
    )


@login_required
def agreement_create(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    if not _is_staff(request.user, region):
        raise PermissionDenied(_("Only the region's staff start an agreement."))
    form = _agreement_form(request, region)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            token = data.pop("token") or ""
            try:
                agreement = actions.create_agreement(signed_in(request), region, token=token, **data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                return redirect(agreement.get_absolute_url())
        status = 400
    return render(request, "cooperation/agreement_form.html", {"region": region, "form": form}, status=status)


def _agreement(request: HttpRequest, region_slug: str, code: str) -> Agreement:
    region = region_for(request.user, region_slug)
    try:
        return selectors.agreements_for(request.user).get(region=region, case__code=code)
    except Agreement.DoesNotExist:
        raise Http404 from None


def _agreement_page(request: HttpRequest, agreement: Agreement, status: int = 200, **given: Any) -> HttpResponse:
    may_act = can(request.user, Action.ACT, agreement)
    periods = actions.evaluation_status(agreement)
    from pendopo.cooperation import rules

    context = {
        "region": agreement.region,
        "agreement": agreement,
        "case": agreement.case,
        "documents": agreement.documents.all(),
        "evaluations": agreement.evaluations.all(),
        "timeline": agreement.case.events.order_by("seq"),
        "periods": periods,
        "overdue": rules.is_overdue(periods),
        "cadence": actions.cadence_of(agreement),
        "council_required": actions.council_required(agreement),
        "latest_end": rules.latest_end(agreement.effective_on) if agreement.effective_on else None,
        "may_act": may_act,
        "stage_actions": engine.available_actions(agreement.case, acting_user(request)) if may_act else [],
        "document_form": given.get("document_form") or forms.DocumentForm(),
        "evaluation_form": given.get("evaluation_form") or forms.EvaluationForm(),
        "stage_error": given.get("stage_error", ""),
        "commitments": agreement.commitments.select_related("owner"),
        "interventions": price_interventions.interventions_under(agreement),
    }
    return render(request, "cooperation/agreement.html", context, status=status)


@require_GET
def agreement_detail(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    return _agreement_page(request, _agreement(request, region_slug, code))


@login_required
@require_POST
def agreement_document(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    agreement = _agreement(request, region_slug, code)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.record_document(signed_in(request), agreement, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect(agreement.get_absolute_url() + "#documents")
    return _agreement_page(request, agreement, 400, document_form=form)


@login_required
@require_POST
def agreement_stage(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    agreement = _agreement(request, region_slug, code)
    form = forms.StageForm(request.POST)
    if not form.is_valid():
        return _agreement_page(request, agreement, 400, stage_error=_("Choose a stage action."))
    try:
        actions.advance(
            signed_in(request),
            agreement,
            form.cleaned_data["action"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        return _agreement_page(request, agreement, 400, stage_error=" ".join(exc.messages))
    except WorkflowError as exc:
        return _agreement_page(request, agreement, exc.http_status, stage_error=str(exc))
    return redirect(agreement.get_absolute_url())


@login_required
@require_POST
def agreement_evaluation(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    agreement = _agreement(request, region_slug, code)
    form = forms.EvaluationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.record_evaluation(signed_in(request), agreement, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect(agreement.get_absolute_url() + "#evaluations")
    return _agreement_page(request, agreement, 400, evaluation_form=form)


# --- the roadmap --------------------------------------------------------------------------------


def _own(region: Region) -> dict[str, Any]:
    return {
        "services": Service.objects.filter(region=region, is_active=True).order_by("name"),
        "innovations": Innovation.objects.filter(region=region).order_by("name"),
    }


@require_GET
def roadmap(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    commitments = list(selectors.commitments_for(request.user, region))
    today = dates.today(region.time_zone)
    for commitment in commitments:
        commitment.result = results.result_of(commitment, today)
        commitment.may_move = can(request.user, Action.ACT, commitment) and bool(actions.NEXT_STATES[commitment.state])
        commitment.next_states = [CommitmentState(s) for s in actions.NEXT_STATES[commitment.state]]
    context = {
        "region": region,
        "stages": selectors.timeline(commitments),
        "rate": selectors.rate_of(commitments),
        "is_staff": _is_staff(request.user, region),
        "move_form": forms.MoveForm(**_own(region)),
    }
    return render(request, "cooperation/roadmap.html", context)


@login_required
def commitment_create(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    if not _is_staff(request.user, region):
        raise PermissionDenied(_("Only the region's staff add to its roadmap."))
    own = _own(region)
    form = forms.CommitmentForm(
        request.POST or None,
        agencies=Agency.objects.filter(region=region, is_active=True).order_by("name"),
        visits=selectors.visits_of(request.user, region),
        agreements=Agreement.objects.filter(region=region).select_related("case"),
        points=ServicePoint.objects.filter(region=region, is_active=True).order_by("name"),
        **own,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            token = data.pop("token") or ""
            data["result_months"] = data.get("result_months") or 6
            try:
                actions.create_commitment(signed_in(request), region, token=token, **data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The commitment is on the roadmap."))
                return redirect("cooperation:roadmap", region_slug=region.slug)
        status = 400
    return render(request, "cooperation/commitment_form.html", {"region": region, "form": form}, status=status)


@login_required
@require_POST
def commitment_move(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    try:
        commitment = selectors.commitments_for(request.user, region).get(code=code)
    except Commitment.DoesNotExist:
        raise Http404 from None
    form = forms.MoveForm(request.POST, **_own(region))
    if form.is_valid():
        try:
            actions.move_commitment(signed_in(request), commitment, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect_with_status(region, 400, request)
        return redirect("cooperation:roadmap", region_slug=region.slug)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect_with_status(region, 400, request)


def redirect_with_status(region: Region, status: int, request: HttpRequest) -> HttpResponse:
    """The roadmap again with the message on top, answered with `status`."""
    response = roadmap(request, region.slug) if request.method == "GET" else None
    if response is None:
        request.method = "GET"
        response = roadmap(request, region.slug)
    response.status_code = status
    return response
