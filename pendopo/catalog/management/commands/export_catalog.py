"""`pendopo export_catalog 35.10 [--drafts] [--format yaml|json] [--output FILE]`: a region's catalogue as one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pendopo.catalog import catalog_file
from pendopo.catalog.models import Service
from pendopo.regions.models import Region
from pendopo.regions.permissions import visible_to


class Command(BaseCommand):
    help = "Export a region's service catalogue as YAML or JSON (published services; --drafts adds drafts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="Kemendagri code (35.10) or address name (banyuwangi) of the region.")
        parser.add_argument("--drafts", action="store_true", help="Include unpublished services and drafts.")
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        region = (
            Region.objects.filter(regency_id=options["region"]).first() or Region.objects.filter(slug=options["region"]).first()
        )
        if region is None:
            raise CommandError(
                _("Unknown region %(region)s: give its Kemendagri code (35.10) or its address name (banyuwangi).")
                % {"region": repr(options["region"])}
            )
        services = Service.objects.all() if options["drafts"] else visible_to(None, Service.objects.all())
        document = catalog_file.catalog_document(region, services, include_drafts=options["drafts"])
        text = catalog_file.to_json(document) if options["format"] == "json" else catalog_file.to_yaml(document)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
