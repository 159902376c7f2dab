"""GeoReport v2 documents in XML and JSON (the Spark convention: a container of repeated children is an array).

A document is built once as plain Python data with the element names of the specification:

    Doc(root="service_requests", item="request", items=[{...}, ...])   # a list: JSON array
    Doc(root="service_definition", fields={...})                       # one object: JSON object

Values: str, int, float, bool (XML "true"/"false"), None (an empty element, JSON null), a
datetime (W3C format with its offset), or a `Many(item, [...])` for a nested container
(`attributes/attribute`, `values/value`, `endpoints/endpoint`, `formats/format`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse

from pendopo.lib.text import xml_text

if TYPE_CHECKING:
    from django.http import HttpRequest

    from pendopo.lib.text import HostileInput

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
FORMATS = {"xml": XML_TYPE, "json": JSON_TYPE}


@dataclass
class Many:
    item: str
    values: list[Any]


@dataclass
class Doc:
    root: str
    item: str = ""
    items: list[Any] = field(default_factory=list)
    fields: dict[str, Any] | None = None


def w3c(moment: dt.datetime | None, zone: dt.tzinfo | None = None) -> str | None:
    """2026-03-17T10:00:00+07:00 (seconds, with the offset; `Z` for UTC)."""
    if moment is None:
        return None
    local = moment.astimezone(zone) if zone is not None else moment
    text = local.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c(value) or ""
    return xml_text(value)


def _xml_element(name: str, value: Any, out: list[str]) -> None:
    if isinstance(value, Many):
        if not value.values:
            out.append(f"<{name}/>")
            return
        out.append(f"<{name}>")
        for item in value.values:
            _xml_element(value.item, item, out)
        out.append(f"</{name}>")
    elif isinstance(value, dict):
        out.append(f"<{name}>")
        for key, inner in value.items():
            _xml_element(key, inner, out)
        out.append(f"</{name}>")
    else:
        text = _xml_value(value)
        out.append(f"<{name}>{text}</{name}>" if text else f"<{name}/>")


def to_xml(doc: Doc) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    if doc.fields is not None:
        _xml_element(doc.root, doc.fields, out)
    else:
        _xml_element(doc.root, Many(doc.item, doc.items), out)
    return "\n".join(out) + "\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, Many):
        return [_json_value(v) for v in value.values]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return w3c(value)
    return value


def to_json(doc: Doc) -> str:
    data = _json_value(doc.fields) if doc.fields is not None else [_json_value(item) for item in doc.items]
    return json.dumps(data, ensure_ascii=False)


def respond(doc: Doc, fmt: str, status: int = 200) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "xml"
    body = to_json(doc) if fmt == "json" else to_xml(doc)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=FORMATS[fmt])


def errors(fmt: str, status: int, *descriptions: str, headers: dict[str, str] | None = None) -> HttpResponse:
    """The specification's error body: <errors><error><code/><description/></error></errors>, or a JSON array."""
    doc = Doc("errors", "error", [{"code": status, "description": text} for text in descriptions])
    response = respond(doc, fmt, status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def refuse_hostile_input(request: HttpRequest, exc: HostileInput) -> HttpResponse:
    """The specification's error document for input refused at the door (`pendopo.lib.middleware`)."""
    return errors("json" if request.path_info.endswith(".json") else "xml", 400, exc.message)
