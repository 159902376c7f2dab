"""`pendopo sakip evaluate FILE [--json]` and `pendopo sakip achievement --target T --realisation R ...`.

`evaluate` reads a CSV or XLSX worksheet (columns subcomponent, weight, value; see
pendopo/performance/worksheet.py) and prints each sub-component's score, the component
subtotals, the final score and the grade (AA–E). `achievement` prints one indicator's
achievement (capaian). Figures are strings with 2 decimals, rounded half up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from pendopo.performance import achievement as capaian
from pendopo.performance import scoring, worksheet


class Command(BaseCommand):
    help = "Performance accountability (SAKIP): score an LKE worksheet, or compute one achievement."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{evaluate,achievement}")
        evaluate = commands.add_parser("evaluate", help="Score a CSV or XLSX worksheet (columns subcomponent, weight, value).")
        evaluate.add_argument("file", help="CSV or XLSX file, one row per sub-component (1.a, 1.b, ...).")
        evaluate.add_argument("--json", action="store_true", help="Print a JSON object.")
        one = commands.add_parser("achievement", help="The achievement (capaian) of a realisation against its target.")
        one.add_argument("--target", required=True, help="The target (the lower end of a range with --target-high).")
        one.add_argument("--target-high", help="The upper end of a range target.")
        one.add_argument("--realisation", required=True, help="The realisation.")
        one.add_argument(
            "--polarity", choices=["higher", "lower"], default="higher", help="Higher or lower is better (default higher)."
        )
        one.add_argument("--json", action="store_true", help="Print a JSON object.")

    @no_translations  # stable English output for scripts and logs, like the --json keys
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "evaluate":
            self.evaluate(options["file"], as_json=options["json"])
        else:
            self.achievement(options, as_json=options["json"])

    def evaluate(self, path: str, *, as_json: bool) -> None:
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        try:
            result = scoring.score(worksheet.read(data, file.name))
        except scoring.ScoringError as exc:
            raise CommandError(f"{path}: the worksheet cannot be scored.\n" + "\n".join(exc.problems)) from None
        figures = result.display()
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        for line in figures["subcomponents"]:  # type: ignore[attr-defined]  # display() types its JSON shape as dict[str, object]
            self.stdout.write(f"{line['code']}: {line['score']} of {line['weight']} (value {line['value']})")
        for component in figures["components"]:  # type: ignore[attr-defined]  # display() types its JSON shape as dict[str, object]
            self.stdout.write(f"Component {component['code']}: {component['score']} of {component['weight']}")
        self.stdout.write(f"Total: {figures['total']}")
        self.stdout.write(f"Grade: {figures['grade']} ({figures['label']})")

    def achievement(self, options: dict[str, Any], *, as_json: bool) -> None:
        polarity = capaian.Polarity.HIGHER if options["polarity"] == "higher" else capaian.Polarity.LOWER
        try:
            target, realisation = capaian.to_fraction(options["target"]), capaian.to_fraction(options["realisation"])
            if options["target_high"] is not None:
                result = capaian.achievement(
                    capaian.Polarity.RANGE,
                    target,
                    realisation,
                    target_high=capaian.to_fraction(options["target_high"]),
                    range_polarity=polarity,
                )
            else:
                result = capaian.achievement(polarity, target, realisation)
        except capaian.AchievementError as exc:
            raise CommandError(str(exc)) from None
        figures: dict[str, object] = {
            "polarity": str(polarity),
            "target": scoring.fmt(target),
            **({"target_high": scoring.fmt(capaian.to_fraction(options["target_high"]))} if options["target_high"] else {}),
            "realisation": scoring.fmt(realisation),
            **result.display(),
        }
        band = capaian.band_of(result)
        figures["band"] = band[0] if band else None
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        if not result.computable:
            self.stdout.write("Achievement: not computable (the target is 0)")
            return
        flag = " (negative: the realisation is more than twice the target)" if capaian.Flag.NEGATIVE in result.flags else ""
        self.stdout.write(f"Achievement: {figures['achievement']} %{flag}")
