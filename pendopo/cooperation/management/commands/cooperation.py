"""`pendopo cooperation reminders [--region SLUG] [--date YYYY-MM-DD] [--days N] [--json]`
and `pendopo cooperation rate --region SLUG [--json]`.

`reminders` lists the agreements in implementation that end within `--days` (default: the
setting PENDOPO_COOPERATION_EXPIRY_NOTICE_DAYS) and those short of their evaluations (the
cadence's periods ended without one); `rate` prints the region's adoption rate both ways with its
counts. Percentages in `--json` are strings with 2 decimals, rounded half up.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pendopo.cooperation import actions, selectors
from pendopo.cooperation.models import Agreement, Commitment
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
        for region in self._regions(options["region"]):
            as_of = fixed or dates.today(region.time_zone)
            out.extend(
                {"region": region.slug, "code": agreement.code, "reason": "expiring", "ends_on": str(agreement.ends_on)}
                for agreement in selectors.expiring(region, as_of, days).select_related("case")
            )
            running = Agreement.objects.filter(region=region, case__state__in=["pelaksanaan", "pelaporan"]).select_related("case")
            for agreement in running.prefetch_related("evaluations"):
                missing = [p for p in actions.evaluation_status(agreement, as_of) if not p.evaluated]
                if missing:
                    out.append(
                        {
                            "region": region.slug,
                            "code": agreement.code,
                            "reason": "evaluation_overdue",
                            "periods": [p.label for p in missing],
                        }
                    )
        if options["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
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
