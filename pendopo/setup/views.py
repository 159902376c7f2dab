"""The region setup pages (/r/<region>/atur/…): the region's administrator only, everyone else 404.

One generic list and one generic form serve the record kinds in `KINDS` (agencies, service points,
days off, complaint categories, response templates); the profile, the weekly office hours, the
Open311 keys and the platform team's page for adding a region have their own views. Every page
passes `region` to the base template, which shows times in the region's zone; the views also
activate it, so that any time a form parses is read in that zone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, ProtectedError, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pendopo.complaints import actions as complaint_actions
from pendopo.complaints.models import ApiClient, ComplaintCategory, ResponseTemplate
from pendopo.regions.models import Agency, CalendarOverride, OfficeHours, Regency, Region, ServicePoint
from pendopo.regions.permissions import Action, can, get_for_user, region_for, signed_in, visible_to
from pendopo.setup import actions, forms
from pendopo.setup.checklist import checklist
from pendopo.setup.importing import SHEETS


def admin_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The region's administrator (or the platform team) only; anyone else gets the login page or 404."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, region_slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        region = region_for(request.user, region_slug)
        if not can(request.user, Action.MANAGE, region):
            raise Http404
        with timezone.override(region.time_zone):
            return view(request, region, *args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class Kind:
    """A record kind with a list and a form on the setup pages."""

    slug: str
    model: type[Model]
    form: type[forms.RegionForm]
    title: Promise
    one: Promise
    columns: tuple[tuple[Promise, Callable[[Any], Any]], ...]
    related: tuple[str, ...] = ()
    order: tuple[str, ...] = ("pk",)


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            "opd",
            Agency,
            forms.AgencyForm,
            gettext_lazy("Agencies"),
            gettext_lazy("agency"),
            (
                (gettext_lazy("Code"), lambda a: a.code),
                (gettext_lazy("Name"), lambda a: a.name),
                (gettext_lazy("Short name"), lambda a: a.short_name),
                (gettext_lazy("Active"), lambda a: _yes(a.is_active)),
            ),
            order=("name",),
        ),
        Kind(
            "tempat-layanan",
            ServicePoint,
            forms.ServicePointForm,
            gettext_lazy("Service points"),
            gettext_lazy("service point"),
            (
                (gettext_lazy("Code"), lambda p: p.code),
                (gettext_lazy("Name"), lambda p: p.name),
                (gettext_lazy("Kind"), lambda p: p.get_kind_display()),
                (gettext_lazy("Agency"), lambda p: p.agency.short_name if p.agency else "—"),
                (gettext_lazy("Own hours"), lambda p: _yes(p.has_own_hours)),
            ),
            related=("agency",),
            order=("kind", "code"),
        ),
        Kind(
            "hari-libur",
            CalendarOverride,
            forms.HolidayForm,
            gettext_lazy("Days off and extra working days"),
            gettext_lazy("calendar change"),
            (
                (gettext_lazy("Date"), lambda c: date_format(c.date, "l, j F Y")),  # the weekday: is it a Monday?
                (gettext_lazy("Kind"), lambda c: c.get_kind_display()),
                (gettext_lazy("Description"), lambda c: c.name),
            ),
            order=("date",),
        ),
        Kind(
            "kategori-pengaduan",
            ComplaintCategory,
            forms.ComplaintCategoryForm,
            gettext_lazy("Complaint categories"),
            gettext_lazy("complaint category"),
            (
                (gettext_lazy("Code"), lambda c: c.code),
                (gettext_lazy("Name"), lambda c: c.name),
                (gettext_lazy("Agency"), lambda c: c.agency.short_name),
                (gettext_lazy("Active"), lambda c: _yes(c.is_active)),
            ),
            related=("agency",),
            order=("name",),
        ),
        Kind(
            "templat-jawaban",
            ResponseTemplate,
            forms.ResponseTemplateForm,
            gettext_lazy("Response templates"),
            gettext_lazy("response template"),
            (
                (gettext_lazy("Title"), lambda t: t.title),
                (gettext_lazy("Category"), lambda t: t.category.name if t.category else _("every category")),
            ),
            related=("category",),
            order=("title",),
        ),
    )
}


def _kind(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def _managed(request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return visible_to(request.user, queryset, Action.MANAGE)


def _records(request: HttpRequest, region: Region, kind: Kind) -> QuerySet[Any]:
    queryset = kind.model._default_manager.filter(region=region).select_related(*kind.related).order_by(*kind.order)
    return _managed(request, queryset)


@admin_only
def home(request: HttpRequest, region: Region) -> HttpResponse:
    items = checklist(region)
    context = {
        "region": region,
        "items": items,
        "missing": sum(not item.done for item in items),
        "kinds": KINDS.values(),
    }
    return render(request, "setup/home.html", context)


@admin_only
@require_POST
def go_live(request: HttpRequest, region: Region) -> HttpResponse:
    live = request.POST.get("live") == "1"
    actions.go_live(signed_in(request), region, live)
    if live:
        messages.success(request, _("The region's public pages are published."))
    else:
        messages.success(request, _("The region's public pages are withdrawn."))
    return redirect("setup:home", region.slug)


@admin_only
def profile(request: HttpRequest, region: Region) -> HttpResponse:
    instance = Region.objects.select_related("regency").get(pk=region.pk)  # never change the shared copy
    form = forms.ProfileForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        actions.save_record(signed_in(request), region, form)
        messages.success(request, _("The region profile is saved."))
        return redirect("setup:profile", region.slug)
    status = 400 if form.is_bound else 200
    return render(request, "setup/profile.html", {"region": region, "form": form}, status=status)


def logo(request: HttpRequest, region_slug: str) -> HttpResponseBase:
    """The region's emblem (public, like the region's pages)."""
    region = get_for_user(request.user, Region.objects.all(), slug=region_slug)
    if not region.logo:
        raise Http404
    return FileResponse(region.logo.open("rb"))


@admin_only
def record_list(request: HttpRequest, region: Region, kind_slug: str) -> HttpResponse:
    kind = _kind(kind_slug)
    rows = [(record, [getter(record) for _label, getter in kind.columns]) for record in _records(request, region, kind)]
    context = {
        "region": region,
        "kind": kind,
        "rows": rows,
        "headers": [label for label, _g in kind.columns],
        "importable": SHEETS,
    }
    return render(request, "setup/list.html", context)


@admin_only
def record_form(request: HttpRequest, region: Region, kind_slug: str, pk: int | None = None) -> HttpResponse:
    kind = _kind(kind_slug)
    instance = get_object_or_404(_records(request, region, kind), pk=pk) if pk is not None else None
    form = kind.form(request.POST or None, instance=instance, region=region)
    if request.method == "POST" and form.is_valid():
        actions.save_record(signed_in(request), region, form)
        messages.success(request, _("Saved."))
        return redirect("setup:list", region.slug, kind.slug)
    status = 400 if form.is_bound else 200
    context = {"region": region, "kind": kind, "form": form, "record": instance}
    return render(request, "setup/form.html", context, status=status)


@admin_only
@require_POST
def record_delete(request: HttpRequest, region: Region, kind_slug: str, pk: int) -> HttpResponse:
    kind = _kind(kind_slug)
    record = get_object_or_404(_records(request, region, kind), pk=pk)
    try:
        actions.delete_record(signed_in(request), region, record)
    except ProtectedError:
        messages.error(request, _("This record is still in use; switch it off instead of deleting it."))
        return redirect("setup:edit", region.slug, kind.slug, pk)
    messages.success(request, _("Deleted."))
    return redirect("setup:list", region.slug, kind.slug)


@admin_only
def hours(request: HttpRequest, region: Region, pk: int | None = None) -> HttpResponse:
    """The weekly office hours of the region, or of one service point (which then keeps its own)."""
    point = None
    if pk is not None:
        point = get_object_or_404(_records(request, region, KINDS["tempat-layanan"]), pk=pk)
    rows = list(OfficeHours.objects.filter(region=region, service_point=point))
    formset = forms.WeekFormSet(request.POST or None, initial=forms.week_initial(rows), prefix="day")
    if request.method == "POST" and formset.is_valid():
        actions.set_week(signed_in(request), region, point, [form.cleaned_data for form in formset.forms])
        messages.success(request, _("The office hours are saved."))
        return redirect("setup:hours_point", region.slug, point.pk) if point else redirect("setup:hours", region.slug)
    status = 400 if formset.is_bound else 200
    return render(request, "setup/hours.html", {"region": region, "formset": formset, "point": point}, status=status)


@admin_only
def api_keys(request: HttpRequest, region: Region) -> HttpResponse:
    form = forms.ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _client, new_key = complaint_actions.issue_api_key(
            region, form.cleaned_data["name"], actor=signed_in(request), contact=form.cleaned_data["contact"]
        )
        form = forms.ApiKeyForm()
    clients = _managed(request, ApiClient.objects.filter(region=region, is_demo=False).order_by("-created_at"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"region": region, "form": form, "clients": clients, "new_key": new_key}
    return render(request, "setup/api_keys.html", context, status=status)


@admin_only
@require_POST
def revoke_key(request: HttpRequest, region: Region, pk: int) -> HttpResponse:
    client = get_object_or_404(_managed(request, ApiClient.objects.filter(region=region)), pk=pk)
    complaint_actions.revoke_api_key(client, actor=signed_in(request))
    messages.success(request, _("The key is revoked."))
    return redirect("setup:api_keys", region.slug)


# --- the platform team ----------------------------------------------------------------------------


def add_region(request: HttpRequest) -> HttpResponse:
    """Find a regency by name ("Jember" finds 35.09) and switch Pendopo on for it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_platform_admin:
        raise Http404
    search = forms.RegencySearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    found = (
        Regency.objects.filter(name__icontains=query, region__isnull=True).select_related("province").order_by("name")[:20]
        if query
        else []
    )
    chosen = None
    form = None
    code = request.POST.get("regency") or request.GET.get("kode")
    if code:
        chosen = get_object_or_404(Regency.objects.select_related("province"), pk=code)
        initial = {
            "regency": chosen.pk,
            "slug": actions.suggested_slug(chosen),
            "prefix": actions.suggested_prefix(chosen),
            "time_zone": chosen.default_time_zone,
        }
        form = forms.AddRegionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            region = actions.add_region(signed_in(request), form)
            messages.success(request, _("%(name)s is added. Invite its administrator next.") % {"name": region.name})
            return redirect("setup:home", region.slug)
    status = 400 if form is not None and form.is_bound else 200
    context = {"search": search, "query": query, "found": found, "chosen": chosen, "form": form}
    return render(request, "setup/add_region.html", context, status=status)
