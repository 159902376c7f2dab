"""Study visits: the request, the host's agenda, the visit held, participants and lessons, who sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.catalog.tests.factories import make_service
from pendopo.cooperation import actions, selectors
from pendopo.cooperation.models import Visit, VisitState
from pendopo.cooperation.tests.conftest import request

pytestmark = pytest.mark.django_db


def test_request_schedule_hold(world, visit):
    assert visit.state == VisitState.REQUESTED and visit.topics.count() == 3
    with pytest.raises(PermissionDenied):
        actions.schedule_visit(world.admin_b, visit, [])  # the visitor does not schedule
    with pytest.raises(ValidationError) as exc:
        actions.schedule_visit(
            world.admin_a, visit, [{"day": dt.date(2022, 3, 10), "starts_at": dt.time(9), "ends_at": dt.time(10), "title": "x"}]
        )
    assert "agenda" in exc.value.message_dict
    assert visit.agenda.count() == 0
    actions.schedule_visit(
        world.admin_a,
        visit,
        [
            {
                "day": dt.date(2022, 3, 8),
                "starts_at": dt.time(9),
                "ends_at": dt.time(11),
                "title": "MPP",
                "service_point": world.counter_a,
            }
        ],
    )
    visit.refresh_from_db()
    assert visit.state == VisitState.SCHEDULED and visit.agenda.count() == 1
    actions.record_held(world.admin_b, visit)
    visit.refresh_from_db()
    assert visit.state == VisitState.HELD


def test_bad_requests(world):
    with pytest.raises(ValidationError) as exc:
        request(world, starts_on=dt.date(2022, 3, 9), ends_on=dt.date(2022, 3, 8), topics="", delegation="")
    assert set(exc.value.message_dict) == {"ends_on", "topics", "delegation"}
    with pytest.raises(PermissionDenied):
        actions.request_visit(
            world.citizen, world.region_b, world.region_a, purpose="x", starts_on=None, ends_on=None, delegation="x", topics="x"
        )
    assert Visit.objects.count() == 0


def test_double_submit_makes_one_visit(world):
    assert request(world, token="abc").pk == request(world, token="abc").pk
    assert Visit.objects.count() == 1


def test_lessons_link_what_the_host_published(world, held_visit):
    published = make_service(world.admin_a, world.agency_a1, code="KTP-EL", publish=True)
    draft = make_service(world.admin_a, world.agency_a1, code="AKTA", name="Akta", publish=False)
    topic = held_visit.topics.first()
    lesson = actions.add_lesson(
        world.admin_b, held_visit, title="MPP", learnt="Satu atap.", topic=topic, service=published, service_point=world.counter_a
    )
    assert lesson.service == published
    with pytest.raises(ValidationError) as exc:
        actions.add_lesson(world.admin_b, held_visit, title="Draft", learnt="x", service=draft)
    assert "service" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.add_lesson(world.admin_a, held_visit, title="x", learnt="x")  # the host does not write the visitor's lessons
    actions.add_participant(world.admin_b, held_visit, name="Aras Tammauni", position="Bupati")
    actions.add_participant(world.admin_b, held_visit, name="Aras Tammauni", position="Bupati")  # twice: once
    assert held_visit.participants.count() == 1


def test_both_regions_see_the_visit_the_public_once_held(world, visit):
    assert list(selectors.visits_of(world.officer_a1, world.region_a)) == [visit]  # host staff
    assert list(selectors.visits_of(world.officer_b1, world.region_b)) == [visit]  # visitor staff
    assert list(selectors.visits_of(None, world.region_a)) == []  # a request is not public
    actions.schedule_visit(
        world.admin_a, visit, [{"day": dt.date(2022, 3, 8), "starts_at": dt.time(9), "ends_at": dt.time(10), "title": "MPP"}]
    )
    actions.record_held(world.admin_a, visit)
    assert list(selectors.visits_of(None, world.region_b)) == [visit]


def test_a_lesson_keeps_a_photo_and_refuses_what_is_not_one(world, held_visit):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "PNG")
    lesson = actions.add_lesson(
        world.admin_b, held_visit, title="Loket MPP", learnt="x", photo=SimpleUploadedFile("mpp.png", buffer.getvalue())
    )
    assert lesson.photo.name.endswith(".png")
    with pytest.raises(ValidationError) as exc:
        actions.add_lesson(
            world.admin_b, held_visit, title="Bukan foto", learnt="x", photo=SimpleUploadedFile("a.png", b"%PDF-1.4")
        )
    assert "photo" in exc.value.message_dict
    assert held_visit.lessons.count() == 1
