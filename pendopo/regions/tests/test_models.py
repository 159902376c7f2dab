"""Rules of the regions models: time zones, office hours, memberships."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pendopo.regions.models import Membership, OfficeHours, Region, Role
from pendopo.regions.tests.factories import UserFactory, regency


@pytest.mark.parametrize(
    ("code", "name", "prefix", "zone"),
    [
        ("35.10", "Kabupaten Banyuwangi", "BWI", "Asia/Jakarta"),
        ("76.06", "Kabupaten Mamuju Tengah", "MTG", "Asia/Makassar"),
        ("94.71", "Kota Jayapura", "JAP", "Asia/Jayapura"),
    ],
)
def test_time_zone_defaults_to_the_province(db, code, name, prefix, zone):
    region = Region.objects.create(regency=regency(code, name), slug=prefix.lower(), prefix=prefix)
    assert region.time_zone == zone


def test_time_zone_can_be_overridden(db):
    region = Region.objects.create(
        regency=regency("61.71", "Kota Pontianak"), slug="pontianak", prefix="PTK", time_zone="Asia/Makassar"
    )
    assert region.time_zone == "Asia/Makassar"


def test_office_hours_break_must_fall_inside(world):
    hours = OfficeHours(
        region=world.region_a, weekday=5, opens=dt.time(8), closes=dt.time(12), break_starts=dt.time(13), break_ends=dt.time(14)
    )
    with pytest.raises(ValidationError) as excinfo:
        hours.full_clean()
    assert "break_starts" in excinfo.value.error_dict


def test_office_hours_with_break_give_two_periods(world):
    hours = OfficeHours(
        region=world.region_a, weekday=5, opens=dt.time(8), closes=dt.time(16), break_starts=dt.time(12), break_ends=dt.time(13)
    )
    assert hours.periods() == ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(16)))


def test_officer_membership_needs_an_agency_or_service_point(world):
    membership = Membership(user=UserFactory(), region=world.region_a, role=Role.OFFICER)
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "agency" in excinfo.value.error_dict


def test_membership_agency_must_be_in_the_same_region(world):
    membership = Membership(user=UserFactory(), region=world.region_a, role=Role.OFFICER, agency=world.agency_b1)
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "agency" in excinfo.value.error_dict


def test_region_admin_is_not_bound_to_an_agency(world):
    membership = Membership(user=UserFactory(), region=world.region_a, role=Role.REGION_ADMIN, agency=world.agency_a1)
    with pytest.raises(ValidationError):
        membership.full_clean()
