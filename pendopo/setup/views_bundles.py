"""Service bundle pages of the region setup: one's own bundles, adopting another region's, the review list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pendopo.regions.models import Region
from pendopo.regions.permissions import Action, get_for_user, visible_to
from pendopo.setup import actions, bundles
from pendopo.setup.forms import AdoptForm, BundleForm, DecreeForm
from pendopo.setup.models import BundleAdoption, ServiceBundle
from pendopo.setup.views import admin_only


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
        actions.save_record(request.user, region, form)
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
            adoption = bundles.adopt_bundle(request.user, region, bundle, form.mapping())
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
                request.user, adoption, form.cleaned_data["decree_number"], form.cleaned_data["decree_date"]
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(count)d services published.") % {"count": count})
            return redirect("setup:adoption", region.slug, adoption.pk)
    status = 400 if form.is_bound else 200
    context = {"region": region, "adoption": adoption, "rows": bundles.adoption_drafts(adoption), "form": form, "errors": errors}
    return render(request, "setup/adoption.html", context, status=status)
