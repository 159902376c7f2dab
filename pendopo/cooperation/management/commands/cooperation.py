"""`pendopo cooperation reminders [--region SLUG] [--date YYYY-MM-DD] [--days N] [--json] [--send]`
and `pendopo cooperation rate --region SLUG [--json]`.

`reminders` lists the agreements in implementation that end within `--days` (default: the
setting PENDOPO_COOPERATION_EXPIRY_NOTICE_DAYS) and those short of their evaluations (the
cadence's periods ended without one); `rate` prints the region's adoption rate both ways with its
counts. Percentages in `--json` are strings with 2 decimals, rounded half up. `--send` also mails
what is due now, as the hourly job does (`reminders.send_region`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pendopo.cooperation import actions, reminders, selectors
from pendopo.cooperation.models import Commitment
from pendopo.lib import dates
from pendopo.regions.models import Region


class Command(BaseCommand):
    help = "Cooperation: expiry and evaluation reminders, the adoption rate."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{reminders,rate}")
        reminders = commands.add_parser("reminders", help="Agreements ending soon or short of their evaluations.")
        reminders.add_argument("--region", default="", help="One region's address name; default: every region.")
        reminders.add_argument("--date", default="", help="As of this day (YYYY-MM-DD); default: today in each region.")
        reminders.add_argument("--days", type=int, default=None, help="Days before the end to remind.")
        reminders.add_argument("--json", action="store_true")
        reminders.add_argument(
            "--send",
            action="store_true",
            help="Also mail what is due now (once per person, as the hourly job does).",
        )
        rate = commands.add_parser("rate", help="The adoption rate of a region's roadmap, both ways.")
        rate.add_argument("--region", required=True)
        rate.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rate":
            self._rate(options)
        else:
            self._reminders(options)

    def _regions(self, slug: str) -> list[Region]:
        regions = Region.objects.select_related("regency").order_by("regency__code")
        if slug:
            regions = regions.filter(slug=slug)
            if not regions.exists():
                raise CommandError(f"There is no region {slug!r}.")
        return list(regions)

    def _reminders(self, options: dict[str, Any]) -> None:
        days = options["days"] if options["days"] is not None else actions.expiry_notice_days()
        try:
            fixed = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError("Give the date as YYYY-MM-DD.") from None
        out: list[dict[str, Any]] = []
        sent = 0
        for region in self._regions(options["region"]):
            as_of = fixed or dates.today(region.time_zone)
            for reminder in reminders.due(region, as_of, days):
                row: dict[str, Any] = {"region": region.slug, "code": reminder.agreement.code, "reason": reminder.reason}
                if reminder.reason == reminders.EXPIRING:
                    row |= {"ends_on": str(reminder.agreement.ends_on), "days_left": reminder.days_left}
                else:
                    row["periods"] = reminder.periods
                out.append(row)
            if options["send"]:
                sent += reminders.send_region(region)
        if options["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        if options["send"]:
            self.stdout.write(f"{sent} new reminder messages scheduled.")
        for row in out:
            detail = row.get("ends_on") or ", ".join(row.get("periods", []))
            self.stdout.write(f"{row['region']} {row['code']} {row['reason']} {detail}")

    def _rate(self, options: dict[str, Any]) -> None:
        [region] = self._regions(options["region"])
        rate = selectors.adoption_rate(Commitment.objects.filter(region=region))
        data = {
            "region": region.slug,
            "total": rate.total,
            "adopted": rate.adopted,
            "dropped": rate.dropped,
            "by_state": rate.by_state,
            "excluding_dropped_percent": _text(rate.percent_excluding_dropped),
            "over_all_percent": _text(rate.percent_over_all),
            "definition": "adopted / (all - dropped), and adopted / all",
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"{region.slug}: {data['excluding_dropped_percent']} % ({rate.adopted} / {rate.active}) excluding dropped; "
            f"{data['over_all_percent']} % ({rate.adopted} / {rate.total}) over all"
        )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
