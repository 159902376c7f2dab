"""Mamuju Tengah records its visit to Banyuwangi, commits to adopt a service and an innovation, adopts
them, and the comparison shows both regions with the adopted service's figures."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.catalog import actions as catalog_actions
from pendopo.catalog.tests.factories import make_service
from pendopo.cooperation import actions
from pendopo.cooperation.models import Commitment, Visit
from pendopo.innovations.models import Affair, Innovation
from pendopo.lib import dates
from pendopo.surveys.tests.conftest import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def adopted_copy(world):
    original = make_service(world.admin_a, world.agency_a1, code="AKTA-LAHIR", name="Akta Kelahiran", effective_from=None)
    [copy] = catalog_actions.copy_services(world.admin_b, world.region_b, [catalog_actions.CopyPick(original, world.agency_b1)])
    draft = copy.standards.get()
    draft.decree_number, draft.decree_date = "188/7/2026", dates.today(world.region_b.time_zone)
    draft.save()
    catalog_actions.publish_standard(world.admin_b, draft, effective_from=None)
    copy.refresh_from_db()
    return original, copy


def test_a_visit_its_commitments_adopted_and_the_comparison(page, log_in, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    original, copy = adopted_copy(world)
    for scores in (4, 3):
        answer(original, scores)
    answer(copy, 3)
    innovation = Innovation.objects.create(
        region=world.region_b,
        agency=world.agency_b1,
        code="MTG-INOV-0001",
        period=2026,
        name="Akta langsung dari puskesmas",
        affair=Affair.CIVIL_REGISTRY,
    )
    today = dates.today(world.region_b.time_zone)
    first = today - dt.timedelta(days=10)

    log_in("admin_b")
    page.goto("/r/mamuju-tengah/kerja-sama/kunjungan/minta/")
    page.locator("#id_host").select_option(str(world.region_a.pk))
    page.locator("#id_purpose").fill("Belajar tata kelola pelayanan publik dan inovasi.")
    page.locator("#id_starts_on").fill(first.isoformat())
    page.locator("#id_ends_on").fill((first + dt.timedelta(days=1)).isoformat())
    page.locator("#id_delegation").fill("Bupati Aras Tammauni\nSekda Askari")
    page.locator("#id_topics").fill("Tata kelola pelayanan publik\nInovasi daerah")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/kerja-sama/kunjungan/*/")
    visit = Visit.objects.get()
    assert visit.visitor == world.region_b and visit.topics.count() == 2

    # Banyuwangi's administrator sets the agenda; Mamuju Tengah records the visit as held and a lesson.
    actions.schedule_visit(
        world.admin_a, visit, [{"day": first, "starts_at": dt.time(9), "ends_at": dt.time(11), "title": "MPP"}]
    )
    page.reload()
    page.get_by_role("button", name="Catat kunjungan terlaksana").click()
    page.wait_for_url(f"**/kunjungan/{visit.code}/")
    assert "terlaksana" in page.locator("#visit-state").inner_text()
    page.locator("#id_title").fill("Akta lahir sebelum pulang")
    page.locator("#id_learnt").fill("Akta, KK dan KIA terbit di fasilitas kesehatan.")
    page.locator("#id_service").select_option(str(original.pk))
    page.get_by_role("button", name="Tambahkan pelajaran").click()
    page.wait_for_url("**#lessons")
    assert "Akta lahir sebelum pulang" in page.locator("#lessons").inner_text()

    # Two commitments: adopt the copied service (result: its IKM) and replicate the innovation.
    for title, kind, link, value, metric in (
        ("Adopsi layanan akta kelahiran", "service", "#id_service", str(copy.pk), "ikm"),
        ("Replikasi inovasi akta dari puskesmas", "innovation", "#id_innovation", str(innovation.pk), ""),
    ):
        page.goto("/r/mamuju-tengah/kerja-sama/peta-jalan/baru/")
        page.locator("#id_title").fill(title)
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_owner").select_option(str(world.agency_b1.pk))
        page.locator("#id_stage").fill(f"{today.year}")
        page.locator("#id_due_on").fill(today.isoformat())
        page.locator("#id_visit").select_option(str(visit.pk))
        page.locator(link).select_option(value)
        page.locator("#id_result_metric").select_option(metric)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/peta-jalan/")
    assert Commitment.objects.count() == 2

    # Move both on from the roadmap until they are adopted.
    for commitment in Commitment.objects.order_by("pk"):
        for state in ("planned", "in_progress", "adopted"):
            row = page.locator(f"tr[data-commitment='{commitment.code}']")
            row.locator("select[name=state]").select_option(state)
            if state == "adopted":
                row.locator("input[name=evidence]").fill("Perbup 12/2026")
            row.get_by_role("button", name="Pindahkan").click()
            page.wait_for_url("**/peta-jalan/")
    assert set(Commitment.objects.values_list("state", flat=True)) == {"adopted"}
    assert "100,00 %" in page.locator("#adoption-rate").inner_text()
    row = page.locator(f"tr[data-commitment='{Commitment.objects.get(kind='service').code}']")
    assert "n=1" in row.inner_text()  # the IKM of the adopted service, from its one answer

    # The comparison: both regions, and the adopted service beside its original.
    page.goto(f"/perbandingan/?wilayah=banyuwangi&wilayah=mamuju-tengah&periode={today.year}")
    table = page.locator("#comparison")
    assert "Kabupaten Banyuwangi" in table.inner_text() and "Kabupaten Mamuju Tengah" in table.inner_text()
    types = page.locator("#service-types").inner_text()
    assert "Akta Kelahiran" in types and "banyuwangi/AKTA-LAHIR" in types
    adopted = page.locator("#comparison tr[data-figure=adopted]").inner_text()
    assert "100,00" in adopted
