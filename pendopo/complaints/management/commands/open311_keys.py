"""`pendopo open311_keys list|issue|revoke`: Open311 API keys per region (the admin page does the same)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pendopo.complaints import actions
from pendopo.complaints.models import ApiClient
from pendopo.regions.models import Region


class Command(BaseCommand):
    help = "List, issue or revoke the Open311 API keys of a region (the key is printed once, when issued)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        listing = sub.add_parser("list", help="the keys of a region (prefix only)")
        listing.add_argument("--region", required=True, help="region code, e.g. 35.10")
        listing.add_argument("--json", action="store_true")
        issue = sub.add_parser("issue", help="issue a key for a client")
        issue.add_argument("--region", required=True)
        issue.add_argument("--name", required=True, help="who the key is for")
        issue.add_argument("--contact", default="")
        issue.add_argument("--json", action="store_true")
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix (8 characters)")
        revoke.add_argument("prefix")
        revoke.add_argument("--json", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        what = options["what"]
        as_json = bool(options.get("json"))
        if what == "revoke":
            client = ApiClient.objects.filter(key_prefix=str(options["prefix"])).first()
            if client is None:
                raise CommandError(f"No key starts with {options['prefix']!r}.")
            client = actions.revoke_api_key(client)
            self._out(
                as_json,
                {"prefix": client.key_prefix, "revoked_at": client.revoked_at.isoformat() if client.revoked_at else None},
                f"Revoked {client}.",
            )
            return
        region = Region.objects.filter(regency_id=str(options["region"])).first()
        if region is None:
            raise CommandError(f"No region has the code {options['region']!r} (e.g. 35.10).")
        if what == "issue":
            try:
                client, key = actions.issue_api_key(region, str(options["name"]), contact=str(options["contact"]))
            except Exception as exc:  # noqa: BLE001 -- a ValidationError's message is the operator's answer
                raise CommandError(str(exc)) from None
            self._out(as_json, {"prefix": client.key_prefix, "key": key, "jurisdiction_id": region.code}, f"{client}: {key}")
            return
        rows = [
            {
                "prefix": c.key_prefix,
                "name": c.name,
                "revoked": c.revoked_at is not None,
                "last_used_at": c.last_used_at.isoformat() if c.last_used_at else None,
            }
            for c in ApiClient.objects.filter(region=region).order_by("name")
        ]
        if as_json:
            self.stdout.write(json.dumps(rows))
        else:
            for row in rows:
                self.stdout.write(f"{row['prefix']}  {row['name']}{'  (revoked)' if row['revoked'] else ''}")

    def _out(self, as_json: bool, data: dict, text: str) -> None:
        self.stdout.write(json.dumps(data) if as_json else text)
