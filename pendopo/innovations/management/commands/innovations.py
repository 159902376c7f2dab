"""`pendopo innovations index --period YEAR --spd S --scores A,B,C… --basic-services N [--json]`
and `pendopo innovations row --period YEAR --aspect sid --code 31 (--level L | --value V [--basis a]) [--json]`.

`index` prints the regional innovation index (IID) of a region's figures: its SPD total, each
innovation's SID row total, and how many of the six basic-service affairs the innovations cover;
`row` prints one row's score (weight × level) from the period's catalogue. Figures in `--json`
are strings with 2 decimals ("47.04"); the category is the published Bahasa Indonesia name.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from pendopo.innovations import catalogue, index
from pendopo.innovations.catalogue import CatalogueError


class Command(BaseCommand):
    help = "Regional innovation index (IID): the index of a region's figures, or one row's score."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{index,row}")
        whole = commands.add_parser("index", help="The IID and its category from SPD, SID scores and basic-service coverage.")
        whole.add_argument("--period", required=True, help="The period (year) whose catalogue applies, e.g. 2026.")
        whole.add_argument("--spd", required=True, help="The region's SPD total (sum of its row scores).")
        whole.add_argument(
            "--scores", default="", help="Each innovation's SID row total, comma-separated (or ';' with decimal commas)."
        )
        whole.add_argument(
            "--basic-services", required=True, help="How many of the six basic-service affairs the innovations cover (0-6)."
        )
        whole.add_argument("--json", action="store_true", help="Print a JSON object.")
        row = commands.add_parser("row", help="One row's score: weight x level, the level given or read from a value.")
        row.add_argument("--period", required=True)
        row.add_argument("--aspect", choices=[catalogue.SPD, catalogue.SID], default=catalogue.SID)
        row.add_argument("--code", required=True, help="The row's number in the catalogue, e.g. 31 or 5a.")
        row.add_argument("--level", help="The parameter level chosen (1, 2 or 3).")
        row.add_argument("--value", help="A measured value to read the level from (e.g. 350 beneficiaries).")
        row.add_argument("--basis", default="", help="Kemanfaatan (row 33): the basis of the value, a-f.")
        row.add_argument("--json", action="store_true", help="Print a JSON object.")

    @no_translations  # stable English output for scripts and logs, like the --json keys
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "index":
                self.index(options)
            else:
                self.row(options)
        except CatalogueError as exc:
            raise CommandError(str(exc)) from None

    def index(self, options: dict[str, Any]) -> None:
        period = catalogue.period(options["period"])
        try:
            basic = int(options["basic_services"])
        except ValueError:
            raise CommandError(f"--basic-services: {options['basic_services']!r} is not a whole number from 0 to 6.") from None
        result = index.compute(period, options["spd"], index.parse_scores(options["scores"]), basic).display()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Period: {result['period']} (maximum {result['maximum']})")
        self.stdout.write(f"SPD: {result['spd']}")
        self.stdout.write(
            f"Innovations: {result['innovations']} (divisor {result['divisor']}, empty seats {result['empty_seats']},"
            f" costing {result['empty_seats_cost']} points)"
        )
        self.stdout.write(f"SID rows: {result['rows_total']} / {result['divisor']} = {result['rows_score']}")
        self.stdout.write(
            f"Skor Jumlah Inovasi: {result['count_score']} (basic-service affairs {result['basic_services']}"
            f" of {result['basic_services_required']} required; missing coverage costs {result['coverage_cost']} points)"
        )
        self.stdout.write(f"SID: {result['sid']}")
        self.stdout.write(f"IID: {result['iid']}")
        self.stdout.write(f"Category: {result['category']}")

    def row(self, options: dict[str, Any]) -> None:
        period = catalogue.period(options["period"])
        indicator = period.indicator(options["aspect"], options["code"])
        if (options["level"] is None) == (options["value"] is None):
            raise CommandError("Give exactly one of --level or --value.")
        if options["level"] is not None:
            try:
                level: int | None = int(options["level"])
            except ValueError:
                raise CommandError(
                    f"Row {indicator.code}: the parameter level must be 1, 2 or 3, not {options['level']!r}."
                ) from None
        else:
            if indicator.bases and not options["basis"]:
                raise CommandError(f"Row {indicator.code} needs --basis, one of: {', '.join(b.code for b in indicator.bases)}.")
            try:
                value = Decimal(options["value"].strip().replace(",", "."))
            except InvalidOperation:
                raise CommandError(f"--value: {options['value']!r} is not a number.") from None
            level = indicator.level_for(value, options["basis"])
        score = indicator.score(level)
        result = {
            "period": period.year,
            "aspect": indicator.aspect,
            "code": indicator.code,
            "name": indicator.name,
            "weight": str(indicator.weight),
            "level": level,
            "score": str(score.quantize(Decimal("0.01"))),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{indicator.code} {indicator.name}: weight {indicator.weight} x level {level or '-'} = {result['score']}"
        )
