"""`pendopo sweep_overdue [--json]`: run the overdue sweep once (the worker runs it periodically)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pendopo.workflow.sweep import sweep_overdue


class Command(BaseCommand):
    help = "Mark overdue cases, escalate them and run timeouts (safe to run twice)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_overdue().as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            _("Checked %(checked)s cases: %(marked_overdue)s newly overdue, %(escalations)s escalations, %(timed_out)s timeouts.")
            % result
        )
