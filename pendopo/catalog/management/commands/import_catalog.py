"""`pendopo import_catalog 76.06 katalog.yaml --user mtg.admin [--json]`: import a catalogue file, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pendopo.catalog import catalog_file
from pendopo.regions.models import Region, User


class Command(BaseCommand):
    help = "Import a catalogue file (YAML or JSON) into a region as one of its administrators. Nothing is saved on error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="Kemendagri code (76.06) or address name (mamuju-tengah) of the region.")
        parser.add_argument("file", help="The catalogue file.")
        parser.add_argument("--user", required=True, help="Username of the region administrator doing the import.")
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        region = (
            Region.objects.filter(regency_id=options["region"]).first() or Region.objects.filter(slug=options["region"]).first()
        )
        if region is None:
            raise CommandError(
                _("Unknown region %(region)s: give its Kemendagri code (35.10) or its address name (banyuwangi).")
                % {"region": repr(options["region"])}
            )
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("Unknown user %(user)s.") % {"user": repr(options["user"])})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        if path.stat().st_size > catalog_file.MAX_BYTES:
            raise CommandError(_("The file is larger than %(mb)d MB.") % {"mb": catalog_file.MAX_BYTES // (1024 * 1024)})
        try:
            counts = catalog_file.import_catalog(user, region, path.read_bytes())
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            messages = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
            raise CommandError("\n".join(messages)) from None
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(
                _(
                    "%(region)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                    "%(published)d versions published, %(drafts)d drafts."
                )
                % {"region": region.name, **counts}
            )
