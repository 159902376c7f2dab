"""Waiting-time statistics, counted honestly (reference §9). Framework-free: the page, the export and
`pendopo queue stats FILE` all compute through `figures()`.

- waiting time: first call − issue; call-to-start; service time: finished − started;
- median and 90th percentile by linear interpolation between closest ranks (PostgreSQL's
  `percentile_cont`), over called tickets;
- share within target T: called with wait ≤ T ÷ (all called + not called whose wait already
  exceeds T: still waiting at `at`, or canceled after waiting longer than T). No-shows are called
  tickets, so a no-show called after T counts against. Canceled before a call within T: neither;
- no-show rate: no-shows (canceled after a call) ÷ called;
- tickets per hour: issued tickets per local clock hour.

Seconds are rounded half up to two decimals (a whole number prints without decimals);
percentages are Decimal strings with two decimals ("50.00"), rounded half up.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

COLUMNS = ("ticket", "issued", "called", "started", "finished", "canceled")
_CENT = Decimal("0.01")


class StatsError(ValueError):
    pass


@dataclass(frozen=True)
class Record:
    ticket: str
    issued: dt.datetime
    called: dt.datetime | None = None
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    canceled: dt.datetime | None = None
    target_seconds: int | None = None  # per ticket (its pool's target); None: the run's target

    @property
    def wait(self) -> float | None:
        return (self.called - self.issued).total_seconds() if self.called else None

    @property
    def service(self) -> float | None:
        return (self.finished - self.started).total_seconds() if self.started and self.finished else None

    @property
    def no_show(self) -> bool:
        return self.called is not None and self.canceled is not None and self.finished is None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (percentile_cont): position fraction × (n − 1)."""
    if not values:
        return None
    ordered = sorted(values)
    position = Decimal(str(fraction)) * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    return float(Decimal(str(ordered[lower])) + (Decimal(str(ordered[upper])) - Decimal(str(ordered[lower]))) * weight)


def seconds(value: float | None) -> int | float | None:
    if value is None:
        return None
    rounded = Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def percent(part: int, whole: int) -> str | None:
    if whole == 0:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP))


def figures(records: Iterable[Record], *, target_seconds: int, at: dt.datetime) -> dict[str, Any]:
    rows = list(records)
    called = [r for r in rows if r.called is not None]
    waits = [r.wait for r in called if r.wait is not None]
    services = [s for s in (r.service for r in rows) if s is not None]
    to_start = [(r.started - r.called).total_seconds() for r in called if r.started and r.called]
    within = 0
    late_uncalled = 0
    for r in rows:
        target = r.target_seconds if r.target_seconds is not None else target_seconds
        if r.called is not None:
            within += (r.called - r.issued).total_seconds() <= target
        else:
            end = r.canceled if r.canceled is not None else at
            late_uncalled += (end - r.issued).total_seconds() > target
    no_shows = sum(r.no_show for r in called)
    return {
        "tickets": len(rows),
        "called": len(called),
        "waiting": sum(1 for r in rows if r.called is None and r.canceled is None),
        "median_wait_seconds": seconds(percentile(waits, 0.5)),
        "p90_wait_seconds": seconds(percentile(waits, 0.9)),
        "median_call_to_start_seconds": seconds(percentile(to_start, 0.5)),
        "mean_service_seconds": seconds(sum(services) / len(services)) if services else None,
        "within_target_percent": percent(within, len(called) + late_uncalled),
        "no_show_percent": percent(no_shows, len(called)),
    }


def tickets_per_hour(records: Iterable[Record], tz: dt.tzinfo) -> list[tuple[int, int]]:
    counts = Counter(r.issued.astimezone(tz).hour for r in records)
    return sorted(counts.items())


# --- files ---------------------------------------------------------------------------------


def _moment(text: str, where: str) -> dt.datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise StatsError(f"{where}: {text!r} is not an ISO 8601 time (e.g. 2026-12-07T09:00:00+07:00).") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise StatsError(f"{where}: {text!r} has no UTC offset (e.g. +07:00).")
    return value


def parse_rows(table: list[list[Any]]) -> list[Record]:
    """Rows of a CSV or XLSX export: the header names the columns (others are ignored)."""
    if not table:
        raise StatsError("The file is empty.")
    header = [str(cell or "").strip().lower() for cell in table[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise StatsError(f"Missing column(s): {', '.join(missing)} (expected {','.join(COLUMNS)}).")
    index = {name: header.index(name) for name in COLUMNS}
    records = []
    for number, row in enumerate(table[1:], start=2):
        if not any(str(cell or "").strip() for cell in row):
            continue
        cells = {name: (row[i] if i < len(row) else "") for name, i in index.items()}
        times: dict[str, dt.datetime | None] = {}
        for name in COLUMNS[1:]:
            value = cells[name]
            times[name] = value if isinstance(value, dt.datetime) else _moment(str(value or ""), f"row {number}, {name}")
            if isinstance(value, dt.datetime) and value.tzinfo is None:
                raise StatsError(f"row {number}, {name}: the time has no UTC offset.")
        if times["issued"] is None:
            raise StatsError(f"row {number}: issued is required.")
        order = [("issued", "called"), ("called", "started"), ("started", "finished")]
        for earlier, later in order:
            first, second = times[earlier], times[later]
            if first is not None and second is not None and second < first:
                raise StatsError(f"row {number}: {later} is before {earlier}.")
        if times["started"] and not times["called"]:
            raise StatsError(f"row {number}: started without called.")
        records.append(
            Record(
                str(cells["ticket"] or ""),
                times["issued"],
                times["called"],
                times["started"],
                times["finished"],
                times["canceled"],
            )
        )
    return records


def read_file(data: bytes, name: str) -> list[Record]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # noqa: BLE001 -- any unreadable workbook is the same answer
            raise StatsError(f"{name} is not a readable XLSX file ({exc}).") from None
        return parse_rows([list(row) for row in sheet.iter_rows(values_only=True)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatsError(f"{name} is not UTF-8 text.") from None
    return parse_rows([list(row) for row in csv.reader(io.StringIO(text))])
