"""Importing a region's setup from spreadsheets (XLSX or CSV): agencies, service points, office
hours, staff (as invitations) and days off.

Each kind has a template to download (the header row and an example row) and the same validation
as its page: every row goes through the page's own form (`setup/forms.py`, or the accounts app's
`InviteForm` for staff), so a rule holds however a record arrives. References are written as
codes (an agency's, a mall's, a village's Kemendagri code) and looked up in the region.

The whole file is one transaction. Each row is saved in its own savepoint, so later rows see
earlier ones (a counter may name a mall from a row above; a duplicate code in the file is caught
like one already stored). *All or nothing* rolls the transaction back when any row has a problem;
*valid rows only* keeps the good rows and lists the others. Either way nothing is half-saved: a
row is saved whole or not at all. Problems name the row (as the spreadsheet numbers it, header =
1) and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pendopo.lib.tables import PLAIN_NUMBER, Formula, ImportFileError, read_table
from pendopo.lib.text import csv_cell, sheet_text
from pendopo.regions.models import Agency, CalendarOverride, Region, ServicePoint, User, Weekday
from pendopo.regions.permissions import Action, can
from pendopo.setup import actions, forms

MAX_ROWS = 5_000
MAX_PROBLEMS = 500
PROGRESS_EVERY = 50  # rows done between two progress reports of a streamed import


class Mode:
    ALL_OR_NOTHING = "all"
    VALID_ROWS = "valid"


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message if self.column is None else f"{self.column}: {self.message}"
        if self.column is None:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Report:
    rows: int = 0
    saved: int = 0
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    rolled_back: bool = False

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if row is not None:
            self.bad_rows.add(row)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, str(message)))


@dataclass(frozen=True)
class Column:
    name: str  # the header in the template (Indonesian, as offices write it)
    field: str  # the form field it fills
    required: bool = False
    aliases: tuple[str, ...] = ()
    lookup: str = ""  # a reference by code: "agency", "service_point", "mall"


@dataclass(frozen=True)
class Sheet:
    slug: str
    title: Promise
    columns: tuple[Column, ...]
    example: tuple[tuple[str, ...], ...]
    form: Callable[[Region, dict[str, Any]], django_forms.BaseForm]
    save: Callable[[User, Region, django_forms.BaseForm], None]
    defaults: dict[str, str] = field(default_factory=dict)


# --- the kinds ----------------------------------------------------------------------------------

_WEEKDAYS = {
    **{str(day.value + 1): day.value for day in Weekday},
    **dict.fromkeys(["senin", "monday", "mon"], 0),
    **dict.fromkeys(["selasa", "tuesday", "tue"], 1),
    **dict.fromkeys(["rabu", "wednesday", "wed"], 2),
    **dict.fromkeys(["kamis", "thursday", "thu"], 3),
    **dict.fromkeys(["jumat", "jum'at", "friday", "fri"], 4),
    **dict.fromkeys(["sabtu", "saturday", "sat"], 5),
    **dict.fromkeys(["minggu", "ahad", "sunday", "sun"], 6),
}
_POINT_KINDS = {
    **dict.fromkeys(["mall", "mpp", "mal pelayanan publik"], ServicePoint.Kind.SERVICE_MALL),
    **dict.fromkeys(["counter", "loket"], ServicePoint.Kind.COUNTER),
    **dict.fromkeys(["village", "desa", "kantor desa", "kelurahan"], ServicePoint.Kind.VILLAGE_OFFICE),
    **dict.fromkeys(["office", "kantor", "kantor opd"], ServicePoint.Kind.AGENCY_OFFICE),
}
_ROLES = {
    **dict.fromkeys(["officer", "petugas"], "officer"),
    **dict.fromkeys(["head", "kepala", "kepala opd"], "head"),
    **dict.fromkeys(["region_admin", "admin", "administrator", "admin pemda"], "region_admin"),
}
_DAY_KINDS = {
    **dict.fromkeys(["holiday", "libur", "hari libur"], CalendarOverride.Kind.HOLIDAY),
    **dict.fromkeys(["working_day", "kerja", "hari kerja"], CalendarOverride.Kind.WORKING_DAY),
}


def _model_form(form_class: type[forms.RegionForm]) -> Callable[[Region, dict[str, Any]], django_forms.BaseForm]:
    return lambda region, data: form_class(data, region=region)


def _save_form(actor: User, region: Region, form: Any) -> None:
    actions.save_record(actor, region, form)


def _hours_form(region: Region, data: dict[str, Any]) -> django_forms.BaseForm:
    form = forms.DayHoursForm({**data, "is_open": "on"})
    return form


def _save_hours(actor: User, region: Region, form: Any) -> None:
    """One weekday of the region's or a service point's hours (the other days stay as they are)."""
    point = ServicePoint.objects.get(region=region, pk=form.data["point"]) if form.data.get("point") else None
    actions.set_day(actor, region, point, form.cleaned_data)


def _invite_form(region: Region, data: dict[str, Any]) -> django_forms.BaseForm:
    return forms.ImportedInviteForm(data, region=region)


def _save_invite(actor: User, region: Region, form: Any) -> None:
    from pendopo.accounts import actions as account_actions

    data = form.cleaned_data
    account_actions.invite(
        region,
        actor,
        full_name=data["full_name"],
        email=data["email"],
        phone=data["phone"],
        role=data["role"],
        agency=data["agency"],
        service_point=data["service_point"],
        title=data["title"],
        channel=data["channel"],
    )


SHEETS: dict[str, Sheet] = {
    sheet.slug: sheet
    for sheet in (
        Sheet(
            "opd",
            gettext_lazy("Agencies"),
            (
                Column("kode", "code", True, ("code",)),
                Column("nama", "name", True, ("name",)),
                Column("nama_singkat", "short_name", True, ("short name", "singkatan")),
                Column("kepala", "head_name", aliases=("head",)),
                Column("jabatan_kepala", "head_title", aliases=("head title",)),
                Column("nip_kepala", "head_nip", aliases=("nip", "head nip")),
                Column("alamat", "address", aliases=("address",)),
                Column("email", "email"),
                Column("telepon", "phone", aliases=("phone", "telp")),
            ),
            (("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "", "Kepala Dinas", "", "", "", ""),),
            _model_form(forms.AgencyForm),
            _save_form,
            {"is_active": "on"},
        ),
        Sheet(
            "tempat-layanan",
            gettext_lazy("Service points"),
            (
                Column("kode", "code", True, ("code",)),
                Column("nama", "name", True, ("name",)),
                Column("jenis", "kind", True, ("kind",)),
                Column("mpp_induk", "parent", aliases=("parent", "induk", "mpp"), lookup="mall"),
                Column("opd", "agency", aliases=("agency", "kode opd"), lookup="agency"),
                Column("kode_desa", "village", aliases=("village", "desa")),
                Column("alamat", "address", aliases=("address",)),
                Column("lintang", "latitude", aliases=("latitude", "lat")),
                Column("bujur", "longitude", aliases=("longitude", "lon", "lng")),
            ),
            (
                ("MPP", "Mal Pelayanan Publik", "mpp", "", "", "", "Jl. Contoh 1", "-2.0653", "119.3550"),
                ("MPP-L1", "Loket 1 Disdukcapil", "loket", "MPP", "DISDUKCAPIL", "", "", "", ""),
            ),
            _model_form(forms.ServicePointForm),
            _save_form,
            {"is_active": "on"},
        ),
        Sheet(
            "jam-layanan",
            gettext_lazy("Office hours"),
            (
                Column("tempat_layanan", "point", aliases=("service point", "kode tempat layanan"), lookup="service_point"),
                Column("hari", "weekday", True, ("day", "weekday")),
                Column("buka", "opens", True, ("opens",)),
                Column("tutup", "closes", True, ("closes",)),
                Column("istirahat_mulai", "break_starts", aliases=("break starts",)),
                Column("istirahat_selesai", "break_ends", aliases=("break ends",)),
            ),
            (("", "Senin", "07:30", "16:00", "12:00", "13:00"), ("", "Jumat", "07:30", "15:00", "11:00", "13:00")),
            _hours_form,
            _save_hours,
        ),
        Sheet(
            "staf",
            gettext_lazy("Staff"),
            (
                Column("nama", "full_name", True, ("name", "nama lengkap")),
                Column("email", "email"),
                Column("telepon", "phone", aliases=("phone", "hp", "nomor hp")),
                Column("peran", "role", True, ("role",)),
                Column("opd", "agency", aliases=("agency", "kode opd"), lookup="agency"),
                Column("tempat_layanan", "service_point", aliases=("service point",), lookup="service_point"),
                Column("jabatan", "title", aliases=("title", "position")),
            ),
            (("Siti Rahmawati", "siti@example.go.id", "", "petugas", "DISDUKCAPIL", "", "Petugas loket"),),
            _invite_form,
            _save_invite,
        ),
        Sheet(
            "hari-libur",
            gettext_lazy("Days off and extra working days"),
            (
                Column("tanggal", "date", True, ("date",)),
                Column("jenis", "kind", aliases=("kind",)),
                Column("keterangan", "name", True, ("name", "description", "nama")),
                Column("buka", "opens", aliases=("opens",)),
                Column("tutup", "closes", aliases=("closes",)),
            ),
            (("2026-12-18", "libur", "Hari Jadi Kabupaten", "", ""),),
            _model_form(forms.HolidayForm),
            _save_form,
            {"kind": CalendarOverride.Kind.HOLIDAY},
        ),
    )
}


# --- templates ----------------------------------------------------------------------------------


def template_xlsx(sheet: Sheet) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    page = book.create_sheet(sheet.slug)
    page.append([column.name for column in sheet.columns])
    for row in sheet.example:
        page.append([sheet_text(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(sheet: Sheet) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.name for column in sheet.columns])
    for row in sheet.example:
        # Coordinates such as -2.0653 are plain numbers, not formulas: written as they are.
        writer.writerow([value if PLAIN_NUMBER.match(value) else csv_cell(value) for value in row])
    return out.getvalue()


# --- reading ------------------------------------------------------------------------------------


def _header_key(value: Any) -> str:
    return re.sub(r"[\s_]+", " ", str(value if value is not None else "")).strip().lower()


def _text(value: Any) -> str:
    """A cell as the form would receive it typed: times as HH:MM, dates ISO, 7.0 as 7."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value).strip()


class _Lookups:
    """The region's agencies and service points by code, read once per file and kept up to date."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self.agencies = dict(Agency.objects.filter(region=region).values_list("code", "pk"))
        points = ServicePoint.objects.filter(region=region).values_list("code", "pk", "kind")
        self.points = {code: pk for code, pk, _kind in points}
        self.malls = {code: pk for code, pk, kind in points if kind == ServicePoint.Kind.SERVICE_MALL}

    def learn(self, record: Any) -> None:
        """A row just saved: later rows of the file may name it."""
        if isinstance(record, Agency):
            self.agencies[record.code] = record.pk
        elif isinstance(record, ServicePoint):
            self.points[record.code] = record.pk
            if record.kind == ServicePoint.Kind.SERVICE_MALL:
                self.malls[record.code] = record.pk

    def find(self, what: str, code: str) -> int | None:
        table = {"agency": self.agencies, "service_point": self.points, "mall": self.malls}[what]
        return table.get(code) if code in table else table.get(code.upper())


_UNKNOWN = {
    "agency": gettext_lazy("No agency of the region has the code “%(code)s”."),
    "service_point": gettext_lazy("No service point of the region has the code “%(code)s”."),
    "mall": gettext_lazy("No service mall (MPP) of the region has the code “%(code)s”."),
}


def _convert(sheet: Sheet, column: Column, value: str) -> str | None:
    """A spreadsheet word (Senin, loket, petugas, libur) as the form's value; None if it is unknown."""
    key = value.strip().lower()
    tables: dict[tuple[str, str], dict[str, Any]] = {
        ("jam-layanan", "weekday"): _WEEKDAYS,
        ("tempat-layanan", "kind"): _POINT_KINDS,
        ("staf", "role"): _ROLES,
        ("hari-libur", "kind"): _DAY_KINDS,
    }
    table = tables.get((sheet.slug, column.field))
    if table is None or not value:
        return value
    found = table.get(key)
    return None if found is None else str(found)


def _header(sheet: Sheet, values: list[Any], report: Report) -> list[Column | None] | None:
    by_name = {_header_key(name): column for column in sheet.columns for name in (column.name, *column.aliases)}
    columns: list[Column | None] = []
    for value in values:
        key = _header_key(value)
        if not key:
            columns.append(None)
            continue
        column = by_name.get(key)
        if column is None:
            report.add(
                1,
                str(value),
                _("Unknown column. The columns of this template are: %(names)s.")
                % {"names": ", ".join(c.name for c in sheet.columns)},
            )
        elif column in columns:
            report.add(1, str(value), _("This column appears twice."))
        columns.append(column)
    for column in sheet.columns:
        if column.required and column not in columns:
            report.add(1, column.name, _("This column is missing; download the template to see the columns."))
    return None if report.problems else columns


def run_import(actor: User, region: Region, sheet: Sheet, data: bytes, filename: str, mode: str) -> Report:
    """Check every row of the file and save it: all or nothing, or the valid rows only (one transaction)."""
    importing = Importing(actor, region, sheet, data, filename, mode)
    for _count in importing:
        pass
    return importing.report


class Importing:
    """An import step by step: iterate it for the number of rows done so far (0 once the file is
    open, then every `PROGRESS_EVERY` rows, and once at the end); `total` is, from the first
    count on, about how many rows the file has, and `report` holds the outcome at the end.

    The whole iteration is one transaction (each row a savepoint); the import page streams the
    counts to the browser when the file is long (`lib/progress.py`). Closing the iteration
    before its end (the browser went away) rolls everything back.
    """

    def __init__(self, actor: User, region: Region, sheet: Sheet, data: bytes, filename: str, mode: str) -> None:
        if not can(actor, Action.MANAGE, region):
            raise PermissionDenied(_("Only the region's administrator changes its setup."))
        self.actor, self.region, self.sheet = actor, region, sheet
        self.data, self.filename, self.mode = data, filename, mode
        self.report = Report()
        self.total: int | None = None
        self._table: Iterator[tuple[int, list[Any]]] | None = None
        self._opened = False

    def _set_total(self, total: int | None) -> None:
        self.total = total

    def open(self) -> None:
        """Open the file, so that `total` is known (iterating opens it if this was not called)."""
        if self._opened:
            return
        self._opened = True
        try:
            self._table = read_table(self.data, self.filename, self._set_total)
        except ImportFileError as exc:
            self.report.add(None, None, str(exc))

    def __iter__(self) -> Iterator[int]:
        self.open()
        report = self.report
        rows = self._table
        yield 0
        if rows is None:
            return
        try:
            first = next(rows, None)
            if first is None:
                report.add(None, None, _("The file is empty."))
                return
            columns = _header(self.sheet, first[1], report)
            if columns is None:
                return
            yield from self._rows(rows, columns)
        except ImportFileError as exc:
            report.add(None, None, str(exc))
            report.saved = 0
        yield report.rows

    def _rows(self, rows: Iterator[tuple[int, list[Any]]], columns: list[Column | None]) -> Iterator[int]:
        report = self.report
        with transaction.atomic():
            lookups = _Lookups(self.region)
            for number, values in rows:
                if not any(_text(v) for v in values):
                    continue
                report.rows += 1
                if report.rows > MAX_ROWS:
                    report.add(number, None, _("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
                    break
                if _import_row(self.actor, self.region, self.sheet, columns, number, values, lookups, report):
                    report.saved += 1
                if report.rows % PROGRESS_EVERY == 0:
                    yield report.rows
            if report.bad_rows and self.mode == Mode.ALL_OR_NOTHING:
                transaction.set_rollback(True)
                report.rolled_back = True
                report.saved = 0


def _import_row(
    actor: User,
    region: Region,
    sheet: Sheet,
    columns: list[Column | None],
    number: int,
    values: list[Any],
    lookups: _Lookups,
    report: Report,
) -> bool:
    data: dict[str, Any] = dict(sheet.defaults)
    names: dict[str, str] = {}
    ok = True
    for column, value in zip(columns, values, strict=False):
        if column is None:
            continue
        names[column.field] = column.name
        if isinstance(value, Formula):
            report.add(number, column.name, _("Formulas are not imported; type the value itself."))
            ok = False
            continue
        text = _text(value)
        if column.lookup and text:
            found = lookups.find(column.lookup, text)
            if found is None:
                report.add(number, column.name, str(_UNKNOWN[column.lookup]) % {"code": text})
                ok = False
                continue
            text = str(found)
        converted = _convert(sheet, column, text)
        if converted is None:
            report.add(number, column.name, _("“%(value)s” is not one of the accepted words.") % {"value": text})
            ok = False
            continue
        data[column.field] = converted
    if not ok:
        return False
    form = sheet.form(region, data)
    if not form.is_valid():
        for name, errors in form.errors.items():
            column_name = names.get(name) if name != "__all__" else None
            for error in errors:
                report.add(number, column_name, str(error))
        return False
    try:
        with transaction.atomic():
            sheet.save(actor, region, form)
    except IntegrityError:
        report.add(number, None, _("This row conflicts with a record already stored."))
        return False
    except ValidationError as exc:
        for message in exc.messages:
            report.add(number, None, message)
        return False
    lookups.learn(getattr(form, "instance", None))
    return True
