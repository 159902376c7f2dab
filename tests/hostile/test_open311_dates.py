"""Open311 dates far in the past or future are the specification's 400, not an overflow (a 500)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "9999-12-31"},
        {"end_date": "0001-01-01"},
        {"end_date": "0001-01-01T00:00:00+14:00"},
        {"start_date": "9999-12-31T23:59:59-12:00"},
        {"start_date": "0001-01-01", "end_date": "0001-01-02"},
    ],
)
def test_a_date_out_of_range_is_the_specifications_400(client, world, params):
    response = client.get("/open311/v2/requests.json", {"jurisdiction_id": "35.10", **params})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body[0]["code"] == 400 and "1900-01-01" in body[0]["description"]
    xml = client.get("/open311/v2/requests.xml", {"jurisdiction_id": "35.10", **params})
    assert xml.status_code == 400 and b"<code>400</code>" in xml.content


def test_an_ordinary_window_still_works(client, world):
    response = client.get("/open311/v2/requests.json", {"jurisdiction_id": "35.10", "start_date": "2026-01-01"})
    assert response.status_code == 200 and response.json() == []
