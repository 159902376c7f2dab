"""The public tracking page links to the survey (once the application is completed) and to filing a complaint."""

from __future__ import annotations

import pytest

from pendopo.applications import actions

pytestmark = pytest.mark.django_db


def test_tracking_links_to_the_complaint_form_and_after_completion_to_the_survey(client, world, apply):
    application = apply()
    page = client.get(f"/lacak/{application.code}/").content.decode()
    assert 'href="/r/banyuwangi/pengaduan/baru/"' in page
    assert "/skm/isi/a/" not in page

    for step, actor in (("receive", world.officer_a1), ("verify", world.officer_a1), ("submit_for_approval", world.officer_a1)):
        application = actions.take_action(application, step, actor)
    actions.take_action(application, "approve", world.head_a1)

    page = client.get(f"/lacak/{application.code}/").content.decode()
    assert "/r/banyuwangi/skm/isi/a/" in page


def test_a_completed_application_shows_its_product_pickup_place_and_hours_without_personal_data(client, world, apply):
    from pendopo.regions.models import OfficeHours

    world.agency_a1.address = "Jl. Letkol Istiqlah No. 42, Banyuwangi"
    world.agency_a1.save()
    for weekday in range(4):
        OfficeHours.objects.update_or_create(
            region=world.region_a,
            service_point=None,
            weekday=weekday,
            defaults={"opens": "07:30", "closes": "15:30", "break_starts": "12:00", "break_ends": "13:00"},
        )
    OfficeHours.objects.update_or_create(
        region=world.region_a, service_point=None, weekday=4, defaults={"opens": "07:30", "closes": "11:00"}
    )
    OfficeHours.objects.filter(region=world.region_a, service_point=None, weekday__gt=4).delete()
    application = apply()
    before = client.get(f"/lacak/{application.code}/").content.decode()
    assert 'id="pickup"' not in before

    for step, actor in (("receive", world.officer_a1), ("verify", world.officer_a1), ("submit_for_approval", world.officer_a1)):
        application = actions.take_action(application, step, actor)
    actions.take_action(application, "approve", world.head_a1)

    page = client.get(f"/lacak/{application.code}/").content.decode()
    pickup = page.split('id="pickup"')[1].split("</section>")[0]
    assert "Siap diambil" in pickup
    assert application.standard.product in pickup
    assert "Dinas Kependudukan dan Pencatatan Sipil, Jl. Letkol Istiqlah No. 42, Banyuwangi" in pickup
    assert "Senin–Kamis 07:30–15:30 (istirahat 12:00–13:00); Jumat 07:30–11:00" in pickup
    assert application.applicant_name not in page and "3510" not in page
