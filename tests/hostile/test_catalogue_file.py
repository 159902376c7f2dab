"""A hostile catalogue file is refused with the line, nothing saved; never a server error.

Found by the probe: `agency: [X, Y]` and `effective_from: 2026-13-45` ended in a 500, and a key
given twice was taken silently (the last one won).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pendopo.catalog import catalog_file
from pendopo.catalog.models import Service
from pendopo.catalog.tests.test_catalog_file import catalogue  # noqa: F401 -- a fixture

pytestmark = pytest.mark.django_db


def _refused(world, text: str) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        catalog_file.import_catalog(world.admin_b, world.region_b, text)
    assert not Service.objects.filter(region=world.region_b).exists()
    return " ".join(caught.value.messages)


def test_a_list_where_an_agency_code_belongs_is_refused_with_the_line(world, catalogue):  # noqa: F811
    text = catalogue.replace("agency: DISDUKCAPIL", "agency: [DISDUKCAPIL, DINKES]", 1)
    line = text.splitlines().index("  agency: [DISDUKCAPIL, DINKES]") + 1
    assert f"Line {line}: unknown agency" in _refused(world, text)


def test_an_impossible_date_is_refused_with_the_line(world, catalogue):  # noqa: F811
    text = catalogue.replace("effective_from: '2026-03-01'", "effective_from: 2026-13-45").replace(
        "effective_from: 2026-03-01", "effective_from: 2026-13-45"
    )
    assert "2026-13-45" in text
    assert "must be a date like 2026-01-31" in _refused(world, text)


def test_a_key_given_twice_is_refused_with_the_line(world, catalogue):  # noqa: F811
    lines = catalogue.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  name: "))
    lines.insert(at + 1, "  name: Nama kedua")
    message = _refused(world, "\n".join(lines) + "\n")
    assert f"Line {at + 2}: the key name is given twice." in message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("category: health", "category: [health]"),
        ("- service_mall", "- {x: 1}"),
        ("code: KIA", "code: {a: 1}"),
    ],
)
def test_non_text_values_are_refused_not_a_server_error(world, catalogue, old, new):  # noqa: F811
    assert old in catalogue
    _refused(world, catalogue.replace(old, new, 1))
