"""`pendopo prices deviation PRICE --ceiling C [--floor F] [--json]`,
`pendopo prices iph PRICES --weights WEIGHTS --through DATE [--json]` and
`pendopo prices load-reference`.

The figures are those of the pages (pendopo/prices/indicators.py), exact Decimal shown half up
to 2 decimals; JSON figures are strings ("1.80", "-11.33").
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from pendopo.prices import files, indicators
from pendopo.prices.numbers import parse_price

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = "Staple-food prices: the deviation from a reference, the IPH of a file of prices, loading the reference data."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{deviation,iph,load-reference}")
        dev = commands.add_parser("deviation", help="Deviation of a price from its reference, in %.")
        dev.add_argument("price", help="Whole rupiah (13500, 13.500 or 13,500).")
        dev.add_argument("--ceiling", required=True, help="The ceiling (HET), single value (HAP) or upper bound of a range.")
        dev.add_argument("--floor", help="The lower bound of a range reference (HAP).")
        dev.add_argument("--json", action="store_true", help="Print a JSON object.")
        iph = commands.add_parser("iph", help="The IPH (Pendopo's estimate) and each commodity's contribution (andil).")
        iph.add_argument("prices", help="CSV with the columns date,commodity,price.")
        iph.add_argument("--weights", required=True, help="CSV with the columns commodity,weight.")
        iph.add_argument("--through", required=True, help="The last day of the month to date (YYYY-MM-DD).")
        iph.add_argument("--json", action="store_true", help="Print a JSON object.")
        commands.add_parser("load-reference", help="Load the commodity list and the 2024–2025 reference prices (idempotent).")

    @no_translations  # stable English output for scripts and logs, like the --json keys
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "deviation":
            self.deviation(options)
        elif options["action"] == "iph":
            self.iph(options)
        else:
            from pendopo.prices.reference_data import load_reference_data

            made, refs = load_reference_data()
            self.stdout.write(f"Commodities created: {made}; reference prices created: {refs}")

    def _price(self, value: str, what: str) -> int:
        try:
            return parse_price(value)
        except ValidationError:
            raise CommandError(f"{what} {value!r} is not a price in whole rupiah above zero (13500, 13.500 or 13,500).") from None

    def deviation(self, options: dict[str, Any]) -> None:
        price = self._price(options["price"], "PRICE")
        ceiling = self._price(options["ceiling"], "--ceiling")
        floor = self._price(options["floor"], "--floor") if options["floor"] is not None else None
        if floor is not None and floor >= ceiling:
            raise CommandError(f"--floor {floor} must be below --ceiling {ceiling}.")
        kind = indicators.ReferenceKind.RANGE if floor is not None else indicators.ReferenceKind.CEILING
        result = indicators.deviation(price, kind, ceiling, floor)
        figures = {
            "price": price,
            "ceiling": ceiling,
            "floor": floor,
            "deviation": indicators.show(result.percent),
            "status": result.status.value,
        }
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        reference = f"{floor}–{ceiling}" if floor is not None else str(ceiling)
        self.stdout.write(f"Price {price} against {reference}: {figures['deviation']} % ({result.status.value})")

    def _read(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.") from None

    def _check(self, path: str, parsed: files.Parsed) -> None:
        if parsed.problems:
            lines = parsed.problems[:SHOWN_PROBLEMS]
            if len(parsed.problems) > SHOWN_PROBLEMS:
                lines.append(f"... and {len(parsed.problems) - SHOWN_PROBLEMS} more problem(s).")
            raise CommandError(f"{path}: the file cannot be used.\n" + "\n".join(lines))

    def iph(self, options: dict[str, Any]) -> None:
        try:
            through = dt.date.fromisoformat(options["through"])
        except ValueError:
            raise CommandError(f"--through {options['through']!r} is not a date (YYYY-MM-DD).") from None
        prices = files.read_prices(self._read(options["prices"]))
        self._check(options["prices"], prices)
        weights = files.read_weights(self._read(options["weights"]))
        self._check(options["weights"], weights)
        result = indicators.iph(prices.series, weights.weights, through)
        if result.value is None:
            raise CommandError(f"No commodity has prices both in the month to {through} and in the previous month.")
        figures = result.display()
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        self.stdout.write(f"IPH {figures['month']} through {through} against {figures['previous_month']}: {figures['iph']} %")
        for contribution in result.contributions:
            shown = contribution.display()
            self.stdout.write(
                f"  {contribution.commodity}: share {shown['share']}, {shown['previous_average']} → "
                f"{shown['month_to_date_average']} ({shown['change']} %), andil {shown['andil']}"
            )
        if result.left_out:
            self.stdout.write("Left out (no prices in one of the months; shares rescaled): " + ", ".join(result.left_out))
        self.stdout.write(str(figures["note"]))
