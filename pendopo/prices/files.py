"""Reading the analysts' CSV files: prices (`date,commodity,price`) and weights (`commodity,weight`).

Problems are collected per row (numbered as a spreadsheet shows them, the header being row 1)
and nothing is used when there is any.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from pendopo.prices.indicators import Series, daily_means
from pendopo.prices.numbers import parse_price


@dataclass
class Parsed:
    series: dict[str, Series] = field(default_factory=dict)
    weights: dict[str, Decimal] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _reader(text: str, header: list[str], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    found = [name.strip().lower() for name in (reader.fieldnames or [])]
    if found[: len(header)] != header:
        problems.append(f"Row 1: the header must be {','.join(header)} (found {','.join(found) or 'nothing'}).")
        return []
    return [
        (number, {k.strip().lower(): (v or "").strip() for k, v in row.items() if k})
        for number, row in enumerate(reader, start=2)
    ]


def read_prices(text: str) -> Parsed:
    """Daily prices per commodity (several rows of one day, e.g. one per market, are averaged)."""
    out = Parsed()
    rows: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    for number, row in _reader(text, ["date", "commodity", "price"], out.problems):
        try:
            day = dt.date.fromisoformat(row["date"])
        except ValueError:
            out.problems.append(f"Row {number}: {row['date']!r} is not a date (YYYY-MM-DD).")
            continue
        if not row["commodity"]:
            out.problems.append(f"Row {number}: the commodity is empty.")
            continue
        try:
            price = parse_price(row["price"])
        except ValidationError:
            out.problems.append(f"Row {number}: {row['price']!r} is not a price in whole rupiah above zero.")
            continue
        rows[row["commodity"]].append((day, price))
    out.series = {name: daily_means(values) for name, values in rows.items()}
    return out


def read_weights(text: str) -> Parsed:
    out = Parsed()
    for number, row in _reader(text, ["commodity", "weight"], out.problems):
        name, raw = row["commodity"], row["weight"].replace(",", ".")
        try:
            weight = Decimal(raw)
        except InvalidOperation:
            weight = Decimal(-1)
        if not name or not weight.is_finite() or weight < 0:
            out.problems.append(f"Row {number}: {row['weight']!r} is not a weight (a number, 0 or more).")
            continue
        if name in out.weights:
            out.problems.append(f"Row {number}: {name} has a weight already.")
            continue
        out.weights[name] = weight
    if not out.problems and not any(out.weights.values()):
        out.problems.append("The weights are all zero or missing.")
    return out
