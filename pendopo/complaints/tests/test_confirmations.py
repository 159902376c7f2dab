"""A complaint's irreversible steps ask first; withdrawing is never the complainant's primary button."""

from __future__ import annotations

import re

import pytest

from pendopo.complaints.tests.conftest import file

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_withdrawing_asks_first_and_is_a_quiet_button(client, world, setup):
    filed = file(world.region_a, setup.road_a, user=world.citizen)
    client.force_login(world.citizen)

    page = client.get(filed.complaint.get_absolute_url(), headers=EN).content.decode()

    [button] = re.findall(r'<button type="submit" name="do" value="withdraw"[^>]*>', page)
    assert 'class="button-quiet"' in button
    assert "withdraws the complaint: nobody follows it up any more" in button
