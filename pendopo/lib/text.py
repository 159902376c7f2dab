"""Text that is stored, and text that is written out: control characters, JSON depth, XML and CSV escaping.

Input: every text value that reaches a form or an API schema has its control characters removed
(`HostileInputMiddleware` for query strings and form bodies, `load_json` for JSON bodies): a
vertical tab pasted from a word processor (`\\x0b`) or a `\\x01` must not be stored, because XML
1.0 cannot hold them and one such description used to break the Open311 document of a whole
region. Tab, line feed and carriage return are text and stay. A NUL byte is refused outright
(`HostileInput`, answered with a 400): no real client sends one.

Output: old rows may still hold such characters, so every writer goes through one helper
here — `xml_text` for XML, `csv_cell` for CSV, `sheet_text` for XLSX — never its own copy.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

# C0 controls but tab, LF and CR; DEL and the C1 controls; the two non-characters XML forbids;
# lone surrogates (a JSON "\ud800" decodes to one and then cannot be encoded as UTF-8).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Text starting with one of these is run as a formula by a spreadsheet opening a CSV (OWASP, CSV injection).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Deepest JSON accepted in a request body: Pendopo's deepest document (a service standard with its
# form and workflow) nests about 8 levels; 2,000 levels used to exhaust the parser's recursion (a 500).
MAX_JSON_DEPTH = 32


class HostileInput(ValueError):
    """Input no honest client sends (a NUL byte, JSON nested beyond MAX_JSON_DEPTH): answered with a 400."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def nul_refused() -> HostileInput:
    return HostileInput(_("The request contains a NUL character, which no text may hold."), code="nul_character")


def unreadable_body() -> HostileInput:
    return HostileInput(_("The body of the request cannot be read as the form it says it is."), code="unreadable_body")


def clean_text(value: str) -> str:
    """`value` without control characters (tab, line feed and carriage return stay)."""
    return CONTROL_CHARACTERS.sub("", value)


def clean_input(value: str) -> str:
    """Text as it may be stored: HostileInput for a NUL byte, control characters removed."""
    if "\x00" in value:
        raise nul_refused()
    return clean_text(value)


def clean_data(value: Any, depth: int = 0) -> Any:
    """Every string (keys included) of parsed JSON through `clean_input`; HostileInput past MAX_JSON_DEPTH."""
    if depth > MAX_JSON_DEPTH:
        raise HostileInput(
            _("The JSON document is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}, code="too_deep"
        )
    if isinstance(value, str):
        return clean_input(value)
    if isinstance(value, dict):
        return {clean_input(str(key)): clean_data(inner, depth + 1) for key, inner in value.items()}
    if isinstance(value, list):
        return [clean_data(inner, depth + 1) for inner in value]
    return value


def _depth(raw: str) -> int:
    """How deep the brackets of a JSON text nest (strings skipped), without parsing it."""
    deepest = depth = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def load_json(raw: bytes | str) -> Any:
    """Parsed and cleaned JSON; ValueError when it is not JSON, HostileInput (a ValueError) when it is hostile.

    The depth is measured before parsing, so a deep document never reaches the recursive parser.
    """
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and _depth(text) > MAX_JSON_DEPTH:
        raise HostileInput(
            _("The JSON document is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}, code="too_deep"
        )
    return clean_data(json.loads(text))


def xml_text(value: Any) -> str:
    """Text for an XML element or attribute: control characters removed (XML 1.0 cannot hold them), markup escaped."""
    return escape(clean_text(str(value)), {'"': "&quot;"})


def csv_cell(value: str) -> str:
    """Text for a CSV cell: control characters removed, and a leading `'` on text a spreadsheet would run as a formula."""
    value = clean_text(value)
    return "'" + value if value.startswith(CSV_FORMULA_STARTS) else value


def sheet_text(value: str) -> str:
    """Text for an XLSX cell (written with write_string, so never a formula): control characters removed."""
    return clean_text(value)
