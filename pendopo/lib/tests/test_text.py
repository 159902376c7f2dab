"""Control characters, NUL bytes and deep JSON: cleaned or refused on input, escaped on output."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from pendopo.lib import text
from pendopo.lib.tests.hostile import nested_json


def test_control_characters_go_and_tab_newline_stay():
    assert text.clean_text("jalan\x0brusak\x01 \x7f\x85ok\t\n\r") == "jalanrusak ok\t\n\r"


def test_a_nul_byte_is_refused_not_stripped():
    with pytest.raises(text.HostileInput) as caught:
        text.clean_input("a\x00b")
    assert caught.value.code == "nul_character"


def test_json_is_cleaned_keys_included():
    assert text.load_json('{"a\\u000b": ["x\\u0001y", {"k": "\\ud800z"}], "n": 1}') == {"a": ["xy", {"k": "z"}], "n": 1}
    with pytest.raises(text.HostileInput):
        text.load_json('{"a": "\\u0000"}')


def test_deep_json_is_refused_before_parsing():
    with pytest.raises(text.HostileInput) as caught:
        text.load_json(nested_json(2000))
    assert caught.value.code == "too_deep"
    with pytest.raises(text.HostileInput):
        text.load_json("[" * 2000 + "]" * 2000)
    # brackets inside strings do not count
    assert text.load_json(json.dumps({"a": "[" * 100})) == {"a": "[" * 100}
    assert text.load_json(nested_json(text.MAX_JSON_DEPTH - 1)) is not None


def test_xml_text_is_well_formed_whatever_the_stored_text():
    attribute, body = text.xml_text('<&">'), text.xml_text("jalan\x0brusak\x01 <b>&amp;")
    document = f'<r a="{attribute}">{body}</r>'
    root = ET.fromstring(document)  # noqa: S314 -- our own text
    assert root.text == "jalanrusak <b>&amp;" and root.get("a") == '<&">'


@pytest.mark.parametrize(("value", "cell"), [("=1+1", "'=1+1"), ("\x01=HYPERLINK()", "'=HYPERLINK()"), ("ok\x0b", "ok")])
def test_csv_cells_are_clean_and_never_formulas(value, cell):
    out = io.StringIO()
    csv.writer(out).writerow([text.csv_cell(value)])
    assert out.getvalue().strip() == cell
