"""`pendopo deliver_messages`: run the outbox sweep once (what the worker does every minute)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pendopo.notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Deliver the outbox messages that are due, and recover messages stuck while sending."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="At most this many messages in this run.")
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args: object, **options: object) -> None:
        limit = int(options["limit"])  # type: ignore[call-overload]  # argparse gives an int (type=int)
        counts = deliver_due(limit=max(limit, 0))
        if options["json"]:
            self.stdout.write(json.dumps(counts, sort_keys=True))
            return
        self.stdout.write(
            _("Sent %(sent)d, to retry %(retry)d, failed %(failed)d, given up %(dead)d, recovered %(recovered)d.") % counts
        )
