"""`pendopo deadline "YYYY-MM-DD HH:MM" N --region CODE [--service-point CODE] [--json]`.

The deadline of N working days for something received at a local time in a region, by the
convention of docs/calendar.md. Reads only; writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, translation
from django.utils.translation import gettext as _

from pendopo.lib import dates
from pendopo.regions.models import Region, ServicePoint

# Far beyond any service standard (the longest SP4N-LAPOR! tier is 60 working days), short
# enough that a typing slip (50000) answers at once instead of counting for minutes.
MAX_WORKING_DAYS = 2500
HUMAN_FORMAT = "l, j F Y H:i"
DAY_FORMAT = "l, j F Y"
_DATE_TIME = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def human_deadline(moment: dt.datetime, zone_label: str) -> str:
    """`Selasa, 31 Maret 2026 15:30 WIB` in the active language (Django's day and month names)."""
    return f"{formats.date_format(moment, HUMAN_FORMAT)} {zone_label}"


def pick_language(requested: str | None) -> str:
    """--language, else the LANGUAGE environment variable (as gettext reads it), else the site's LANGUAGE_CODE."""
    available = {code for code, _name in settings.LANGUAGES}
    candidates = [requested] if requested else []
    candidates += [item for item in os.environ.get("LANGUAGE", "").split(":") if item]
    for candidate in candidates:
        code = candidate.replace("_", "-").split("-")[0].split(".")[0].lower()
        if code in available:
            return code
    return settings.LANGUAGE_CODE


class Command(BaseCommand):
    help = (
        "Print the deadline of N working days for something received at a local time in a region: "
        "counted from day 0 (the day of receipt if before closing time, else the next working day), "
        "due at the closing time of the Nth working day after day 0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", help='Local time of receipt in the region, "YYYY-MM-DD HH:MM".')
        parser.add_argument("working_days", metavar="N", help="Number of working days (0 or more).")
        parser.add_argument("--region", required=True, help="Kemendagri code of a switched-on region, e.g. 35.10.")
        parser.add_argument("--service-point", help="Code of a service point that keeps its own hours, e.g. MPP-01.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the output (default: the LANGUAGE environment variable, else the site's language).",
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON object instead of a line of text.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(pick_language(options.get("language"))):
            result = self.compute(options)
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
                return
            self.stdout.write(result["deadline_text"])
            if options["verbosity"] >= 2:
                day_zero = dt.date.fromisoformat(result["day_zero"])
                self.stdout.write(_("Day 0: %(day)s") % {"day": formats.date_format(day_zero, DAY_FORMAT)})
                for item in result["holidays_skipped"]:
                    day = formats.date_format(dt.date.fromisoformat(item["date"]), DAY_FORMAT)
                    self.stdout.write(_("Day off skipped: %(day)s (%(name)s)") % {"day": day, "name": item["name"]})

    def compute(self, options: dict[str, Any]) -> dict[str, Any]:
        count = _parse_count(options["working_days"])
        region = _region(options["region"])
        service_point = _service_point(region, options.get("service_point"))
        calendar = region.calendar(service_point)
        start = _parse_start(options["start"], region)
        try:
            day_zero = calendar.day_zero(start)
            deadline = calendar.add_working_days(start, count)
        except dates.CalendarError as exc:
            raise CommandError(str(exc)) from None
        language = translation.get_language() or settings.LANGUAGE_CODE
        local_start = calendar.local(start)
        skipped = calendar.days_off_between(local_start.date(), deadline.date(), language)
        return {
            "region": region.code,
            "region_name": region.name,
            "service_point": service_point.code if service_point else None,
            "time_zone": region.time_zone,
            "time_zone_label": region.time_zone_label,
            "start": local_start.isoformat(),
            "day_zero": day_zero.isoformat(),
            "working_days": count,
            "deadline": deadline.isoformat(),
            "deadline_text": human_deadline(deadline, region.time_zone_label),
            "holidays_skipped": [{"date": day.isoformat(), "name": name} for day, name in skipped],
        }


def _parse_count(text: Any) -> int:
    raw = str(text).strip()
    if not re.fullmatch(r"[+-]?\d+", raw):
        raise CommandError(_("The number of working days must be a whole number, not “%(value)s”.") % {"value": raw})
    count = int(raw)
    if count < 0:
        raise CommandError(_("The number of working days cannot be negative (%(value)s).") % {"value": count})
    if count > MAX_WORKING_DAYS:
        raise CommandError(
            _("The number of working days must be at most %(max)s, not %(value)s.") % {"max": MAX_WORKING_DAYS, "value": count}
        )
    return count


def _region(code: str) -> Region:
    region = Region.objects.select_related("regency").filter(regency_id=code.strip(), is_active=True).first()
    if region is None:
        active = list(Region.objects.filter(is_active=True).order_by("regency_id").values_list("regency_id", flat=True)[:20])
        raise CommandError(
            _("No switched-on region has the code “%(code)s”. Switched-on regions: %(codes)s.")
            % {"code": code, "codes": ", ".join(active) or _("none")}
        )
    return region


def _service_point(region: Region, code: str | None) -> ServicePoint | None:
    if not code:
        return None
    service_point = ServicePoint.objects.filter(region=region, code=code.strip(), is_active=True).first()
    if service_point is None:
        raise CommandError(
            _("%(region)s has no active service point with the code “%(code)s”.") % {"region": region.name, "code": code}
        )
    return service_point


def _parse_start(text: str, region: Region) -> dt.datetime:
    try:
        return dates.parse_local(text, region.time_zone)
    except dates.CalendarError:
        if _DATE_TIME.match(text):
            raise CommandError(_("“%(value)s” is not a real date and time.") % {"value": text.strip()}) from None
        raise CommandError(
            _("“%(value)s” is not a date and time of the form YYYY-MM-DD HH:MM.") % {"value": text.strip()}
        ) from None
