"""The index catalogue per period, read from `data/catalogue.yaml` (framework-free apart from gettext).

Every figure the index uses — the indicators with their weights and levels, the minimum
divisor, the basic-service rule, the count score and the category bands — is data of a period,
never a constant in code (/work/shared/reference/innovation.md §4, §11: the rules drift yearly).
A new period is a new entry in the data file, reviewed like code; `tests/test_catalogue.py`
checks every period's maxima and levels.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

DATA = Path(__file__).parent / "data" / "catalogue.yaml"

LEVELS = (1, 2, 3)

SPD = "spd"
SID = "sid"


class CatalogueError(ValueError):
    """An input that the period's catalogue cannot score (unknown period or row, a level outside 1–3)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Level:
    number: int
    label: str
    low: Decimal | None = None
    high: Decimal | None = None

    def contains(self, value: Decimal) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    @property
    def measured(self) -> bool:
        return self.low is not None or self.high is not None


@dataclass(frozen=True)
class Basis:
    """One basis of Kemanfaatan (row 33): each has its own levels, never mixed."""

    code: str
    name: str
    levels: tuple[Level, ...]


@dataclass(frozen=True)
class Indicator:
    aspect: str
    code: str
    variable: str
    name: str
    weight: Decimal
    mandatory: bool
    levels: tuple[Level, ...]
    guidance: str = ""
    source: str = ""
    bases: tuple[Basis, ...] = ()
    confirmed: bool = True

    @property
    def maximum(self) -> Decimal:
        return self.weight * LEVELS[-1]

    def score(self, level: int | None) -> Decimal:
        """weight × level; 0 for an unanswered row. A level outside 1–3 is refused."""
        if level is None:
            return Decimal(0)
        if level not in LEVELS:
            raise CatalogueError(
                _("Row %(code)s: the parameter level must be 1, 2 or 3, not %(level)s.") % {"code": self.code, "level": level},
                "level",
            )
        return self.weight * level

    def basis(self, code: str) -> Basis:
        for basis in self.bases:
            if basis.code == code:
                return basis
        raise CatalogueError(_("Row %(code)s has no basis %(basis)r.") % {"code": self.code, "basis": code}, "basis")

    def level_for(self, value: Decimal | int, basis: str = "") -> int | None:
        """The level a measured value reaches (the highest level whose bounds hold it), or None.

        Several printed bounds overlap by 0.01 (§5); taking the highest level settles an overlap
        in the region's favour, as a verifier reading the table would.
        """
        levels = self.basis(basis).levels if basis else self.levels
        value = Decimal(value)
        for level in reversed(levels):
            if level.measured and level.contains(value):
                return level.number
        return None


@dataclass(frozen=True)
class Band:
    lowest: Decimal
    category: str


@dataclass(frozen=True)
class Period:
    year: int
    title: str
    min_divisor: int
    basic_services_required: int
    count_factor: Decimal
    count_cap: int
    bands: tuple[Band, ...]
    eligible_from: datetime.date
    eligible_to: datetime.date
    design_words: int
    spd: tuple[Indicator, ...]
    sid: tuple[Indicator, ...]
    confirmed: bool = True
    note: str = ""
    _by_code: dict[tuple[str, str], Indicator] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for indicator in (*self.spd, *self.sid):
            self._by_code[(indicator.aspect, indicator.code)] = indicator

    @property
    def spd_maximum(self) -> Decimal:
        return sum((row.maximum for row in self.spd), Decimal(0))

    @property
    def sid_maximum(self) -> Decimal:
        """The most one innovation can score on its rows."""
        return sum((row.maximum for row in self.sid), Decimal(0))

    @property
    def count_maximum(self) -> Decimal:
        return self.count_cap * self.count_factor

    @property
    def total_maximum(self) -> Decimal:
        """Skor Total Maksimum: 63 + 111 + 76 = 250 in 2026."""
        return self.spd_maximum + self.sid_maximum + self.count_maximum

    @property
    def unconfirmed(self) -> list[Indicator]:
        """The rows whose figures the reference could not confirm from the guideline (`confirmed: false`)."""
        return [row for row in (*self.spd, *self.sid) if not row.confirmed]

    def indicator(self, aspect: str, code: str) -> Indicator:
        try:
            return self._by_code[(aspect, code)]
        except KeyError:
            raise CatalogueError(
                _("The %(year)s catalogue has no %(aspect)s row %(code)s.")
                % {"year": self.year, "aspect": aspect.upper(), "code": code},
                "indicator",
            ) from None

    def category(self, iid: Decimal) -> str:
        """The category (in Bahasa Indonesia, as published) of an IID already rounded to 2 decimals."""
        for band in self.bands:
            if iid >= band.lowest:
                return band.category
        return self.bands[-1].category


def _levels(raw: list[Any]) -> tuple[Level, ...]:
    if len(raw) != len(LEVELS):
        raise ValueError(f"an indicator needs exactly {len(LEVELS)} levels, not {len(raw)}")
    levels = []
    for number, item in zip(LEVELS, raw, strict=True):
        if isinstance(item, str):
            levels.append(Level(number, item))
        else:
            low, high = item.get("min"), item.get("max")
            levels.append(
                Level(
                    number,
                    item["label"],
                    Decimal(str(low)) if low is not None else None,
                    Decimal(str(high)) if high is not None else None,
                )
            )
    return tuple(levels)


def _indicator(aspect: str, raw: dict[str, Any]) -> Indicator:
    return Indicator(
        aspect=aspect,
        code=str(raw["code"]),
        variable=raw["variable"],
        name=raw["name"],
        weight=Decimal(str(raw["weight"])),
        mandatory=bool(raw.get("mandatory", False)),
        levels=_levels(raw["levels"]),
        guidance=raw.get("guidance", ""),
        source=raw.get("source", ""),
        bases=tuple(Basis(str(b["code"]), b["name"], _levels(b["levels"])) for b in raw.get("bases", ())),
        confirmed=bool(raw.get("confirmed", True)),
    )


def _sid_rows(raw: dict[str, Any], by_year: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    if "sid" in raw:
        return raw["sid"]
    rows = [dict(row) for row in _sid_rows(by_year[raw["sid_from"]], by_year)]
    for change in raw.get("sid_changes", ()):
        row = next(r for r in rows if str(r["code"]) == str(change["code"]))
        for key, value in change.items():
            if key == "bases":
                # A changed basis replaces only itself; the others stay.
                changed = {str(b["code"]): b for b in value}
                row["bases"] = [changed.get(str(b["code"]), b) for b in row["bases"]]
            else:
                row[key] = value
    return rows


def parse(text: str) -> dict[int, Period]:
    data = yaml.safe_load(text)
    by_year = {int(raw["year"]): raw for raw in data["periods"]}
    periods = {}
    for year, raw in by_year.items():
        eligibility = raw["eligibility"]
        periods[year] = Period(
            year=year,
            title=raw["title"],
            min_divisor=int(raw["min_divisor"]),
            basic_services_required=int(raw["basic_services_required"]),
            count_factor=Decimal(str(raw["count_factor"])),
            count_cap=int(raw["count_cap"]),
            bands=tuple(Band(Decimal(lowest), category) for lowest, category in raw["bands"]),
            eligible_from=eligibility["from"],
            eligible_to=eligibility["to"],
            design_words=int(eligibility["design_words"]),
            spd=tuple(_indicator(SPD, row) for row in raw["spd"]),
            sid=tuple(_indicator(SID, row) for row in _sid_rows(raw, by_year)),
            confirmed=bool(raw.get("confirmed", True)),
            note=raw.get("note", ""),
        )
    return periods


@cache
def periods() -> dict[int, Period]:
    return parse(DATA.read_text(encoding="utf-8"))


def years() -> list[int]:
    return sorted(periods())


def period(year: int | str) -> Period:
    try:
        return periods()[int(year)]
    except (KeyError, ValueError):
        raise CatalogueError(
            _("There is no index catalogue for the period %(year)s (known: %(known)s).")
            % {"year": year, "known": ", ".join(str(y) for y in years())},
            "period",
        ) from None
