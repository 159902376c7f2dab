"""The spreadsheet import pages of the region setup: a template per kind, then the upload and its report."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from pendopo.lib import once, progress
from pendopo.regions.models import Region
from pendopo.regions.permissions import signed_in
from pendopo.setup import importing
from pendopo.setup.forms import ImportForm
from pendopo.setup.views import admin_only

logger = logging.getLogger("pendopo.setup")

# A file of more rows than this streams its progress while it runs (lib/progress.py); a shorter
# one is done in a moment and answers at once.
STREAM_ABOVE = 100
# How long a sent import form's token is remembered.
SENT_FOR = 6 * 3600


def _sheet(slug: str) -> importing.Sheet:
    try:
        return importing.SHEETS[slug]
    except KeyError:
        raise Http404 from None


@admin_only
def imports(request: HttpRequest, region: Region) -> HttpResponse:
    return render(request, "setup/imports.html", {"region": region, "sheets": importing.SHEETS.values()})


@admin_only
def template(request: HttpRequest, region: Region, sheet_slug: str, fmt: str) -> HttpResponse:
    sheet = _sheet(sheet_slug)
    name = f"templat-{sheet.slug}.{fmt}"
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(importing.template_xlsx(sheet), content_type=content_type)
    elif fmt == "csv":
        response = HttpResponse(importing.template_csv(sheet), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin_only
def import_sheet(request: HttpRequest, region: Region, sheet_slug: str) -> HttpResponseBase:
    """Upload a file; a short one answers when done, a long one streams its progress, then the same report."""
    sheet = _sheet(sheet_slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    token = once.for_form(request.POST)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            sent = _Sent(region, request.POST)
            if not sent.claim():
                context = {"region": region, "sheet": sheet, "form": ImportForm(), "idempotency_token": once.new_token()}
                context["error"] = _("This form was sent already: its file is being imported or has been imported.")
                return render(request, "setup/import.html", context, status=409)
            upload = form.cleaned_data["file"]
            run = importing.Importing(signed_in(request), region, sheet, upload.read(), upload.name, form.cleaned_data["mode"])
            run.open()  # its size is known from here on
            if (run.total or 0) > STREAM_ABOVE:
                return _stream(request, region, sheet, upload.name, run, sent)
            for _count in run:
                pass
            report = run.report
            if not report.saved:
                sent.release()  # nothing was saved: the same form may be sent again
            if not report.problems:
                messages.success(request, _imported(report))
                return redirect("setup:import", region.slug, sheet.slug)
            status = 400 if not report.saved else 200
            token = once.new_token()
    context = {"region": region, "sheet": sheet, "form": form, "report": report, "idempotency_token": token}
    return render(request, "setup/import.html", context, status=status)


class _Sent:
    """A form's idempotency token, claimed once (the limits cache is shared by the processes): a
    double click or a resent form does not import the file twice, even while the first still runs."""

    def __init__(self, region: Region, data: Any) -> None:
        token = once.posted(data)
        self.key = f"setup-import:{region.pk}:{token}" if token else ""

    def claim(self) -> bool:
        return not self.key or caches["limits"].add(self.key, 1, timeout=SENT_FOR)

    def release(self) -> None:
        if self.key:
            caches["limits"].delete(self.key)


def _imported(report: importing.Report) -> str:
    return _("%(count)d rows imported.") % {"count": report.saved}


def _stream(
    request: HttpRequest, region: Region, sheet: importing.Sheet, file_name: str, run: importing.Importing, sent: _Sent
) -> StreamingHttpResponse:
    """The long file's page: its top at once, a progress bar every few dozen rows, then the report.

    The status line goes out first (200); the report says what was saved, as the short file's
    page does. Closing the page before the end rolls the whole file back.
    """
    context: dict[str, Any] = {"region": region, "sheet": sheet, "file_name": file_name}

    def steps() -> Iterator[str]:
        finished = False
        try:
            with timezone.override(region.time_zone):
                yield from progress.steps(run, _("Rows checked"))
            finished = True
        finally:
            if not finished or not run.report.saved:
                sent.release()  # rolled back (an error, the browser went away) or nothing to save

    def outcome(error: str = "") -> str:
        report = run.report
        message = "" if error or report.problems else _imported(report)
        part = {**context, "report": report, "message": message, "error": error, "streamed": True}
        return render_to_string("setup/_import_report.html", part, request=request)

    def failed() -> str:
        return outcome(_("Something went wrong while importing. Nothing was imported."))

    return progress.stream(request, "setup/import_progress.html", context, steps(), outcome, failed, logger)
