"""`pendopo open311-check BASE_URL --jurisdiction CODE [--api-key KEY]`: a GeoReport v2 conformance suite.

Runs checks of every endpoint against any GeoReport v2 server over HTTP (urllib only), prints
one `PASS`/`FAIL` line per check, and exits non-zero when a check fails. With `--api-key` it also
POSTs test requests (they create real service requests on the server: use a test endpoint);
without it, it checks that a POST without a key is refused with 403. `--json` prints the
results as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
REQUEST_FIELDS = ("service_request_id", "status", "service_name", "service_code", "requested_datetime")
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


class CheckFailed(Exception):
    pass


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Suite:
    base: str
    jurisdiction: str
    api_key: str
    timeout: float
    results: list[tuple[str, bool, str]] = field(default_factory=list)
    found: dict[str, Any] = field(default_factory=dict)

    # --- HTTP ------------------------------------------------------------------------------------

    def url(self, path: str, params: dict[str, str] | None = None) -> str:
        query = urllib.parse.urlencode(params or {})
        return f"{self.base}/{path}" + (f"?{query}" if query else "")

    def call(self, path: str, params: dict[str, str] | None = None, data: dict[str, Any] | None = None) -> Reply:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.url(path, params), data=body, method="POST" if data is not None else "GET")  # noqa: S310 -- the operator's URL, http(s) checked in handle()
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 -- as above
                return Reply(response.status, response.headers.get("Content-Type", ""), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers.get("Content-Type", ""), error.read())

    def j(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"jurisdiction_id": self.jurisdiction, **(extra or {})}

    # --- running -----------------------------------------------------------------------------------

    def check(self, name: str, test: Any) -> Any:
        try:
            value = test()
        except (CheckFailed, AssertionError) as exc:
            self.results.append((name, False, str(exc)))
            return None
        except (OSError, ValueError, ET.ParseError, KeyError, IndexError, TypeError) as exc:
            self.results.append((name, False, f"{type(exc).__name__}: {exc}"))
            return None
        self.results.append((name, True, ""))
        return value


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def parse(reply: Reply, fmt: str, status: int = 200) -> Any:
    expect(reply.status == status, f"HTTP {reply.status}, expected {status}: {reply.text[:200]}")
    if fmt == "xml":
        expect(reply.content_type.startswith("text/xml"), f"Content-Type {reply.content_type!r}, expected text/xml")
        expect(
            reply.text.lstrip().lower().startswith('<?xml version="1.0" encoding="utf-8"?>'),
            "no XML declaration with encoding utf-8",
        )
        return ET.fromstring(reply.body)  # noqa: S314 -- parsing the server under test's reply is the point
    expect(reply.content_type.startswith("application/json"), f"Content-Type {reply.content_type!r}, expected application/json")
    return json.loads(reply.text)


def xml_items(root: ET.Element, root_name: str, item: str) -> list[dict[str, Any]]:
    expect(root.tag == root_name, f"root element <{root.tag}>, expected <{root_name}>")
    items = []
    for child in root:
        expect(child.tag == item, f"<{root_name}> holds <{child.tag}>, expected <{item}>")
        items.append({sub.tag: (sub.text or "").strip() if len(sub) == 0 else sub for sub in child})
    return items


def check_error(reply: Reply, fmt: str, status: int) -> None:
    data = parse(reply, fmt, status)
    if fmt == "xml":
        errors = xml_items(data, "errors", "error")
        expect(bool(errors), "<errors> is empty")
        for error in errors:
            expect(error.get("code", "").isdigit(), "an <error> has no numeric <code>")
            expect(bool(error.get("description")), "an <error> has no <description>")
    else:
        expect(isinstance(data, list) and bool(data), "the JSON error body is not a non-empty array")
        for error in data:
            expect(isinstance(error.get("code"), int), "an error's code is not a number")
            expect(isinstance(error.get("description"), str) and error["description"], "an error has no description")


def check_w3c(value: Any, name: str) -> None:
    expect(isinstance(value, str) and bool(W3C.match(value)), f"{name} {value!r} is not a W3C date-time with a time zone")


def check_request(item: dict[str, Any], fmt: str) -> None:
    for name in REQUEST_FIELDS:
        expect(name in item, f"a request has no {name}")
    expect(item["status"] in ("open", "closed"), f"status {item['status']!r} is not open or closed")
    check_w3c(item["requested_datetime"], "requested_datetime")
    for name in ("updated_datetime", "expected_datetime"):
        if item.get(name):
            check_w3c(item[name], name)
    if fmt == "json":
        for name in ("lat", "long"):
            expect(item.get(name) is None or isinstance(item[name], (int, float)), f"{name} is not a number")


def run_suite(suite: Suite) -> None:
    for fmt in ("xml", "json"):

        def discovery(fmt: str = fmt) -> None:
            data = parse(suite.call(f"discovery.{fmt}"), fmt)
            if fmt == "xml":
                expect(data.tag == "discovery", "root is not <discovery>")
                for name in ("changeset", "contact", "key_service", "endpoints"):
                    expect(data.find(name) is not None, f"<discovery> has no <{name}>")
                endpoints = data.findall("endpoints/endpoint")
                specs = [e.findtext("specification") for e in endpoints]
                formats = [f.text for e in endpoints for f in e.findall("formats/format")]
            else:
                expect(isinstance(data, dict), "the discovery JSON is not an object")
                for name in ("changeset", "contact", "key_service", "endpoints"):
                    expect(name in data, f"discovery has no {name}")
                specs = [e.get("specification") for e in data["endpoints"]]
                formats = [f for e in data["endpoints"] for f in e.get("formats", [])]
            expect("http://wiki.open311.org/GeoReport_v2" in specs, "no endpoint of the GeoReport_v2 specification")
            expect("text/xml" in formats, "the formats do not list text/xml")

        suite.check(f"discovery.{fmt}", discovery)

        def services(fmt: str = fmt) -> list[dict[str, Any]]:
            data = parse(suite.call(f"services.{fmt}", suite.j()), fmt)
            items = xml_items(data, "services", "service") if fmt == "xml" else data
            expect(isinstance(items, list), "the service list is not an array")
            for item in items:
                for name in SERVICE_FIELDS:
                    expect(name in item, f"service {item.get('service_code')!r} has no {name}")
                metadata = item["metadata"]
                expect(
                    metadata in (("true", "false") if fmt == "xml" else (True, False)), f"metadata {metadata!r} is not a boolean"
                )
                expect(item["type"] in ("realtime", "batch", "blackbox"), f"type {item['type']!r}")
            return items

        items = suite.check(f"services.{fmt}", services)
        if items:
            suite.found["services"] = items

        suite.check(
            f"services.{fmt} with an unknown jurisdiction_id → 404",
            lambda fmt=fmt: check_error(suite.call(f"services.{fmt}", {"jurisdiction_id": "no-such-jurisdiction"}), fmt, 404),
        )

        def definition(fmt: str = fmt) -> None:
            services_found = suite.found.get("services") or []
            with_metadata = [s for s in services_found if s["metadata"] in ("true", True)]
            if not with_metadata:
                return
            code = with_metadata[0]["service_code"]
            data = parse(suite.call(f"services/{urllib.parse.quote(str(code))}.{fmt}", suite.j()), fmt)
            if fmt == "xml":
                expect(data.tag == "service_definition", "root is not <service_definition>")
                attributes = [{sub.tag: (sub.text or "").strip() for sub in a} for a in data.findall("attributes/attribute")]
                expect(data.findtext("service_code") == str(code), "service_code differs from the one asked")
            else:
                expect(
                    isinstance(data, dict) and isinstance(data.get("attributes"), list), "not an object with an attributes array"
                )
                attributes = data["attributes"]
                expect(str(data.get("service_code")) == str(code), "service_code differs from the one asked")
            orders = []
            for attribute in attributes:
                for name in ("variable", "code", "datatype", "required", "order", "description"):
                    expect(name in attribute, f"attribute {attribute.get('code')!r} has no {name}")
                expect(attribute["datatype"] in DATATYPES, f"datatype {attribute['datatype']!r}")
                orders.append(int(attribute["order"]))
            expect(len(orders) == len(set(orders)) and all(o > 0 for o in orders), "orders are not unique positive numbers")

        suite.check(f"services/{{code}}.{fmt} of a service with metadata", definition)
        suite.check(
            f"services/{{unknown}}.{fmt} → 404",
            lambda fmt=fmt: check_error(suite.call(f"services/NO-SUCH-SERVICE-CODE.{fmt}", suite.j()), fmt, 404),
        )

        def requests(fmt: str = fmt) -> list[dict[str, Any]]:
            data = parse(suite.call(f"requests.{fmt}", suite.j()), fmt)
            items = xml_items(data, "service_requests", "request") if fmt == "xml" else data
            expect(isinstance(items, list), "not an array")
            expect(len(items) <= 1000, f"{len(items)} requests: the default is at most 1000")
            for item in items:
                check_request(item, fmt)
            limit = dt.datetime.now(dt.UTC) - dt.timedelta(days=90, minutes=5)  # noqa: TID251 -- a client's own clock
            for item in items:
                requested = dt.datetime.fromisoformat(item["requested_datetime"].replace("Z", "+00:00"))
                expect(requested >= limit, f"{item['service_request_id']} is older than 90 days (the default window)")
            return items

        found = suite.check(f"requests.{fmt} (default window)", requests)
        if found:
            suite.found["requests"] = found

        for status in ("open", "closed"):

            def by_status(fmt: str = fmt, status: str = status) -> None:
                data = parse(suite.call(f"requests.{fmt}", suite.j({"status": status})), fmt)
                items = xml_items(data, "service_requests", "request") if fmt == "xml" else data
                expect(all(i["status"] == status for i in items), f"status={status} returned other statuses")

            suite.check(f"requests.{fmt}?status={status}", by_status)

        def window(fmt: str = fmt) -> None:
            end = dt.datetime.now(dt.UTC).replace(microsecond=0)  # noqa: TID251 -- a client's own clock
            start = end - dt.timedelta(days=30)
            params = suite.j(
                {"start_date": start.isoformat().replace("+00:00", "Z"), "end_date": end.isoformat().replace("+00:00", "Z")}
            )
            data = parse(suite.call(f"requests.{fmt}", params), fmt)
            items = xml_items(data, "service_requests", "request") if fmt == "xml" else data
            for item in items:
                requested = dt.datetime.fromisoformat(item["requested_datetime"].replace("Z", "+00:00"))
                expect(start <= requested <= end, f"{item['service_request_id']} lies outside start_date..end_date")

        suite.check(f"requests.{fmt} with start_date and end_date (30 days)", window)
        suite.check(
            f"requests.{fmt} with a range over 90 days → 400",
            lambda fmt=fmt: check_error(
                suite.call(
                    f"requests.{fmt}", suite.j({"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-06-01T00:00:00Z"})
                ),
                fmt,
                400,
            ),
        )
        suite.check(
            f"requests.{fmt} with a malformed start_date → 400",
            lambda fmt=fmt: check_error(suite.call(f"requests.{fmt}", suite.j({"start_date": "yesterday"})), fmt, 400),
        )

        def by_id(fmt: str = fmt) -> None:
            known = suite.found.get("requests") or []
            if not known:
                return
            first = known[0]
            other = "closed" if first["status"] == "open" else "open"
            params = suite.j({"service_request_id": first["service_request_id"], "status": other})
            data = parse(suite.call(f"requests.{fmt}", params), fmt)
            items = xml_items(data, "service_requests", "request") if fmt == "xml" else data
            ids = [str(i["service_request_id"]) for i in items]
            expect(str(first["service_request_id"]) in ids, "service_request_id did not override the status filter")

        suite.check(f"requests.{fmt}?service_request_id overrides other filters", by_id)

        def one(fmt: str = fmt) -> None:
            known = suite.found.get("requests") or []
            if not known:
                return
            request_id = str(known[0]["service_request_id"])
            data = parse(suite.call(f"requests/{urllib.parse.quote(request_id)}.{fmt}", suite.j()), fmt)
            items = xml_items(data, "service_requests", "request") if fmt == "xml" else data
            expect(isinstance(items, list) and len(items) == 1, "not an array of one request")
            expect(str(items[0]["service_request_id"]) == request_id, "another request came back")
            check_request(items[0], fmt)

        suite.check(f"requests/{{id}}.{fmt}", one)
        suite.check(
            f"requests/{{unknown}}.{fmt} → 404",
            lambda fmt=fmt: check_error(suite.call(f"requests/NO-SUCH-REQUEST-0.{fmt}", suite.j()), fmt, 404),
        )
        suite.check(
            f"tokens/{{unknown}}.{fmt} → 404",
            lambda fmt=fmt: check_error(suite.call(f"tokens/no-such-token-0.{fmt}", suite.j()), fmt, 404),
        )
        suite.check(
            f"POST requests.{fmt} without api_key → 403",
            lambda fmt=fmt: check_error(
                suite.call(f"requests.{fmt}", data=suite.j({"service_code": "X", "lat": "0", "long": "0"})), fmt, 403
            ),
        )
        if suite.api_key:
            post_checks(suite, fmt)


def post_checks(suite: Suite, fmt: str) -> None:
    services = [s for s in suite.found.get("services") or [] if s["metadata"] in ("false", False)]
    base = suite.j({"api_key": suite.api_key})
    suite.check(
        f"POST requests.{fmt} with a wrong api_key → 403",
        lambda: check_error(
            suite.call(f"requests.{fmt}", data={**base, "api_key": "wrong-key", "service_code": "X", "lat": "0", "long": "0"}),
            fmt,
            403,
        ),
    )
    suite.check(
        f"POST requests.{fmt} with an unknown service_code → 404",
        lambda: check_error(
            suite.call(f"requests.{fmt}", data={**base, "service_code": "NO-SUCH-SERVICE-CODE", "lat": "0", "long": "0"}),
            fmt,
            404,
        ),
    )
    if not services:
        suite.results.append((f"POST requests.{fmt}", False, "no service without metadata to post to"))
        return
    code = str(services[0]["service_code"])
    suite.check(
        f"POST requests.{fmt} with lat but no long → 400",
        lambda: check_error(suite.call(f"requests.{fmt}", data={**base, "service_code": code, "lat": "1.5"}), fmt, 400),
    )
    suite.check(
        f"POST requests.{fmt} with a description over 4000 characters → 400",
        lambda: check_error(
            suite.call(f"requests.{fmt}", data={**base, "service_code": code, "address_string": "x", "description": "a" * 4001}),
            fmt,
            400,
        ),
    )

    def post() -> None:
        data = {
            **base,
            "service_code": code,
            "address_string": "open311-check",
            "description": "Conformance check (open311-check); please ignore.",
        }
        reply = parse(suite.call(f"requests.{fmt}", data=data), fmt)
        items = xml_items(reply, "service_requests", "request") if fmt == "xml" else reply
        expect(isinstance(items, list) and len(items) == 1, "the POST result is not an array of one request")
        item = items[0]
        expect(("service_request_id" in item) != ("token" in item), "return service_request_id or token, never both")
        if "token" in item:
            token = str(item["token"])
            data = parse(suite.call(f"tokens/{urllib.parse.quote(token)}.{fmt}", suite.j()), fmt)
            got = xml_items(data, "service_requests", "request") if fmt == "xml" else data
            expect(bool(got) and str(got[0].get("token")) == token, "tokens/{token} does not echo the token")
            return
        request_id = str(item["service_request_id"])
        reply = suite.call(f"requests/{urllib.parse.quote(request_id)}.{fmt}", suite.j())
        if reply.status == 404:
            return  # held until moderated (Pendopo: until the administration verifies it, SP4N-LAPOR!)
        data = parse(reply, fmt)
        got = xml_items(data, "service_requests", "request") if fmt == "xml" else data
        expect(bool(got) and str(got[0]["service_request_id"]) == request_id, "the new request cannot be read back")

    suite.check(f"POST requests.{fmt} then read it back", post)


class Command(BaseCommand):
    help = "Check a GeoReport v2 (Open311) server endpoint by endpoint; exits non-zero if a check fails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("base_url", help="the endpoint, e.g. https://example.org/open311/v2")
        parser.add_argument("--jurisdiction", required=True, help="the jurisdiction_id to use")
        parser.add_argument("--api-key", default="", help="also POST test requests with this key (they are real requests)")
        parser.add_argument("--timeout", type=float, default=20.0)
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        base = str(options["base_url"]).rstrip("/")
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise CommandError("BASE_URL must start with http:// or https://.")
        suite = Suite(base, str(options["jurisdiction"]), str(options["api_key"]), float(options["timeout"]))
        run_suite(suite)
        failed = [r for r in suite.results if not r[1]]
        if options["json"]:
            self.stdout.write(
                json.dumps([{"check": n, "passed": ok, "reason": why} for n, ok, why in suite.results], ensure_ascii=False)
            )
        else:
            for name, ok, why in suite.results:
                self.stdout.write(f"PASS {name}" if ok else f"FAIL {name}: {why}")
            self.stdout.write(f"{len(suite.results) - len(failed)} passed, {len(failed)} failed")
        if failed:
            raise CommandError(f"{len(failed)} of {len(suite.results)} checks failed.")
