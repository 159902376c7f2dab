"""Importing paper surveys: upload and check (nothing saved), then import all, only the valid rows, or nothing.

The uploaded file waits between the two steps in a private directory under MEDIA_ROOT (never
served by URL), named by a random id; the second step's form carries a signed token naming it,
bound to the user who uploaded it, with what the check found (valid and invalid rows). The
file is deleted once imported or cancelled.

Both steps show their progress while they run. A file of 100,000 rows takes seconds to read
and seconds more to save, so the page is streamed: the top of the page at once, then a
progress bar updated every couple of thousand rows (each update a new element; CSS shows only
the last), then the outcome (`lib/progress.py`, shared with the region setup's imports). No
JavaScript and no worker are needed, the import stays one transaction in the request that asked
for it, and a proxy sees bytes flowing instead of a silent minute. The confirmation claims the
upload first (an atomic rename), so a second click on "Import" cannot import the same file twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pendopo.lib import dates, progress, tables
from pendopo.regions.models import Region
from pendopo.surveys import actions, exports, importing, selectors
from pendopo.surveys.forms import ImportForm
from pendopo.surveys.views import region_for, signed_in_user

logger = logging.getLogger("pendopo.surveys")

_SALT = "pendopo.surveys.import"
# An upload waits at most this long for its confirmation.
TOKEN_MAX_AGE = 6 * 3600
PROBLEMS_SHOWN = 200
CLAIMED = ".importing"


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "surveys-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _services(request: HttpRequest, region: Region):
    agencies = selectors.agencies_for_import(request.user, region)
    return selectors.survey_services(region).filter(agency__in=agencies)


def _form(request: HttpRequest, region: Region, data=None, files=None) -> ImportForm:
    return ImportForm(
        data,
        files,
        services=_services(request, region),
        points=selectors.survey_points(region),
        today=dates.today(region.time_zone),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, region_slug: str) -> HttpResponseBase:
    region = region_for(request, region_slug)
    if not selectors.agencies_for_import(request.user, region).exists():
        raise Http404
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, region)
    form = _form(request, region, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _check(request, region, form)
    context = {"region": region, "form": form}
    return render(request, "surveys/import.html", context, status=400 if form.errors else 200)


def _check(request: HttpRequest, region: Region, form: ImportForm) -> HttpResponseBase:
    """Step 1: store the upload, read every row (streaming the count), show what was found."""
    upload = form.cleaned_data["file"]
    data = upload.read()
    _forget_stale_uploads()
    stored = f"{secrets.token_hex(16)}.{'xlsx' if tables.is_xlsx(data, upload.name) else 'csv'}"
    (upload_dir() / stored).write_bytes(data)
    parsing = importing.Parsing(data, upload.name)
    service, point = form.cleaned_data["service"], form.cleaned_data["service_point"]
    context = {"region": region, "file_name": upload.name, "service": service, "step": "check"}

    def outcome() -> str:
        parsed = parsing.result
        token = signing.dumps(
            {
                "u": request.user.pk,
                "f": stored,
                "n": upload.name[:200],
                "s": service.code,
                "p": point.code if point else "",
                "d": form.cleaned_data["survey_date"].isoformat(),
                # What the check found, so the confirmation can refuse at once what cannot be imported.
                "v": len(parsed.rows),
                "b": parsed.bad_rows,
                "e": parsed.file_error,
            },
            salt=_SALT,
        )
        return _render_checked(request, region, parsed, token, upload.name, service)

    return _stream(request, context, _progress(parsing, _("Checking the rows")), outcome)


def _forget_stale_uploads() -> None:
    """Delete uploads whose confirmation can no longer come (their token has expired)."""
    limit = dates.now().timestamp() - TOKEN_MAX_AGE - 60
    for path in upload_dir().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _render_checked(
    request: HttpRequest, region: Region, parsed: importing.ParseResult, token: str, file_name: str, service: Any
) -> str:
    context = {
        "region": region,
        "checked": parsed,
        "problems": parsed.problems[:PROBLEMS_SHOWN],
        "token": token,
        "file_name": file_name,
        "service": service,
    }
    return render_to_string("surveys/_import_checked.html", context, request=request)


@login_required
@require_http_methods(["GET"])
def import_problems(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Every problem of a checked upload as CSV (the page lists only the first ones), for correcting the file."""
    region = region_for(request, region_slug)
    if not selectors.agencies_for_import(request.user, region).exists():
        raise Http404
    try:
        ticket = signing.loads(request.GET.get("token", ""), salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if ticket.get("u") != request.user.pk:
        raise Http404
    path = upload_dir() / Path(ticket["f"]).name
    if not path.exists():
        path = path.with_name(path.name + CLAIMED)
    if not path.exists():
        raise Http404
    parsing = importing.Parsing(path.read_bytes(), ticket["n"], problem_limit=None)
    for _count in parsing:
        pass
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a byte-order mark
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    for problem in parsing.result.problems:
        # The file's own column names and values are quoted back: keep them from reading as formulas.
        writer.writerow([problem.row or "", exports.csv_cell(problem.column or ""), exports.csv_cell(problem.message)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = Path(ticket["n"]).stem[:80] or "survei"
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "survei"}-masalah.csv"'
    return response


def _confirm(request: HttpRequest, region: Region) -> HttpResponseBase:
    """Step 2: import all rows, only the valid ones, or nothing."""
    try:
        ticket = signing.loads(request.POST["token"], salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if ticket.get("u") != request.user.pk:
        raise Http404
    path = upload_dir() / Path(ticket["f"]).name
    choice = request.POST.get("choice", "")
    context: dict[str, Any] = {"region": region, "form": _form(request, region)}
    if choice == "cancel":
        path.unlink(missing_ok=True)
        context["cancelled"] = True
        return render(request, "surveys/import.html", context)
    service = _services(request, region).filter(code=ticket["s"]).first()
    point = selectors.survey_points(region).filter(code=ticket["p"]).first() if ticket["p"] else None
    if service is None:
        raise Http404
    only_valid = choice == "valid"
    # Refuse at once, from what the check found, what cannot be imported.
    refusal = None
    if ticket.get("e"):
        refusal = _("This file cannot be imported. Correct it and upload it again.")
    elif ticket.get("b") and not only_valid:
        refusal = _("%(count)d row(s) are not valid; nothing was imported.") % {"count": ticket["b"]}
    elif not ticket.get("v"):
        refusal = _("The file has no valid responses.")
    if refusal:
        context["error"] = refusal
        return render(request, "surveys/import.html", context, status=400)
    # Claim the upload: of two clicks on "Import", only the first finds the file.
    claimed = path.with_name(path.name + CLAIMED)
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        context["error"] = _("This file has already been imported or cancelled. Upload it again to import it.")
        return render(request, "surveys/import.html", context, status=409)
    return _stream(
        request,
        {"region": region, "file_name": ticket["n"], "service": service, "step": "import"},
        _import_steps(request, region, claimed, path, ticket, service, point, only_valid),
        lambda: "",
    )


def _import_steps(
    request: HttpRequest,
    region: Region,
    claimed: Path,
    path: Path,
    ticket: dict[str, Any],
    service: Any,
    point: Any,
    only_valid: bool,
) -> Iterator[str]:
    """Read the claimed file again and save it, streaming both counts, then the outcome."""
    done = False
    try:
        data = claimed.read_bytes()
        parsing = importing.Parsing(data, ticket["n"])
        yield from _progress(parsing, _("Reading the rows"), ticket.get("v", 0) + ticket.get("b", 0))
        parsed = parsing.result
        try:
            run = actions.start_import(
                signed_in_user(request),
                region,
                parsed,
                service=service,
                service_point=point,
                file_name=ticket["n"],
                survey_date=dt.date.fromisoformat(ticket["d"]),
                only_valid=only_valid,
            )
        except PermissionDenied:
            yield _outcome(request, region, error=_("You may import surveys only for your own agency."))
            return
        except ValidationError as exc:
            yield _outcome(request, region, error=" ".join(exc.messages))
            return
        yield from _progress(run, _("Saving the responses"), run.total)
        done = True
        claimed.unlink(missing_ok=True)
        yield _outcome(request, region, batch=run.batch)
    finally:
        if not done and claimed.exists():
            # Nothing was saved (an error, or the browser went away and the transaction was
            # rolled back): give the upload back so that it can be confirmed again.
            os.rename(claimed, path)


def _outcome(request: HttpRequest, region: Region, *, batch: Any = None, error: str = "") -> str:
    context: dict[str, Any] = {"region": region, "batch": batch, "error": error}
    if batch is not None:
        context["message"] = _("%(count)s responses imported.") % {"count": intcomma(batch.imported)}
    return render_to_string("surveys/_import_result.html", context, request=request)


def _progress(steps: Any, label: str, total: int | None = None) -> Iterator[str]:
    return progress.steps(steps, label, total)


def _stream(
    request: HttpRequest, context: dict[str, Any], steps: Iterator[str], outcome: Callable[[], str]
) -> StreamingHttpResponse:
    """The progress page (`lib/progress.py`): its top at once, then each step, then the outcome."""
    return progress.stream(
        request,
        "surveys/import_progress.html",
        context,
        steps,
        outcome,
        lambda: _outcome(request, context["region"], error=_("Something went wrong while importing.")),
        logger,
    )
