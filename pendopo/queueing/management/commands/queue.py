"""`pendopo queue stats FILE [--target-minutes N] [--at DATETIME] [--json]` and
`pendopo queue register-device REGION MALL kiosk|display NAME [--zone Z]`.

`stats` reads a CSV or XLSX export (columns ticket,issued,called,started,finished,canceled; ISO
8601 times with offset) and prints the figures of pendopo/queueing/stats.py; a ticket neither
called nor canceled is still waiting at `--at` (default now). `register-device` creates a kiosk or
display board and prints its one-time registration link (the token is not stored, only its hash).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.urls import reverse

from pendopo.lib import dates
from pendopo.queueing import stats
from pendopo.queueing.models import Device
from pendopo.queueing.selectors import device_token_hash
from pendopo.regions.links import absolute
from pendopo.regions.models import Region, ServicePoint

LABELS = {
    "tickets": "Tickets",
    "median_wait_seconds": "Median wait (s)",
    "p90_wait_seconds": "90th percentile wait (s)",
    "mean_service_seconds": "Mean service time (s)",
    "within_target_percent": "Called within target (%)",
    "no_show_percent": "No-shows (%)",
}


class Command(BaseCommand):
    help = "Service mall queue: statistics of an export file; register a kiosk or display board."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{stats,register-device}")
        figures = commands.add_parser("stats", help="Waiting-time figures of a CSV or XLSX export.")
        figures.add_argument("file")
        figures.add_argument("--target-minutes", type=int, default=15, help="Target waiting time (default 15).")
        figures.add_argument("--at", help="The moment the still-waiting tickets are judged at (ISO 8601 with offset).")
        figures.add_argument("--json", action="store_true", help="Print a JSON object.")
        device = commands.add_parser("register-device", help="Register a kiosk or display board; prints its link.")
        device.add_argument("region", help="Region slug, e.g. banyuwangi.")
        device.add_argument("mall", help="Code of the service mall, e.g. MPP.")
        device.add_argument("kind", choices=[Device.Kind.KIOSK, Device.Kind.DISPLAY])
        device.add_argument("name")
        device.add_argument("--zone", default="")

    @no_translations  # stable English output for scripts, like the --json keys
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "stats":
            self.figures(options)
        else:
            self.register(options)

    def figures(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if options["target_minutes"] < 0:
            raise CommandError("--target-minutes cannot be negative.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        at = dates.now()
        if options["at"]:
            try:
                at = stats._moment(options["at"], "--at") or at
            except stats.StatsError as exc:
                raise CommandError(str(exc)) from None
        try:
            records = stats.read_file(data, path.name)
        except stats.StatsError as exc:
            raise CommandError(f"{path}: {exc}") from None
        result = stats.figures(records, target_seconds=options["target_minutes"] * 60, at=at)
        shown = {key: result[key] for key in LABELS}
        if options["json"]:
            self.stdout.write(json.dumps(shown, indent=2))
            return
        for key, label in LABELS.items():
            value = shown[key]
            self.stdout.write(f"{label}: {'—' if value is None else value}")

    def register(self, options: dict[str, Any]) -> None:
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"No region {options['region']!r}.")
        mall = ServicePoint.objects.filter(region=region, code=options["mall"], kind=ServicePoint.Kind.SERVICE_MALL).first()
        if mall is None:
            raise CommandError(f"No service mall {options['mall']!r} in {region.slug}.")
        token = secrets.token_urlsafe(24)
        Device.objects.create(
            region=region,
            service_point=mall,
            kind=options["kind"],
            name=options["name"],
            zone=options["zone"],
            token_hash=device_token_hash(token),
        )
        self.stdout.write(absolute(reverse("queueing:device", args=[region.slug, token])))
