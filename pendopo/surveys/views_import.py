"""Importing paper surveys: upload and check (nothing saved), then import all, only the valid rows, or nothing.

The uploaded file waits between the two steps in a private directory under MEDIA_ROOT (never
served by URL), named by a random id; the second step's form carries a signed token naming it,
bound to the user who uploaded it. The file is deleted once imported or cancelled.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pendopo.regions.models import Region
from pendopo.surveys import actions, importing, selectors
from pendopo.surveys.forms import ImportForm
from pendopo.surveys.views import region_for

_SALT = "pendopo.surveys.import"
# An upload waits at most this long for its confirmation.
TOKEN_MAX_AGE = 6 * 3600
PROBLEMS_SHOWN = 200


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "surveys-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _services(request: HttpRequest, region: Region):  # type: ignore[no-untyped-def]
    agencies = selectors.agencies_for_import(request.user, region)
    return selectors.survey_services(region).filter(agency__in=agencies)


def _form(request: HttpRequest, region: Region, data=None, files=None) -> ImportForm:  # type: ignore[no-untyped-def]
    return ImportForm(data, files, services=_services(request, region), points=selectors.survey_points(region))


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request, region_slug)
    if not selectors.agencies_for_import(request.user, region).exists():
        raise Http404
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, region)
    form = _form(request, region, request.POST or None, request.FILES or None)
    context = {"region": region, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        parsed = importing.parse(data, upload.name)
        stored = f"{secrets.token_hex(16)}.{'xlsx' if importing.is_xlsx(data, upload.name) else 'csv'}"
        (upload_dir() / stored).write_bytes(data)
        token = signing.dumps(
            {
                "u": request.user.pk,
                "f": stored,
                "n": upload.name[:200],
                "s": form.cleaned_data["service"].code,
                "p": form.cleaned_data["service_point"].code if form.cleaned_data["service_point"] else "",
                "d": form.cleaned_data["survey_date"].isoformat(),
            },
            salt=_SALT,
        )
        context |= {
            "checked": parsed,
            "problems": parsed.problems[:PROBLEMS_SHOWN],
            "token": token,
            "file_name": upload.name,
            "service": form.cleaned_data["service"],
        }
    return render(request, "surveys/import.html", context, status=400 if form.errors else 200)


def _confirm(request: HttpRequest, region: Region) -> HttpResponse:
    try:
        ticket = signing.loads(request.POST["token"], salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if ticket.get("u") != request.user.pk:
        raise Http404
    path = upload_dir() / Path(ticket["f"]).name
    choice = request.POST.get("choice", "")
    context: dict[str, object] = {"region": region, "form": _form(request, region)}
    if choice == "cancel" or not path.exists():
        path.unlink(missing_ok=True)
        context["cancelled"] = True
        return render(request, "surveys/import.html", context)
    service = _services(request, region).filter(code=ticket["s"]).first()
    point = selectors.survey_points(region).filter(code=ticket["p"]).first() if ticket["p"] else None
    if service is None:
        raise Http404
    parsed = importing.parse(path.read_bytes(), ticket["n"])
    try:
        batch = actions.import_responses(
            request.user,
            region,
            parsed,
            service=service,
            service_point=point,
            file_name=ticket["n"],
            survey_date=dt.date.fromisoformat(ticket["d"]),
            only_valid=choice == "valid",
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        context |= {"error": " ".join(exc.messages), "checked": parsed, "problems": parsed.problems[:PROBLEMS_SHOWN]}
        context |= {"token": request.POST["token"], "file_name": ticket["n"], "service": service}
        return render(request, "surveys/import.html", context, status=400)
    path.unlink(missing_ok=True)
    context["batch"] = batch
    context["message"] = _("%(count)d responses imported.") % {"count": batch.imported}
    return render(request, "surveys/import.html", context)
