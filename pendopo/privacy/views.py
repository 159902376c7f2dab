"""The citizen's page of their own data: a copy to download, and the request to erase it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pendopo.privacy import requests
from pendopo.privacy.models import ErasureRequest, RequestState
from pendopo.regions.models import User


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise TypeError("login_required lets only signed-in users through")
    return request.user


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    pending = ErasureRequest.objects.filter(user=user, state=RequestState.PENDING).first()
    return render(request, "privacy/mine.html", {"pending": pending})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    body = json.dumps(requests.export_for(_user(request)), ensure_ascii=False, indent=2, default=str)
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
        requests.request_erasure(_user(request), request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("privacy:mine")
    messages.success(request, _("Your request has been received. Staff will erase your data; your account is then switched off."))
    return redirect("privacy:mine")
