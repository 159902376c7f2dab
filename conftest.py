"""Shared personas (like healthchecks' alice/bob/charlie) used across every app's tests.

Region A is Kabupaten Banyuwangi (35.10, WIB) with agencies A1 and A2 and a counter;
region B is Kabupaten Mamuju Tengah (76.06, WITA) with agency B1.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pendopo.regions.models import Agency, Region, Role, ServicePoint, User
from pendopo.regions.tests.factories import (
    AgencyFactory,
    ServicePointFactory,
    UserFactory,
    banyuwangi,
    mamuju_tengah,
    member,
)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class World:
    region_a: Region
    region_b: Region
    agency_a1: Agency
    agency_a2: Agency
    agency_b1: Agency
    counter_a: ServicePoint
    citizen: User
    officer_a1: User
    officer_a2: User
    counter_officer_a: User
    head_a1: User
    admin_a: User
    officer_b1: User
    admin_b: User
    platform_admin: User

    def personas(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


@pytest.fixture
def world(db) -> World:
    region_a, region_b = banyuwangi(), mamuju_tengah()
    agency_a1 = AgencyFactory(
        region=region_a, code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Dispendukcapil"
    )
    agency_a2 = AgencyFactory(region=region_a, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")
    agency_b1 = AgencyFactory(
        region=region_b, code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil"
    )
    counter_a = ServicePointFactory(region=region_a, code="MPP-01", name="Loket 1 MPP Banyuwangi")
    w = World(
        region_a=region_a,
        region_b=region_b,
        agency_a1=agency_a1,
        agency_a2=agency_a2,
        agency_b1=agency_b1,
        counter_a=counter_a,
        citizen=UserFactory(username="warga"),
        officer_a1=UserFactory(username="petugas_a1"),
        officer_a2=UserFactory(username="petugas_a2"),
        counter_officer_a=UserFactory(username="petugas_loket_a"),
        head_a1=UserFactory(username="kepala_a1"),
        admin_a=UserFactory(username="admin_a"),
        officer_b1=UserFactory(username="petugas_b1"),
        admin_b=UserFactory(username="admin_b"),
        platform_admin=UserFactory(username="admin_platform", is_superuser=True, is_staff=True),
    )
    member(w.officer_a1, region_a, Role.OFFICER, agency=agency_a1)
    member(w.officer_a2, region_a, Role.OFFICER, agency=agency_a2)
    member(w.counter_officer_a, region_a, Role.OFFICER, service_point=counter_a)
    member(w.head_a1, region_a, Role.HEAD, agency=agency_a1)
    member(w.admin_a, region_a, Role.REGION_ADMIN)
    member(w.officer_b1, region_b, Role.OFFICER, agency=agency_b1)
    member(w.admin_b, region_b, Role.REGION_ADMIN)
    return w


@pytest.fixture(autouse=True)
def _restore_case_kinds():
    """Tests that register stand-in hooks for a kind of case must not leave the real ones unregistered."""
    from pendopo.workflow import registry

    saved = dict(registry._KINDS)
    yield
    registry._KINDS.clear()
    registry._KINDS.update(saved)
