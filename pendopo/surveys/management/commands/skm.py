"""`pendopo skm ikm FILE [--json]` and `pendopo skm sample-size POPULATION [--json]`.

`ikm` reads a CSV or XLSX of responses (columns U1..U9, optional profile columns; see
pendopo/surveys/importing.py) and prints the respondents, the nine NRR, the index, the
converted index, the grade and the regulation's performance label. `sample-size` prints the
minimum sample (Krejcie–Morgan) for a number of people served.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from pendopo.surveys import ikm, importing

# How many row problems the error message lists before "and N more".
SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = "Community satisfaction survey (SKM): compute the index of a file, or the minimum sample size."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{ikm,sample-size}")
        index = commands.add_parser("ikm", help="The index (IKM) of a CSV or XLSX of responses (columns U1..U9).")
        index.add_argument("file", help="CSV or XLSX file, one row per respondent.")
        index.add_argument("--json", action="store_true", help="Print a JSON object.")
        sample = commands.add_parser("sample-size", help="Minimum number of respondents for a number of people served.")
        sample.add_argument("population", help="People served in the period (a whole number, 0 or more).")
        sample.add_argument("--json", action="store_true", help="Print a JSON object.")

    @no_translations  # stable English output for scripts and logs, like the --json keys
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "ikm":
            self.index(options["file"], as_json=options["json"])
        else:
            self.sample_size(options["population"], as_json=options["json"])

    def index(self, path: str, *, as_json: bool) -> None:
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        result = importing.parse(data, file.name)
        if result.problems or not result.rows:
            lines = [str(problem) for problem in result.problems[:SHOWN_PROBLEMS]]
            if result.problem_count > SHOWN_PROBLEMS:
                lines.append(f"... and {result.problem_count - SHOWN_PROBLEMS} more problem(s).")
            raise CommandError(f"{path}: the file cannot be used.\n" + "\n".join(lines))
        figures = ikm.from_scores(row.scores for row in result.rows).display()
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Respondents: {figures['respondents']}")
        nrr = figures["nrr"]
        if not isinstance(nrr, dict):  # display() gives {element code: NRR text}
            raise TypeError(nrr)
        for code, value in nrr.items():
            self.stdout.write(f"NRR {code}: {value}")
        self.stdout.write(f"IKM: {figures['ikm']}")
        self.stdout.write(f"Converted IKM: {figures['converted']}")
        self.stdout.write(f"Grade: {figures['grade']}")
        self.stdout.write(f"Label: {figures['label']}")

    def sample_size(self, value: str, *, as_json: bool) -> None:
        text = value.strip()
        # 1.000 and 10.000 as Indonesians write thousands.
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        try:
            population = int(text)
            sample = ikm.sample_size(population)
        except (ValueError, ikm.IkmError):
            raise CommandError(f"{value!r} is not a number of people served (a whole number, 0 or more).") from None
        if as_json:
            self.stdout.write(json.dumps({"population": population, "sample": sample}))
        else:
            self.stdout.write(f"Minimum sample for {population} people served: {sample}")
