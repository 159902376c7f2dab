"""The spreadsheet import pages of the region setup: a template per kind, then the upload and its report."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pendopo.regions.models import Region
from pendopo.setup import importing
from pendopo.setup.forms import ImportForm
from pendopo.setup.views import admin_only


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
def import_sheet(request: HttpRequest, region: Region, sheet_slug: str) -> HttpResponse:
    sheet = _sheet(sheet_slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = importing.run_import(request.user, region, sheet, upload.read(), upload.name, form.cleaned_data["mode"])
            if not report.problems:
                messages.success(request, _("%(count)d rows imported.") % {"count": report.saved})
                return redirect("setup:import", region.slug, sheet.slug)
            status = 400 if not report.saved else 200
    context = {"region": region, "sheet": sheet, "form": form, "report": report}
    return render(request, "setup/import.html", context, status=status)
