"""Reading GeoReport v2 answers in both formats in tests."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def as_xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.decode().startswith(XML_DECLARATION)
    return ET.fromstring(response.content)  # noqa: S314 -- our own answer


def as_json(response) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def xml_list(response, root: str, item: str) -> list[dict[str, str]]:
    tree = as_xml(response)
    assert tree.tag == root
    assert all(child.tag == item for child in tree)
    return [{sub.tag: sub.text or "" for sub in child} for child in tree]


def errors(response, fmt: str, status: int) -> list[str]:
    """The error descriptions, after checking the body's shape and codes."""
    assert response.status_code == status, response.content
    if fmt == "xml":
        items = xml_list(response, "errors", "error")
        assert items and all(item["code"] == str(status) for item in items)
        return [item["description"] for item in items]
    data = as_json(response)
    assert isinstance(data, list) and data
    assert all(item["code"] == status and isinstance(item["description"], str) for item in data)
    return [item["description"] for item in data]
