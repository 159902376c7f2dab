"""The complaint inbox's filters and search, like the applications inbox: step, category, agency,
overdue, verification, received dates; a tracking code or the complainant's name. Reports awaiting
verification come first; every filter stays inside what the user may act on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pendopo.complaints import actions
from pendopo.complaints.models import Privacy
from pendopo.complaints.tests.conftest import MONDAY, file
from pendopo.workflow.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(world, setup, frozen):
    siti = file(world.region_a, setup.road_a, reporter_name="Siti Rahayu").complaint
    budi = file(world.region_a, setup.road_a, reporter_name="Budi Santoso", verified=False).complaint
    lamp = file(world.region_a, setup.lamp_a, privacy=Privacy.ANONYMOUS, verified=False).complaint
    old = file(world.region_a, setup.lamp_a, reporter_name="Wati").complaint
    done = file(world.region_a, setup.road_a, reporter_name="Joko").complaint
    actions.take_action(done, "archive", world.admin_a, "Ganda.")
    # The old one was received in January and is past its step's deadline.
    Case.objects.filter(pk=old.case_id).update(
        received_at=MONDAY - dt.timedelta(days=20), state_due_at=MONDAY - dt.timedelta(days=1)
    )
    return {"siti": siti, "budi": budi, "lamp": lamp, "old": old, "done": done}


def _codes(client, world, **query) -> list[str]:
    response = client.get(reverse("complaints:inbox", args=[world.region_a.slug]), query)
    assert response.status_code == 200
    return [row.code for row in response.context["page"].rows]


def test_waiting_reports_first_then_the_soonest_deadline(client, world, five):
    client.force_login(world.admin_a)
    codes = _codes(client, world)
    assert set(codes[:2]) == {five["budi"].code, five["lamp"].code}
    assert set(codes) == {c.code for name, c in five.items() if name != "done"}  # finished ones are left out
    assert codes[2] == five["old"].code  # the earliest deadline after the waiting ones


def test_each_filter(client, world, setup, five):
    client.force_login(world.admin_a)
    code = {name: c.code for name, c in five.items()}
    assert set(_codes(client, world, verification="pending")) == {code["budi"], code["lamp"]}
    assert set(_codes(client, world, verification="verified")) == {code["siti"], code["old"]}
    assert set(_codes(client, world, category="LAMPU")) == {code["lamp"], code["old"]}
    assert set(_codes(client, world, agency=world.agency_a1.code)) == {code["siti"], code["budi"]}
    assert _codes(client, world, due="overdue") == [code["old"]]
    assert set(_codes(client, world, received_from="2026-02-01")) == {code["siti"], code["budi"], code["lamp"]}
    assert _codes(client, world, received_to="2026-01-31") == [code["old"]]
    assert _codes(client, world, state="archived") == [code["done"]]
    assert code["done"] in _codes(client, world, closed="on")
    # A stale or edited value is left out rather than refused: the inbox still opens.
    assert len(_codes(client, world, category="TIDAK-ADA", due="kemarin")) == 4


def test_search_by_tracking_code_or_name(client, world, five):
    client.force_login(world.admin_a)
    assert _codes(client, world, q=five["budi"].code.lower()) == [five["budi"].code]
    assert _codes(client, world, q="rahayu") == [five["siti"].code]
    assert _codes(client, world, q="anonim") == []  # an anonymous complaint keeps no name to find


def test_filters_stay_inside_what_the_user_may_act_on(client, world, five):
    client.force_login(world.officer_a1)  # agency A1: the road complaints only
    assert set(_codes(client, world)) == {five["siti"].code, five["budi"].code}
    assert _codes(client, world, agency=world.agency_a2.code) == []
    assert _codes(client, world, q=five["lamp"].code) == []
    for user in (world.citizen, world.admin_b):
        client.force_login(user)
        assert client.get(reverse("complaints:inbox", args=[world.region_a.slug])).status_code == 403


def test_the_page_shows_the_filters_and_marks_the_waiting(client, world, five):
    client.force_login(world.admin_a)
    page = client.get(reverse("complaints:inbox", args=[world.region_a.slug]), {"verification": "pending"}).content.decode()
    assert 'id="inbox-verification"' in page and 'id="inbox-received_from"' in page
    assert "menunggu verifikasi" in page and "2 pengaduan." in page
    assert "?verification=pending" in page  # the downloads carry the filters
