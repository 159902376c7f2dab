"""The setup checklist: each missing piece appears, links to its page, and clears once the data is there."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.accounts.models import Invitation
from pendopo.complaints.models import ComplaintCategory
from pendopo.lib import dates
from pendopo.regions.models import OfficeHours, Region, Role, ServicePoint
from pendopo.regions.tests.factories import AgencyFactory, UserFactory, member, regency
from pendopo.setup.checklist import checklist

pytestmark = pytest.mark.django_db


def _open(region: Region) -> dict[str, bool]:
    return {item.key: item.done for item in checklist(region)}


def test_a_fresh_region_lacks_everything_and_each_item_clears(world):
    region = Region.objects.create(regency=regency("76.05", "Kabupaten Mamuju", "Sulawesi Barat"), slug="mamuju", prefix="MMJ")
    missing = [key for key, done in _open(region).items() if not done]
    # Hours of service points that keep their own: none exist yet, so none lack them.
    assert missing == ["profile", "agencies", "service_points", "office_hours", "services", "complaint_categories", "staff"]

    region.address, region.contact_email = "Jl. Soekarno-Hatta", "pemda@mamujukab.go.id"
    region.save()
    agency = AgencyFactory(region=region, code="DISDUKCAPIL")
    point = ServicePoint.objects.create(region=region, code="MPP", name="MPP Mamuju", kind="mall", has_own_hours=True)
    OfficeHours.objects.create(region=region, weekday=0, opens=dt.time(8), closes=dt.time(16))
    state = _open(region)
    assert state["profile"] and state["agencies"] and state["service_points"] and state["office_hours"]
    assert not state["point_hours"]  # the mall keeps its own hours but has none
    assert next(i for i in checklist(region) if i.key == "point_hours").detail == "MPP Mamuju"

    OfficeHours.objects.create(region=region, service_point=point, weekday=0, opens=dt.time(8), closes=dt.time(14))
    ComplaintCategory.objects.create(region=region, code="UMUM", name="Umum", agency=agency)
    # An open invitation counts as invited; an expired one does not.
    invite = {"region": region, "role": Role.OFFICER, "agency": agency, "full_name": "Andi", "email": "andi@example.go.id"}
    Invitation.objects.create(**invite, token_hash="a" * 64, expires_at=dates.now() - dt.timedelta(days=1))
    assert not _open(region)["staff"]
    Invitation.objects.create(**invite, token_hash="b" * 64, expires_at=dates.now() + dt.timedelta(days=7))
    assert _open(region)["staff"]
    Invitation.objects.all().delete()
    member(UserFactory(), region, Role.OFFICER, agency=agency)
    state = _open(region)
    assert state["point_hours"] and state["complaint_categories"] and state["staff"]
    assert not state["services"]  # no service published yet


def test_the_setup_home_lists_the_missing_items_with_their_links(client, world, django_assert_max_num_queries):
    client.force_login(world.admin_b)
    with django_assert_max_num_queries(16):
        page = client.get("/r/mamuju-tengah/atur/").content.decode()
    assert 'id="check-office_hours" data-done="0"' in page
    assert 'href="/r/mamuju-tengah/atur/jam-layanan/"' in page
    assert 'id="check-agencies" data-done="1"' in page  # the world gives it one agency
    assert "Tayangkan" not in page  # the region is live already
    assert "Tarik halaman publik" in page


def test_go_live_publishes_the_public_pages(client, world):
    region = world.region_b
    Region.objects.filter(pk=region.pk).update(is_active=False)
    assert client.get("/r/mamuju-tengah/").status_code == 404
    client.force_login(world.admin_b)
    assert "Tayangkan" in client.get("/r/mamuju-tengah/atur/").content.decode()
    client.force_login(world.admin_a)
    assert client.post("/r/mamuju-tengah/atur/tayang/", {"live": "1"}).status_code == 404
    client.force_login(world.admin_b)
    assert client.post("/r/mamuju-tengah/atur/tayang/", {"live": "1"}).status_code == 302
    client.logout()
    assert client.get("/r/mamuju-tengah/").status_code == 200
