"""The national commodity list and reference prices for 2024–2025, loaded from `data/*.csv`.

Sources and caveats: /shared/reference/prices.md §2–§3 and docs/prices.md. Loading is
idempotent (commodities by code, references by commodity, zone and start date) and does not
overwrite a reference someone has edited since.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from pendopo.prices.models import Commodity, ReferencePrice

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference_data() -> tuple[int, int]:
    """Create the missing commodities and reference prices; returns how many of each were created."""
    commodities = {c.code: c for c in Commodity.objects.all()}
    new_commodities = []
    for order, row in enumerate(_rows("commodities.csv"), start=1):
        if row["code"] in commodities:
            continue
        new_commodities.append(
            Commodity(
                code=row["code"],
                name=row["name"],
                variant=row["variant"],
                unit=row["unit"],
                family=row["family"],
                pihps_id=row["pihps_id"],
                panel_id=row["panel_id"],
                plausible_min=int(row["plausible_min"]),
                plausible_max=int(row["plausible_max"]),
                order=order,
            )
        )
    Commodity.objects.bulk_create(new_commodities)
    commodities = {c.code: c for c in Commodity.objects.all()}
    have = set(ReferencePrice.objects.values_list("commodity__code", "zone", "valid_from"))
    new_refs = []
    for row in _rows("references.csv"):
        start = dt.date.fromisoformat(row["valid_from"])
        for zone in (int(z) for z in row["zones"]):
            if (row["commodity"], zone, start) in have:
                continue
            new_refs.append(
                ReferencePrice(
                    commodity=commodities[row["commodity"]],
                    zone=zone,
                    kind=row["kind"],
                    lower=int(row["lower"]) if row["lower"] else None,
                    upper=int(row["upper"]) if row["upper"] else None,
                    regulation=row["regulation"],
                    valid_from=start,
                    valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                    note=row["note"],
                )
            )
    for ref in new_refs:
        ref.full_clean()  # the data file itself must not hold overlapping versions
    ReferencePrice.objects.bulk_create(new_refs)
    return len(new_commodities), len(new_refs)
