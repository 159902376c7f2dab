"""Importing a CSV or XLSX of prices collected elsewhere (SP2KP, a spreadsheet), all or nothing.

Header (Indonesian or English, any order, case-insensitive): `tanggal`/`date`, `pasar`/`market`,
`komoditas`/`commodity`, `harga`/`price`. A market is named by its code or name; a commodity by
its code, its PIHPS or Panel Harga id, or "name variant". Dates are `YYYY-MM-DD` or `DD/MM/YYYY`
(or spreadsheet dates). Every problem is reported with its row number; nothing is saved while
there is one. The table reader is the shared one (`lib/tables.py`: CSV with `,` `;`
or tab, XLSX first sheet, formulas refused).

The national panels' table export is read too (the *wide* layout: one row per commodity, one
column per date, as PIHPS's and SP2KP's price tables are downloaded): a `komoditas`/`commodity`
column, any `No` column, and date columns (`01/03/2025`, `01/ 03/ 2025`, `2025-03-01` or
spreadsheet dates); `-` or an empty cell is "not recorded that day". Such a file holds one
market's prices, so the importer chooses the market.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pendopo.lib import dates
from pendopo.lib.tables import ImportFileError, read_table
from pendopo.prices.models import Commodity, Market
from pendopo.prices.numbers import parse_price
from pendopo.regions.models import Region

COLUMNS = {
    "date": ("date", "tanggal"),
    "market": ("market", "pasar"),
    "commodity": ("commodity", "komoditas"),
    "price": ("price", "harga"),
}
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Row:
    number: int
    day: dt.date
    market: Market
    commodity: Commodity
    price: int


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 -- a calendar date, no time
        except ValueError:
            continue
    return None


def _commodity_index() -> dict[str, Commodity]:
    index: dict[str, Commodity] = {}
    for c in Commodity.objects.filter(is_active=True):
        for key in (c.code, c.pihps_id, c.panel_id, f"{c.name} {c.variant}".strip(), str(c)):
            if key:
                index.setdefault(key.strip().lower(), c)
    return index


def _header_day(value: Any) -> dt.date | None:
    if isinstance(value, str):
        value = "".join(value.split())  # "01/ 03/ 2025", as PIHPS writes its column headers
    return _day(value)


def parse(data: bytes, filename: str, region: Region, market: Market | None = None) -> Parsed:
    """Rows of either layout; `market` is the market of a file in the wide layout."""
    out = Parsed()
    try:
        table = list(read_table(data, filename))
    except ImportFileError as exc:
        out.problems.append(str(exc))
        return out
    first = next(((number, values) for number, values in table if any(str(v or "").strip() for v in values)), None)
    if first is not None:
        names = [str(v or "").strip().lower() for v in first[1]]
        if not any(name in COLUMNS["date"] for name in names) and any(_header_day(v) for v in first[1]):
            return _parse_wide(table, region, market)
    return _parse_long(table, region)


def _parse_wide(table: list[tuple[int, list[Any]]], region: Region, market: Market | None) -> Parsed:
    out = Parsed()
    if market is None or market.region_id != region.pk:
        out.problems.append(_("This file has a column per date (the national panels' table): choose its market."))
        return out
    commodities = _commodity_index()
    today = dates.today(region.time_zone)
    header: dict[int, dt.date] | None = None
    name_column = -1
    for number, values in table:
        cells = [("" if v is None else v) for v in values]
        if not any(str(v).strip() for v in cells):
            continue
        if header is None:
            names = [str(v).strip().lower() for v in cells]
            found = [
                i for i, name in enumerate(names) if name in COLUMNS["commodity"] or name.startswith(("komoditas", "commodity"))
            ]
            if not found:
                out.problems.append(
                    _("Row %(row)s: the header lacks the column %(columns)s.") % {"row": number, "columns": "komoditas"}
                )
                return out
            name_column = found[0]
            header = {i: day for i, v in enumerate(cells) if i != name_column and (day := _header_day(v)) is not None}
            future = sorted({d for d in header.values() if d > today})
            if future:
                out.problems.append(_("The date %(date)s is in the future.") % {"date": future[0].isoformat()})
                return out
            continue
        name = str(cells[name_column] if name_column < len(cells) else "").strip()
        commodity = commodities.get(name.lower())
        if commodity is None:
            out.problems.append(
                _("Row %(row)s: %(problem)s") % {"row": number, "problem": _("Unknown commodity “%(value)s”.") % {"value": name}}
            )
            continue
        for index, day in header.items():
            value = cells[index] if index < len(cells) else ""
            if str(value).strip() in ("", "-", "–"):
                continue
            if len(out.rows) + len(out.problems) >= MAX_ROWS:
                out.problems.append(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
                return out
            try:
                price = parse_price(value)
            except ValidationError as exc:
                out.problems.extend(
                    _("Row %(row)s: %(problem)s") % {"row": number, "problem": f"{day:%d/%m/%Y}: {message}"}
                    for message in exc.messages
                )
                continue
            out.rows.append(Row(number, day, market, commodity, price))
    if header is None:
        out.problems.append(_("The file is empty."))
    return out


def _parse_long(table: list[tuple[int, list[Any]]], region: Region) -> Parsed:
    out = Parsed()
    header: dict[str, int] | None = None
    markets = {}
    for m in Market.objects.filter(region=region, is_active=True):
        markets[m.code.lower()] = m
        markets[m.name.strip().lower()] = m
    commodities = _commodity_index()
    today = dates.today(region.time_zone)
    seen: dict[tuple[int, int, dt.date], int] = {}
    for number, values in table:
        cells = [("" if v is None else v) for v in values]
        if header is None:
            names = [str(v).strip().lower() for v in cells]
            header = {}
            for key, aliases in COLUMNS.items():
                found = [i for i, name in enumerate(names) if name in aliases]
                if found:
                    header[key] = found[0]
            missing = [COLUMNS[k][1] for k in COLUMNS if k not in header]
            if missing:
                out.problems.append(
                    _("Row %(row)s: the header lacks the column(s) %(columns)s (expected: tanggal, pasar, komoditas, harga).")
                    % {"row": number, "columns": ", ".join(missing)}
                )
                return out
            continue
        if not any(str(v).strip() for v in cells):
            continue
        if len(out.rows) + len(out.problems) >= MAX_ROWS:
            out.problems.append(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
            return out

        def cell(key: str, cells: list[Any] = cells, columns: dict[str, int] = header) -> Any:
            index = columns[key]
            return cells[index] if index < len(cells) else ""

        problems = []
        day = _day(cell("date"))
        if day is None:
            problems.append(_("“%(value)s” is not a date (YYYY-MM-DD or DD/MM/YYYY).") % {"value": cell("date")})
        elif day > today:
            problems.append(_("The date %(date)s is in the future.") % {"date": day.isoformat()})
        market = markets.get(str(cell("market")).strip().lower())
        if market is None:
            problems.append(_("Unknown market “%(value)s”.") % {"value": cell("market")})
        commodity = commodities.get(str(cell("commodity")).strip().lower())
        if commodity is None:
            problems.append(_("Unknown commodity “%(value)s”.") % {"value": cell("commodity")})
        price = 0
        try:
            price = parse_price(cell("price"))
        except ValidationError as exc:
            problems.extend(exc.messages)
        if not problems and market is not None and commodity is not None and day is not None:
            where = (market.pk, commodity.pk, day)
            if where in seen:
                problems.append(_("The same market, commodity and date as row %(row)s.") % {"row": seen[where]})
            seen[where] = number
        if problems:
            out.problems.extend(_("Row %(row)s: %(problem)s") % {"row": number, "problem": p} for p in problems)
            continue
        assert market is not None and commodity is not None and day is not None  # noqa: S101 -- checked above
        out.rows.append(Row(number, day, market, commodity, price))
    if header is None:
        out.problems.append(_("The file is empty."))
    return out
