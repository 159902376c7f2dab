"""The citizen's page of their own data (a copy, the request to erase it); the region's retention terms."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pendopo.lib import dates
from pendopo.privacy import requests, retention
from pendopo.privacy.models import ErasureRequest, Kind, RequestState, RetentionPolicy, RetentionRun, Trigger
from pendopo.regions.models import Region
from pendopo.regions.permissions import signed_in
from pendopo.setup.views import admin_only  # the region's administrator only, in the region's time zone

logger = logging.getLogger(__name__)
# A term longer than a century is a typing mistake, not a policy.
MAX_DAYS = 36500


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    pending = ErasureRequest.objects.filter(user=user, state=RequestState.PENDING).first()
    return render(request, "privacy/mine.html", {"pending": pending})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    body = json.dumps(requests.export_for(signed_in(request)), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-saya-pendopo.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want your data erased."))
        return render(request, "privacy/mine.html", {"pending": None}, status=400)
    try:
        requests.request_erasure(signed_in(request), request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("privacy:mine")
    messages.success(request, _("Your request has been received. Staff will erase your data; your account is then switched off."))
    return redirect("privacy:mine")


# --- the region administrator's page: how long each kind is kept, what each run did -----------


class PolicyForm(ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = [f"{kind.value}_days" for kind in Kind]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators.append(MaxValueValidator(MAX_DAYS))
            field.widget.attrs.update({"min": 0, "max": MAX_DAYS})


@admin_only
def region_policy(request: HttpRequest, region: Region) -> HttpResponse:
    """The region's retention terms (saved with the time), the last runs, and a run started by hand."""
    policy = retention.policy_for(region)
    form = PolicyForm(request.POST if request.method == "POST" else None, instance=policy)
    if form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.region, saved.updated_at = region, dates.now()
            saved.save()
        logger.info("Retention policy of region %s saved by user %s.", region.code, request.user.pk)
        messages.success(request, _("The retention terms are saved. The next daily run applies them."))
        return redirect("privacy:region", region.slug)
    runs = RetentionRun.objects.filter(region=region)[:10]
    context = {
        "region": region,
        "form": form,
        "policy": policy,
        "kinds": list(Kind),
        # A kind the region's run does not handle (login records, sessions: the platform's) shows as "—".
        "runs": [(run, [run.counts.get(kind.value) for kind in Kind]) for run in runs],
    }
    return render(request, "privacy/region.html", context, status=400 if form.is_bound else 200)


@require_POST
@admin_only
def region_run(request: HttpRequest, region: Region) -> HttpResponse:
    """Apply the region's terms now (as the daily run would) and show what it did."""
    run = retention.apply_region(region, now=dates.now(), trigger=Trigger.MANUAL)
    logger.info("Retention run of region %s started by user %s.", region.code, request.user.pk)
    total = sum(run.counts.values())
    messages.success(
        request,
        ngettext(
            "Retention run done: %(count)d record erased or anonymised.",
            "Retention run done: %(count)d records erased or anonymised.",
            total,
        )
        % {"count": total},
    )
    return redirect("privacy:region", region.slug)
