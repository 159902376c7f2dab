"""`pendopo restore DIR`: into an empty database and media folder, then counts and checksums compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pendopo.lib.backup import BackupError, restore
from pendopo.lib.env import parse_database_url


class Command(BaseCommand):
    help = "Restore a backup of `pendopo backup` into an empty database and media folder, and check it against its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="the backup's folder")
        parser.add_argument("--database-url", default="", help="the empty target database (default DATABASE_URL)")
        parser.add_argument("--media-root", default=None, help="the empty target media folder (default MEDIA_ROOT)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        db = parse_database_url(options["database_url"]) if options["database_url"] else settings.DATABASES["default"]
        media = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            report = restore(Path(options["directory"]), db, media_root=media)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(
                f"Restored {report.tables} tables, {report.rows} rows, {report.media_files} media files from {report.directory}."
            )
            for problem in report.problems:
                self.stdout.write(f"  DIFFERS: {problem}")
            if not report.problems:
                self.stdout.write("Row counts and checksums are identical to the backup's manifest.")
        if report.problems:
            raise CommandError(f"{len(report.problems)} differences from the backup's manifest.")
