"""`pendopo load_areas [--json] [--data-dir DIR]`: load Indonesia's reference areas."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pendopo.regions.areas import AreaDataError, load_areas


class Command(BaseCommand):
    # A lazy text, translated when the help is printed (django-stubs type BaseCommand.help as str).
    help = gettext_lazy(  # type: ignore[assignment]  # a lazy help text; BaseCommand.help is typed str
        "Load Indonesia's provinces, regencies and cities, districts and villages (Kemendagri codes) "
        "from the data shipped with Pendopo. Safe to run again: only what changed is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help=_("Print the counts per level as JSON."))
        parser.add_argument(
            "--data-dir",
            type=Path,
            help=_("Load from this directory (provinces, regencies, districts, villages as .csv.gz or .csv)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            counts = load_areas(None if options["json"] else self.stdout, data_dir=options["data_dir"])
        except AreaDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(_("Reference areas are up to date (%(seconds).1f s).") % {"seconds": time.monotonic() - started})
