"""Pages of the register: the public list and page, the agencies' forms, verification, the index.

Reads go through selectors (the permission resolver): someone who may not see an innovation
gets the same 404 as for a code that does not exist. Writes call actions.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from pendopo.catalog.models import Service
from pendopo.innovations import actions, catalogue, exports, own_data, scoring, selectors
from pendopo.innovations import workflow as verification
from pendopo.innovations.catalogue import SID, SPD
from pendopo.innovations.forms import FinishForm, InnovationForm, PhotoForm, ReplicationForm, ScoreForm, VerdictForm
from pendopo.innovations.models import Affair, Innovation, Photo, Score, Stage, Status, Theme
from pendopo.innovations.models import Form as InnovationFormChoice
from pendopo.lib.replica import replica_reads
from pendopo.regions.models import Agency, Region
from pendopo.regions.permissions import Action, can, get_for_user, region_for, signed_in, visible_to

PAGE_SIZE = 20
SOURCE_LABELS = {
    "service_time": _lazy("the service standard's time limit (catalogue)"),
    "complaints": _lazy("complaints resolved (complaints)"),
    "skm": _lazy("the SKM report (surveys)"),
    "replications": _lazy("replication records"),
}


def _errors(form: BaseForm, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form's fields (unknown fields go to the top)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            field = name if name in form.fields else None
            for error in errors:
                form.add_error(field, error.messages if hasattr(error, "messages") else error)
    else:
        form.add_error(None, exc.messages)


# --- public -----------------------------------------------------------------------------------


@require_GET
@replica_reads
def innovation_list(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    qs = selectors.public_innovations(region)
    # A search box, not a document: the first 100 characters of each filter are enough.
    filters = {key: request.GET.get(key, "").strip()[:100] for key in ("q", "opd", "bentuk", "tahap", "tema", "urusan", "tahun")}
    if filters["q"]:
        for term in filters["q"].split()[:5]:
            qs = qs.filter(Q(name__icontains=term) | Q(goals__icontains=term) | Q(benefits__icontains=term))
    if filters["opd"]:
        qs = qs.filter(agency__code=filters["opd"])
    for key, field in (("bentuk", "form"), ("tahap", "stage"), ("tema", "theme"), ("urusan", "affair")):
        if filters[key]:
            qs = qs.filter(**{field: filters[key]})
    if filters["tahun"].isascii() and filters["tahun"].isdigit():
        qs = qs.filter(period=int(filters["tahun"]))
    page = Paginator(qs.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "region": region,
        "page": page,
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "agencies": visible_to(request.user, Agency.objects.filter(region=region, is_active=True)).order_by("name"),
        "forms": InnovationFormChoice.choices,
        "stages": Stage.choices,
        "themes": Theme.choices,
        "affairs": Affair.choices,
        "years": catalogue.years(),
        "is_staff": selectors.is_staff(request.user, region),
    }
    return render(request, "innovations/list.html", context)


@require_GET
def detail(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    innovation = selectors.get_innovation(request.user, region, code)
    period = catalogue.period(innovation.period)
    rows = {s.indicator: s for s in selectors.scores_of(request.user, innovation)}
    replications = list(selectors.replications_of(request.user, innovation))
    count = selectors.counted_replications(innovation)
    provenance = getattr(innovation, "replicated_from", None)
    may_edit = can(request.user, Action.ACT, innovation)
    own = own_data.for_innovation(innovation)
    context = {
        "region": region,
        "innovation": innovation,
        "period": period,
        "rows": [(indicator, rows.get(indicator.code), own.get(indicator.code)) for indicator in period.sid],
        "replications": replications,
        "replication_count": count,
        "replication_score": scoring.replication_score(period, count),
        "provenance": provenance if provenance and can(request.user, Action.VIEW, provenance.source) else None,
        "photos": visible_to(request.user, Photo.objects.filter(innovation=innovation)),
        "services": innovation.services.filter(published_standard__isnull=False),
        "may_edit": may_edit,
        "is_team": selectors.is_team(request.user, region),
        "may_replicate": innovation.is_published and _replicating_agencies(request.user, region).exists(),
        "problems": scoring.problems(innovation, period, rows.values(), verified=False, own=own) if may_edit else [],
    }
    return render(request, "innovations/detail.html", context)


@require_GET
def evidence(request: HttpRequest, region_slug: str, key: str) -> FileResponse:
    region = region_for(request.user, region_slug)
    score = get_for_user(request.user, Score.objects.filter(region=region), key=key)
    if not score.evidence_file:
        raise Http404
    return FileResponse(score.evidence_file.open("rb"), filename=score.evidence_name or score.evidence_file.name or "")


@require_GET
def photo(request: HttpRequest, region_slug: str, key: str) -> FileResponse:
    region = region_for(request.user, region_slug)
    item = get_for_user(request.user, Photo.objects.filter(region=region), key=key)
    return FileResponse(item.file.open("rb"))


@require_GET
@replica_reads
def index_page(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = region_for(request.user, region_slug)
    try:
        catalogue.period(year)
    except catalogue.CatalogueError:
        raise Http404 from None
    team = selectors.is_team(request.user, region)
    excluded = set(request.GET.getlist("tanpa")) if team else set()
    result = scoring.region_index(region, year, exclude=excluded)
    context = {
        "region": region,
        "year": year,
        "years": catalogue.years(),
        "result": result,
        "verified": result.verified.display(),
        "claimed": result.claimed.display(),
        "team": team,
        "excluded": excluded,
        # The public sees the verified index only; the team also sees the claims and the what-if.
        "entries": result.entries if team else [e for e in result.entries if e.counts_verified and e.innovation.is_published],
    }
    return render(request, "innovations/index.html", context)


@require_GET
@replica_reads
def catalogue_page(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    """The period's indicator catalogue (public): rows, weights, levels, sources, what is not confirmed."""
    region = region_for(request.user, region_slug)
    try:
        period = catalogue.period(year)
    except catalogue.CatalogueError:
        raise Http404 from None
    context = {
        "region": region,
        "year": year,
        "period": period,
        "spd_rows": [(row, SOURCE_LABELS.get(row.source, "")) for row in period.spd],
        "sid_rows": [(row, SOURCE_LABELS.get(row.source, "")) for row in period.sid],
    }
    return render(request, "innovations/catalogue.html", context)


# --- agencies -----------------------------------------------------------------------------------


def _staff_region(request: HttpRequest, region_slug: str) -> Region:
    """The region of a working page: 404 for anyone who is not its staff (as for a region that does not exist)."""
    region = region_for(request.user, region_slug)
    if not selectors.is_staff(request.user, region):
        raise Http404
    return region


def _agencies(request: HttpRequest, region: Region) -> Any:
    return visible_to(request.user, Agency.objects.filter(region=region, is_active=True), Action.ACT).order_by("name")


def _services(region: Region) -> Any:
    return Service.objects.filter(region=region, is_active=True).order_by("name")


@login_required
@require_GET
def manage(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _staff_region(request, region_slug)
    qs = selectors.innovations_of(request.user, region, Action.ACT).order_by("-period", "agency__name", "name")
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "region": region,
        "page": page,
        "status": status,
        "statuses": Status.choices,
        "team": selectors.is_team(request.user, region),
        "year": selectors.current_period(region),
        "may_create": _agencies(request, region).exists(),
    }
    return render(request, "innovations/manage.html", context)


@login_required
def create(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _staff_region(request, region_slug)
    agencies = _agencies(request, region)
    if not agencies.exists():
        raise PermissionDenied
    form = InnovationForm(
        request.POST or None,
        region=region,
        agencies=agencies,
        services=_services(region),
        initial={"period": selectors.current_period(region)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            innovation = actions.create_innovation(
                signed_in(request),
                region,
                form.cleaned_data["agency"],
                form.data_for_action(),
                services=list(form.cleaned_data["services"]),
                token=form.cleaned_data.get("token") or "",
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The innovation is saved as a draft. Fill its index rows next."))
            return redirect("innovations:scores", region.slug, innovation.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "innovations/form.html", {"region": region, "form": form}, status=status)


@login_required
def edit(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = _staff_region(request, region_slug)
    innovation = selectors.get_innovation(request.user, region, code, Action.ACT)
    form = InnovationForm(
        request.POST or None,
        instance=innovation,
        region=region,
        agencies=_agencies(request, region),
        services=_services(region),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_innovation(
                signed_in(request), innovation, form.data_for_action(), services=list(form.cleaned_data["services"])
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The innovation is saved."))
            return redirect(innovation.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    innovation.refresh_from_db()
    return render(request, "innovations/form.html", {"region": region, "form": form, "innovation": innovation}, status=status)


def _row_forms(
    rows: dict[str, Score],
    indicators: Any,
    bound: tuple[str, ScoreForm] | None = None,
    own: dict[str, own_data.OwnFigure] | None = None,
) -> list[dict[str, Any]]:
    own = own or {}
    result = []
    for indicator in indicators:
        score = rows.get(indicator.code)
        if bound and bound[0] == indicator.code:
            form = bound[1]
        else:
            initial = {}
            if score:
                initial = {
                    "level": score.level,
                    "basis": score.basis,
                    "value": score.value,
                    "evidence_url": score.evidence_url,
                    "document_number": score.document_number,
                    "document_date": score.document_date,
                }
            form = ScoreForm(indicator=indicator, initial=initial)
        result.append({"indicator": indicator, "score": score, "form": form, "own": own.get(indicator.code)})
    return result


def _save_row(request: HttpRequest, target: Innovation | Region, year: int, aspect: str, code: str) -> tuple[bool, ScoreForm]:
    period = catalogue.period(year)
    try:
        indicator = period.indicator(aspect, code)
    except catalogue.CatalogueError:
        raise Http404 from None
    form = ScoreForm(request.POST, request.FILES, indicator=indicator)
    if not form.is_valid():
        return False, form
    data = form.cleaned_data
    evidence = actions.Evidence(
        level=data.get("level"),
        basis=data.get("basis") or "",
        value=data.get("value"),
        file=data.get("file"),
        url=data.get("evidence_url") or "",
        document_number=data.get("document_number") or "",
        document_date=data.get("document_date"),
    )
    try:
        actions.save_score(signed_in(request), target, year, aspect, code, evidence)
    except ValidationError as exc:
        _errors(form, exc)
        return False, form
    return True, form


@login_required
def scores(request: HttpRequest, region_slug: str, code: str, row: str = "") -> HttpResponse:
    region = _staff_region(request, region_slug)
    innovation = selectors.get_innovation(request.user, region, code, Action.ACT)
    bound = None
    if request.method == "POST":
        saved, form = _save_row(request, innovation, innovation.period, SID, row)
        if saved:
            messages.success(request, _("Row %(code)s is saved; it waits for verification.") % {"code": row})
            return redirect(reverse("innovations:scores", args=[region.slug, code]) + f"#row{row}")
        bound = (row, form)
    return _scores_page(request, region, innovation, bound)


def _scores_page(
    request: HttpRequest, region: Region, innovation: Innovation, bound: tuple[str, ScoreForm] | None = None, status: int = 200
) -> HttpResponse:
    period = catalogue.period(innovation.period)
    rows = {s.indicator: s for s in Score.objects.filter(innovation=innovation, period=innovation.period)}
    indicators = [i for i in period.sid if i.code != scoring.REPLICATION_ROW]
    context = {
        "region": region,
        "innovation": innovation,
        "period": period,
        "rows": _row_forms(rows, indicators, bound, own_data.for_innovation(innovation)),
        "problems": actions.submission_problems(innovation),
        "photo_form": PhotoForm(),
    }
    return render(request, "innovations/scores.html", context, status=400 if bound else status)


@login_required
@require_POST
def add_photo(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = _staff_region(request, region_slug)
    innovation = selectors.get_innovation(request.user, region, code, Action.ACT)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_photo(signed_in(request), innovation, form.cleaned_data["photo"], form.cleaned_data["caption"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The photo is added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("innovations:scores", region.slug, code)


@login_required
@require_POST
def submit(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = _staff_region(request, region_slug)
    innovation = selectors.get_innovation(request.user, region, code, Action.ACT)
    try:
        actions.submit(signed_in(request), innovation)
    except ValidationError as exc:
        # Refused: the rows page again with the reasons, as a 400 (nothing was changed).
        for message in exc.messages:
            messages.error(request, message)
        innovation.refresh_from_db()
        return _scores_page(request, region, innovation, status=400)
    messages.success(request, _("The innovation is submitted to the region's innovation team."))
    return redirect(innovation.get_absolute_url())


# --- the region's innovation team ------------------------------------------------------------------


def _team_region(request: HttpRequest, region_slug: str) -> Region:
    """The region of the team's pages: 404 outside the region's staff, 403 for its other staff."""
    region = _staff_region(request, region_slug)
    if not selectors.is_team(request.user, region):
        raise PermissionDenied
    return region


@login_required
def verify(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = _team_region(request, region_slug)
    innovation = selectors.get_innovation(request.user, region, code, Action.MANAGE)
    period = catalogue.period(innovation.period)
    rows = {s.indicator: s for s in Score.objects.filter(innovation=innovation, period=innovation.period)}
    own = own_data.for_innovation(innovation)
    finish = FinishForm(request.POST or None)
    if request.method == "POST" and finish.is_valid():
        try:
            actions.finish_verification(
                signed_in(request),
                innovation,
                approve=finish.cleaned_data["decision"] == "approve",
                note=finish.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors(finish, exc)
        else:
            messages.success(request, _("The verification is recorded."))
            return redirect(innovation.get_absolute_url())
    context = {
        "region": region,
        "innovation": innovation,
        "period": period,
        "rows": [
            (indicator, rows.get(indicator.code), own.get(indicator.code))
            for indicator in period.sid
            if indicator.code != scoring.REPLICATION_ROW
        ],
        "finish": finish,
        "problems": scoring.problems(innovation, period, rows.values(), verified=True, own=own),
        "steps": verification.steps(innovation),
    }
    return render(request, "innovations/verify.html", context, status=400 if finish.errors else 200)


@login_required
@require_POST
def verify_row(request: HttpRequest, region_slug: str, key: str) -> HttpResponse:
    region = _team_region(request, region_slug)
    score = get_for_user(request.user, Score.objects.filter(region=region), Action.MANAGE, key=key)
    form = VerdictForm(request.POST)
    back = (
        reverse("innovations:verify", args=[region.slug, score.innovation.code])
        if score.innovation
        else reverse("innovations:spd", args=[region.slug, score.period])
    )
    if not form.is_valid():
        messages.error(request, _("Choose accept or reject."))
        return redirect(back)
    try:
        actions.verify_row(signed_in(request), score, form.cleaned_data["verdict"], form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Row %(code)s: %(verdict)s.") % {"code": score.indicator, "verdict": form.cleaned_data["verdict"]}
        )
    return redirect(f"{back}#row{score.indicator}")


@login_required
def spd(request: HttpRequest, region_slug: str, year: int, row: str = "") -> HttpResponse:
    region = _team_region(request, region_slug)
    try:
        period = catalogue.period(year)
    except catalogue.CatalogueError:
        raise Http404 from None
    bound = None
    if request.method == "POST":
        saved, form = _save_row(request, region, year, SPD, row)
        if saved:
            messages.success(request, _("Row %(code)s is saved; it waits for verification.") % {"code": row})
            return redirect(reverse("innovations:spd", args=[region.slug, year]) + f"#row{row}")
        bound = (row, form)
    rows = {s.indicator: s for s in selectors.spd_scores(region, year)}
    context = {"region": region, "period": period, "rows": _row_forms(rows, period.spd, bound), "verdict": VerdictForm()}
    return render(request, "innovations/spd.html", context, status=400 if bound else 200)


# --- replication -------------------------------------------------------------------------------


def _replicating_agencies(user: Any, source_region: Region) -> Any:
    """Agencies of *other* regions in which `user` may add innovations."""
    return visible_to(user, Agency.objects.filter(is_active=True).exclude(region=source_region), Action.ACT).select_related(
        "region__regency"
    )


@login_required
def replicate(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    source = selectors.get_innovation(request.user, region, code)
    agencies = _replicating_agencies(request.user, region)
    if not source.is_published or not agencies.exists():
        raise PermissionDenied
    form = ReplicationForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data["agency"]
        try:
            replication = actions.replicate(
                signed_in(request),
                source,
                agency.region,
                agency,
                inspiration=data["inspiration"],
                process=data["process"],
                difference=data["difference"],
                agreement=data["agreement"],
                agreed_on=data["agreed_on"],
                period=selectors.current_period(agency.region),
                token=data.get("token") or "",
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The copy is a draft of your region: add your own evidence and submit it."))
            return redirect("innovations:scores", agency.region.slug, replication.adopted.code)
    return render(
        request,
        "innovations/replicate.html",
        {"region": region, "source": source, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- export for the ministry's yearly report ------------------------------------------------------


def _export_period(year: int) -> None:
    try:
        catalogue.period(year)
    except catalogue.CatalogueError:
        raise Http404 from None


@login_required
@require_GET
def export_register(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    """The register and every row of the period as XLSX (the team: it carries the agencies' claims)."""
    region = _team_region(request, region_slug)
    _export_period(year)
    response = HttpResponse(
        exports.register_xlsx(region, year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="inovasi-{region.slug}-{year}.xlsx"'
    return response


@login_required
@require_GET
def export_evidence(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    """The period's evidence files with their index, as ZIP (the team)."""
    region = _team_region(request, region_slug)
    _export_period(year)
    response = HttpResponse(exports.evidence_zip(region, year), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="bukti-inovasi-{region.slug}-{year}.zip"'
    return response


@require_GET
def profile(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    """One innovation's profile as PDF, for whoever may see it (with the rows they may see)."""
    region = region_for(request.user, region_slug)
    innovation = selectors.get_innovation(request.user, region, code)
    response = HttpResponse(exports.profile_pdf(innovation, request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="profil-{innovation.code}.pdf"'
    return response
