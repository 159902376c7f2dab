"""The pages: who sees them (another region's users get 404), what they show, constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendopo.applications.tests.conftest import exe_bytes, pdf_bytes, upload
from pendopo.performance import actions
from pendopo.performance.models import Indicator, LeadershipSeat, Realisation, Status, Target

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def url(name, **kwargs):
    return reverse(f"performance:{name}", kwargs={"region_slug": "banyuwangi", **kwargs})


def get(client, user, address):
    if user is not None:
        client.force_login(user)
    return client.get(address, headers=EN)


def test_head_dashboard_shows_the_agency_and_only_to_its_head(client, world, plan, in_q3):
    actions.enter_realisation(world.officer_a1, plan.docs, 2026, 3, value=Decimal(40))
    page = get(client, world.head_a1, url("head_dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dinas Kependudukan dan Pencatatan Sipil" in html
    assert "Indicators at risk, quarter 3 2026" in html and "50.00" in html  # 40 / 80
    assert "<svg" in html and 'role="img"' in html
    assert "/laporan/lkjip/2026.pdf?agency=DISDUKCAPIL" in html and "/laporan/pk/" not in html  # no PK signed yet
    for user in (world.officer_a1, world.officer_b1, world.admin_b):
        assert get(client, user, url("head_dashboard")).status_code == 404
    client.logout()
    assert client.get(url("head_dashboard")).status_code == 302  # to the login page
    assert get(client, world.admin_a, url("head_dashboard") + "?agency=DINKES").status_code == 200


def test_region_dashboard_for_leadership_and_administrators_only(client, world, plan, in_q3):
    leader = world.citizen
    assert get(client, leader, url("region_dashboard")).status_code == 404
    LeadershipSeat.objects.create(region=world.region_a, user=leader, title="Bupati")
    html = get(client, leader, url("region_dashboard")).content.decode()
    assert "Dinas Kesehatan" in html and "Agencies side by side" in html
    assert get(client, world.admin_a, url("region_dashboard")).status_code == 200
    for user in (world.head_a1, world.officer_a1, world.admin_b):
        assert get(client, user, url("region_dashboard")).status_code == 404


def _grow(world, plan, n):
    """n more manual indicators with targets and realisations for agency A1."""
    for i in range(n):
        item = Indicator.objects.create(
            region=world.region_a, period=plan.period, agency=world.agency_a1, code=f"X{i}", name="x", unit="%", polarity="higher"
        )
        Target.objects.create(region=world.region_a, indicator=item, year=2026, quarter=3, value=Decimal(10))
        actions.enter_realisation(world.officer_a1, item, 2026, 3, value=Decimal(i))


def count_queries(client, address):
    client.get(address, headers=EN)  # warm the per-process caches (memberships, calendars)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address, headers=EN).status_code == 200
    return len(queries)


def test_dashboards_issue_a_constant_number_of_queries(client, world, plan, in_q3):
    LeadershipSeat.objects.create(region=world.region_a, user=world.citizen, title="Bupati")
    client.force_login(world.head_a1)
    head_before = count_queries(client, url("head_dashboard"))
    list_before = count_queries(client, url("indicators"))
    client.force_login(world.citizen)
    region_before = count_queries(client, url("region_dashboard"))
    _grow(world, plan, 6)
    client.force_login(world.head_a1)
    assert count_queries(client, url("head_dashboard")) == head_before
    assert count_queries(client, url("indicators")) == list_before
    client.force_login(world.citizen)
    assert count_queries(client, url("region_dashboard")) == region_before


def test_officer_enters_with_evidence_head_verifies_through_the_pages(client, world, plan, in_q3):
    address = url("enter", code="A1-1", year=2026, quarter=3)
    assert get(client, world.officer_a2, address).status_code == 404
    assert get(client, world.officer_b1, address).status_code == 404
    client.force_login(world.officer_a1)
    bad = client.post(address, {"value": "70", "evidence": [upload("virus.pdf", exe_bytes())]}, headers=EN)
    assert bad.status_code == 400 and "virus.pdf: This file is not a PDF/JPG/PNG document" in bad.content.decode()
    assert not Realisation.objects.exists()
    done = client.post(address, {"value": "70", "explanation": "SIAK", "evidence": [upload("data.pdf", pdf_bytes())]}, headers=EN)
    assert done.status_code == 302
    detail = url("realisation", code="A1-1", year=2026, quarter=3)
    page = get(client, world.officer_b1, detail)
    assert page.status_code == 404  # not verified: another region's user sees nothing
    page = get(client, world.head_a1, detail).content.decode()
    assert "87.50" in page and "data.pdf" in page
    assert client.post(detail, {"decision": "verify"}, headers=EN).status_code == 302
    assert Realisation.objects.get().status == Status.VERIFIED
    assert get(client, world.officer_b1, detail).status_code == 200  # verified and published
    evidence = Realisation.objects.get().evidence.get()
    file_url = url("evidence", code="A1-1", year=2026, quarter=3, digest=evidence.sha256)
    assert get(client, world.officer_b1, file_url).status_code == 404
    assert get(client, world.officer_a1, file_url).status_code == 200


def test_indicator_list_public_and_definitions(client, world, plan, in_q3):
    html = client.get(url("indicators") + "?year=2026&quarter=3", headers=EN).content.decode()
    assert "A1-1" in html and "computed" in html and url("definitions") + "#on_time" in html
    assert client.get(url("definitions"), headers=EN).status_code == 200
    assert client.get(url("indicators") + "?quarter=9").status_code == 404
    plan.period.is_published = False
    plan.period.save()
    assert "A1-1" not in get(client, world.officer_b1, url("indicators")).content.decode()


def test_evaluation_page(client, world, plan):
    round_ = actions.start_round(world.admin_a, world.region_a.pk, 2025)
    assert get(client, world.officer_b1, url("evaluation", year=2025)).status_code == 404
    assert "Consistency checks" in get(client, world.officer_a1, url("evaluation", year=2025)).content.decode()
    actions.set_round_status(world.admin_a, round_, "completed", publish=True)
    client.logout()
    assert client.get(url("evaluation", year=2025), headers=EN).status_code == 200


def test_the_evaluator_answers_a_criterion_on_the_page(client, world):
    from pendopo.performance.models import Criterion, EvaluatorSeat
    from pendopo.regions.tests.factories import UserFactory

    inspector = UserFactory(username="inspektur_a")
    EvaluatorSeat.objects.create(region=world.region_a, user=inspector, title="Inspektorat")
    actions.start_round(world.admin_a, world.region_a.pk, 2026)
    address = url("criterion", year=2026, code="1.a.1")
    assert get(client, world.head_a1, address).status_code == 404
    page = get(client, inspector, address)
    assert page.status_code == 200 and "evaluator" in page.content.decode()
    bad = client.post(address, {"value": "0.5", "note": ""}, headers=EN)  # outside the yes/no scale
    assert bad.status_code == 400
    assert Criterion.objects.get(code="1.a.1").evaluator_value is None
    done = client.post(address, {"value": "1", "note": "Pedoman ada", "recommendation": "Agar dipertahankan."}, headers=EN)
    assert done.status_code == 302
    item = Criterion.objects.get(code="1.a.1")
    assert (item.evaluator_value, item.evaluator_note, item.self_value) == (1, "Pedoman ada", None)
    # The administrator enters the self-assessment on the same page, never the evaluator's value.
    client.force_login(world.admin_a)
    client.post(address, {"value": "1", "note": "Ada SK"}, headers=EN)
    item.refresh_from_db()
    assert (item.self_value, item.self_note, item.evaluator_note) == (1, "Ada SK", "Pedoman ada")
    html = get(client, inspector, url("evaluation", year=2026)).content.decode()
    assert "Pedoman ada" in html and "Evaluation report (PDF)" in html


def test_a_figure_waiting_for_verification_is_not_public(client, world, plan, in_q3):
    actions.enter_realisation(world.officer_a1, plan.docs, 2026, 3, value=Decimal("41.5"))
    assert "41.50" not in get(client, None, url("indicators")).content.decode()
    assert "41.50" in get(client, world.officer_a2, url("indicators")).content.decode()  # staff of the region
    assert "41.50" not in get(client, world.admin_b, url("indicators")).content.decode()  # another region


def test_heads_and_the_leadership_reach_their_dashboards_from_the_sakip_pages(client, world, plan, in_q3):
    import re

    def links(user):
        html = get(client, user, url("indicators")).content.decode()
        block = re.search(r'<nav[^>]*aria-label="Performance \(SAKIP\)".*?</nav>', html, re.S).group(0)
        return re.findall(r'href="([^"]+)"', block)

    client.logout()
    assert url("head_dashboard") not in links(None) and url("region_dashboard") not in links(None)
    assert url("head_dashboard") in links(world.head_a1) and url("region_dashboard") not in links(world.head_a1)
    assert url("head_dashboard") not in links(world.officer_a1)
    LeadershipSeat.objects.create(region=world.region_a, user=world.citizen, title="Bupati")
    assert url("region_dashboard") in links(world.citizen)
    assert get(client, world.citizen, url("region_dashboard")).status_code == 200


def test_region_dashboard_shows_the_roadmap_per_stage(client, world, plan, in_q3):
    import datetime as dt

    from pendopo.cooperation.models import Commitment

    for n, (stage, state) in enumerate(
        (("2026-Q3", "adopted"), ("2026-Q3", "dropped"), ("2026-Q3", "planned"), ("2027", "proposed"))
    ):
        Commitment.objects.create(
            region=world.region_a, code=f"KOM-{n}", title=f"Komitmen {n}", owner=world.agency_a1, stage=stage,
            due_on=dt.date(2026, 12, 31), state=state, dropped_reason="Tidak ada anggaran." if state == "dropped" else "",
        )  # fmt: skip
    LeadershipSeat.objects.create(region=world.region_a, user=world.citizen, title="Bupati")
    for user in (world.citizen, world.admin_a):
        html = get(client, user, url("region_dashboard")).content.decode()
        assert "Adoption roadmap per stage" in html
        title = html.split("<title>")[1].split("</title>")[0]
        assert "<" not in title and "roadmap" not in title  # the section sits in the page, not in its title
        assert html.count('id="roadmap"') == 1
        q3 = html.split('data-stage="2026-Q3"')[1].split("</tr>")[0]
        assert "<td>3</td><td>1</td><td>1</td>" in q3 and "50.00%" in q3 and "33.33%" in q3  # 1/(3-1) and 1/3
        assert 'data-stage="2027"' in html and html.index('data-stage="2026-Q3"') < html.index('data-stage="2027"')
