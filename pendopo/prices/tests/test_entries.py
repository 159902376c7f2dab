"""Entering prices (assigned enumerators only), idempotency, plausibility flags, approval."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.prices import actions, selectors
from pendopo.prices.models import PriceEntry, PriceEvent
from pendopo.prices.tests.conftest import approved

TODAY = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2025, 3, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_an_enumerator_enters_prices_for_an_assigned_market(world, prices):
    saved = actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "13.500", prices.gula.pk: "17,800"})
    assert {(e.entry.commodity_id, e.entry.price, e.entry.status) for e in saved} == {
        (prices.beras.pk, 13500, "pending"), (prices.gula.pk, 17800, "pending")
    }  # fmt: skip
    assert PriceEvent.objects.filter(kind="entered").count() == 2


@pytest.mark.parametrize("who", ["officer_a2", "head_a1", "officer_b1", "citizen"])
def test_nobody_else_enters_for_the_market(world, prices, who):
    with pytest.raises(PermissionDenied):
        actions.enter_prices(getattr(world, who), prices.pasar_a, TODAY, {prices.beras.pk: "13500"})
    with pytest.raises(PermissionDenied):
        actions.enter_prices(world.officer_a1, prices.pasar_a2, TODAY, {prices.beras.pk: "13500"})
    assert not PriceEntry.objects.exists()


def test_the_same_key_sent_twice_saves_one_entry(world, prices):
    key = str(uuid.uuid4())
    first = actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "13500"}, keys={prices.beras.pk: key})
    again = actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "13500"}, keys={prices.beras.pk: key})
    assert first[0].created and not again[0].created
    assert again[0].entry.pk == first[0].entry.pk
    assert PriceEntry.objects.count() == 1


def test_bad_input_saves_nothing(world, prices):
    with pytest.raises(ValidationError) as caught:
        actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "13500", prices.gula.pk: "17,8"})
    assert f"price_{prices.gula.pk}" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {999_999: "13500"})
    assert "commodity_999999" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY + dt.timedelta(days=1), {prices.beras.pk: "13500"})
    assert "date" in caught.value.message_dict
    with pytest.raises(ValidationError):
        actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "-13500"})
    assert not PriceEntry.objects.exists()


def test_a_jump_or_an_implausible_price_is_flagged(world, prices):
    approved(prices.pasar_a, prices.cabai, TODAY - dt.timedelta(days=1), 50000)
    saved = actions.enter_prices(
        world.officer_a1, prices.pasar_a, TODAY, {prices.cabai.pk: "70.000", prices.beras.pk: "1.500.000"}
    )
    by = {e.entry.commodity_id: e.entry for e in saved}
    assert by[prices.cabai.pk].status == "flagged"
    assert (by[prices.cabai.pk].outside_band, by[prices.cabai.pk].jump) == (False, Decimal("40.0"))
    assert by[prices.beras.pk].status == "flagged"
    assert (by[prices.beras.pk].outside_band, by[prices.beras.pk].jump) == (True, None)
    ok = actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.gula.pk: "17500"})
    assert ok[0].entry.status == "pending"


def test_reentering_replaces_until_approved(world, prices):
    actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "13500"})
    entry = actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "13600"})[0].entry
    assert PriceEntry.objects.get().price == 13600
    actions.review_entry(world.head_a1, entry.pk, "approve")
    with pytest.raises(ValidationError):
        actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "13700"})
    assert PriceEntry.objects.get().price == 13600


def test_the_coordinator_approves_corrects_or_rejects(world, prices):
    saved = actions.enter_prices(
        world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "135000", prices.gula.pk: "17500", prices.cabai.pk: "1"}
    )
    by = {e.entry.commodity_id: e.entry for e in saved}
    corrected = actions.review_entry(world.head_a1, by[prices.beras.pk].pk, "approve", corrected="13.500")
    assert (corrected.status, corrected.price, corrected.entered_price) == ("approved", 13500, 135000)
    assert PriceEvent.objects.filter(kind="corrected", actor=world.head_a1).exists()
    with pytest.raises(ValidationError):
        actions.review_entry(world.head_a1, by[prices.cabai.pk].pk, "reject")
    assert actions.review_entry(world.head_a1, by[prices.cabai.pk].pk, "reject", note="Salah ketik").status == "rejected"
    with pytest.raises(ValidationError):
        actions.review_entry(world.head_a1, by[prices.cabai.pk].pk, "approve")
    assert actions.approve_all(world.admin_a, world.region_a, [by[prices.gula.pk].pk]) == 1


@pytest.mark.parametrize("who", ["officer_a1", "officer_a2", "admin_b", "officer_b1", "citizen"])
def test_only_the_team_approves(world, prices, who):
    entry = actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.beras.pk: "13500"})[0].entry
    with pytest.raises(PermissionDenied):
        actions.review_entry(getattr(world, who), entry.pk, "approve")
    assert actions.approve_all(getattr(world, who), world.region_a, [entry.pk]) == 0
    assert PriceEntry.objects.get().status == "pending"


def test_only_approved_prices_count(world, prices):
    approved(prices.pasar_a, prices.beras, TODAY, 13000)
    approved(prices.pasar_a2, prices.beras, TODAY, 14001)
    actions.enter_prices(world.officer_a1, prices.pasar_a, TODAY, {prices.gula.pk: "17500"})
    series = selectors.series(world.region_a, TODAY, TODAY)
    assert series == {prices.beras.pk: {TODAY: __import__("decimal").Decimal("13500.5")}}
