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
    expected = ["profile", "agencies", "service_points", "office_hours", "services", "complaint_categories", "staff", "survey"]
    assert missing == expected

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


def test_a_service_on_a_workflow_without_an_active_version_is_listed_until_it_runs_again(world):
    from pendopo.catalog.tests.factories import make_service
    from pendopo.workflow.actions import DEFAULT_SERVICE_CODE
    from pendopo.workflow.models import WorkflowDefinition

    region = world.region_b
    service = make_service(world.admin_b, world.agency_b1)
    assert _open(region)["workflows"]  # it runs on the region's default
    service.workflow_code = "service-hilang"
    service.save(update_fields=["workflow_code"])
    item = next(i for i in checklist(region) if i.key == "workflows")
    assert not item.done and item.detail == service.name
    assert item.url == "/r/mamuju-tengah/atur/alur/"
    service.workflow_code = ""
    service.save(update_fields=["workflow_code"])
    assert _open(region)["workflows"]
    # With no active default either, every service is without a workflow.
    WorkflowDefinition.objects.filter(region=region, code=DEFAULT_SERVICE_CODE).update(status="retired")
    assert not _open(region)["workflows"]


def test_the_survey_item_clears_when_the_regions_staff_print_a_poster_not_a_visitor(client, world):
    from pendopo.surveys.models import Poster

    region = world.region_b
    point = ServicePoint.objects.create(region=region, code="MPP", name="MPP Mamuju Tengah", kind="mall")
    assert not _open(region)["survey"]
    assert client.get("/r/mamuju-tengah/skm/poster/?tempat=MPP").status_code == 200  # a visitor's print
    assert not _open(region)["survey"]
    client.force_login(world.officer_a1)  # another region's officer
    client.get("/r/mamuju-tengah/skm/poster/?tempat=MPP")
    assert not _open(region)["survey"]
    client.force_login(world.admin_b)
    client.get("/r/mamuju-tengah/skm/poster/?tempat=MPP")
    client.get("/r/mamuju-tengah/skm/poster/?tempat=MPP")  # printed twice: one place
    assert _open(region)["survey"]
    poster = Poster.objects.get()
    assert (poster.service_point, poster.service, poster.printed_by) == (point, None, world.admin_b)
