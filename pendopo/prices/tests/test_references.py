import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pendopo.prices import actions, selectors
from pendopo.prices.models import Commodity, ReferencePrice
from pendopo.prices.reference_data import load_reference_data
from pendopo.prices.zones import zone_of_province


def test_both_demo_regions_are_in_zone_one(world):
    assert selectors.zone_of(world.region_a) == 1
    assert selectors.zone_of(world.region_b) == 1
    assert zone_of_province("91") == 3
    assert zone_of_province("12") == 2


@pytest.mark.django_db
def test_loading_is_idempotent_and_holds_the_reference_figures():
    made, _refs = load_reference_data()
    assert made == 20
    assert load_reference_data() == (0, 0)
    on = selectors.references_on(1, dt.date(2025, 8, 1))
    beras = Commodity.objects.get(code="beras-medium")
    assert (on[beras.pk].upper, on[beras.pk].regulation) == (13500, "Keputusan Kepala Bapanas 299/2025")
    assert selectors.references_on(1, dt.date(2024, 8, 1))[beras.pk].upper == 12500
    assert selectors.references_on(2, dt.date(2025, 8, 1))[beras.pk].upper == 14000
    bawang = Commodity.objects.get(code="bawang-merah")
    assert (on[bawang.pk].kind, on[bawang.pk].lower, on[bawang.pk].upper) == ("range", 36500, 41500)
    gula = Commodity.objects.get(code="gula-pasir")
    assert selectors.references_on(3, dt.date(2025, 8, 1))[gula.pk].upper == 18500
    assert on[Commodity.objects.get(code="tepung-terigu").pk].kind == "none"


@pytest.mark.django_db
def test_an_overlapping_reference_is_refused_and_nothing_saved():
    load_reference_data()
    beras = Commodity.objects.get(code="beras-medium")
    before = ReferencePrice.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.save_reference(
            ReferencePrice(commodity=beras, zone=1, kind="ceiling", upper=14000, regulation="X", valid_from=dt.date(2025, 12, 1))
        )
    assert "valid_from" in caught.value.message_dict
    assert ReferencePrice.objects.count() == before
    # Ending the current version first makes room for the next one.
    current = ReferencePrice.objects.get(commodity=beras, zone=1, valid_to__isnull=True)
    current.valid_to = dt.date(2026, 6, 30)
    actions.save_reference(current)
    actions.save_reference(
        ReferencePrice(commodity=beras, zone=1, kind="ceiling", upper=14000, regulation="X", valid_from=dt.date(2026, 7, 1))
    )
    assert selectors.references_on(1, dt.date(2026, 8, 1))[beras.pk].upper == 14000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "range", "upper": 100}, "lower"),
        ({"kind": "range", "lower": 200, "upper": 100}, "lower"),
        ({"kind": "ceiling"}, "upper"),
        ({"kind": "none", "upper": 5}, "upper"),
        ({"kind": "ceiling", "upper": 5, "valid_to": dt.date(2019, 1, 1)}, "valid_to"),
    ],
)
def test_inconsistent_references_are_refused(fields, field):
    commodity = Commodity.objects.create(code="x", name="X")
    with pytest.raises(ValidationError) as caught:
        actions.save_reference(ReferencePrice(commodity=commodity, zone=1, valid_from=dt.date(2020, 1, 1), **fields))
    assert field in caught.value.message_dict
