"""`pendopo demo`: the two demo regions with agencies, service points, one user per role; idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from pendopo.regions.models import Agency, Membership, OfficeHours, Region, Role, ServicePoint, User
from pendopo.regions.permissions import Action, can


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every Pendopo table, to compare before and after a second run."""
    snapshot = {}
    for model in apps.get_models():
        if model._meta.app_label in {"regions", "catalog", "workflow", "surveys", "applications", "complaints"}:
            snapshot[model._meta.label] = sorted(map(tuple, model._default_manager.values_list()), key=repr)
    return snapshot


def test_demo_switches_on_both_regions(demo):
    banyuwangi = Region.objects.get(regency__code="35.10")
    mateng = Region.objects.get(regency__code="76.06")
    assert banyuwangi.time_zone == "Asia/Jakarta"
    assert mateng.time_zone == "Asia/Makassar"
    for region in (banyuwangi, mateng):
        names = set(Agency.objects.filter(region=region).values_list("name", flat=True))
        assert len(names) >= 8
        assert "Dinas Kependudukan dan Pencatatan Sipil" in names
        assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in names
        # Every agency has a head (the agency pages and the printed standards' signature show it).
        assert not Agency.objects.filter(region=region, head_name="").exists()
        assert ServicePoint.objects.filter(region=region, kind=ServicePoint.Kind.SERVICE_MALL).count() == 1
        assert ServicePoint.objects.filter(region=region, kind=ServicePoint.Kind.COUNTER, parent__code="MPP").count() >= 4
        assert ServicePoint.objects.filter(region=region, kind=ServicePoint.Kind.VILLAGE_OFFICE).exists()
        roles = set(Membership.objects.filter(region=region).values_list("role", flat=True))
        assert roles == {Role.OFFICER, Role.HEAD, Role.REGION_ADMIN}


def test_banyuwangi_office_hours_and_saturday_mall(demo):
    region = Region.objects.get(regency__code="35.10")
    calendar = region.calendar()
    assert calendar.periods(dt.date(2026, 11, 26)) == ((dt.time(7, 30), dt.time(15, 30)),)  # Thursday
    assert calendar.periods(dt.date(2026, 11, 27)) == ((dt.time(7, 30), dt.time(14, 0)),)  # Friday
    assert not calendar.is_working_day(dt.date(2026, 11, 28))  # Saturday
    mall = ServicePoint.objects.get(region=region, code="MPP")
    assert region.calendar(mall).is_working_day(dt.date(2026, 11, 28))  # the service mall opens on Saturday
    assert OfficeHours.objects.filter(region=region, service_point=mall, weekday=5).exists()


def test_demo_prints_logins_of_every_role(demo):
    for username in ("bwi.admin", "bwi.kepala", "bwi.petugas", "bwi.loket", "bwi.desa", "mtg.admin", "warga", "platform"):
        assert username in demo
    assert "pendopo-demo" in demo
    admin = User.objects.get(username="bwi.admin")
    assert admin.check_password("pendopo-demo")
    assert can(admin, Action.MANAGE, Agency.objects.get(region__regency__code="35.10", code="DINKES"))
    assert not can(admin, Action.MANAGE, Agency.objects.get(region__regency__code="76.06", code="DINKES"))
    assert User.objects.get(username="platform").is_platform_admin


@pytest.mark.parametrize(
    ("region_code", "prefix", "population"), [("35.10", "bwi", "DISPENDUKCAPIL"), ("76.06", "mtg", "DISDUKCAPIL")]
)
def test_every_service_mall_counter_belongs_to_the_agency_that_staffs_it(demo, region_code, prefix, population):
    counters = ServicePoint.objects.filter(region__regency__code=region_code, kind=ServicePoint.Kind.COUNTER, parent__code="MPP")
    agencies = [counter.agency for counter in counters.select_related("agency").order_by("code")]
    assert len(agencies) >= 4
    assert None not in agencies
    assert {agency.region.regency_id for agency in agencies} == {region_code}
    assert len({agency.code for agency in agencies}) == len(agencies)  # one counter per agency, as in a real mall
    # Counter 1 is the civil registration agency's: its officer registers the demo's walk-in applications there.
    first = counters.get(code="MPP-L01")
    assert first.agency.code == population
    assert first.agency.short_name in first.name
    assert Membership.objects.get(user__username=f"{prefix}.loket").service_point == first


def test_demo_gives_counters_of_an_earlier_demo_their_agency(demo):
    counters = ServicePoint.objects.filter(kind=ServicePoint.Kind.COUNTER, parent__code="MPP")
    expected = dict(counters.values_list("pk", "agency_id"))
    assert expected and None not in expected.values()
    counters.update(agency=None)  # as an earlier demo left them

    call_command("demo", stdout=StringIO())

    assert dict(counters.values_list("pk", "agency_id")) == expected


def test_running_the_demo_twice_changes_nothing(demo):
    before = _snapshot()
    call_command("demo", stdout=StringIO())
    assert _snapshot() == before


def test_custom_password_is_used_and_not_printed(areas, settings):
    settings.DEBUG = True
    settings.PENDOPO_DEMO_PASSWORD = "kata-sandi-rahasia-42"
    out = StringIO()
    call_command("demo", stdout=out)
    assert User.objects.get(username="warga").check_password("kata-sandi-rahasia-42")
    assert "kata-sandi-rahasia-42" not in out.getvalue()


def test_default_password_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    settings.PENDOPO_DEMO_PASSWORD = "pendopo-demo"
    with pytest.raises(CommandError, match="PENDOPO_DEMO_PASSWORD"):
        call_command("demo", stdout=StringIO())
    assert not Region.objects.exists()
    assert not User.objects.exists()
