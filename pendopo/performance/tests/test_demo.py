"""The `pendopo demo` step: Banyuwangi's plan, 8 quarters, LKE graded A; Mamuju Tengah's first year."""

from __future__ import annotations

import re

from django.urls import reverse

from pendopo.lib import dates
from pendopo.performance import lke, progress
from pendopo.performance.demo import load_demo_performance
from pendopo.performance.models import EvaluationRound, Goal, Indicator, PlanningPeriod, Realisation, RoundStatus, Status
from pendopo.regions.models import Region, User


def test_banyuwangi_plan_quarters_lke_and_live_indicators(demo, client):
    region = Region.objects.get(slug="banyuwangi")
    assert "performance: banyuwangi 17 indicators" in demo
    assert Goal.objects.filter(region=region).count() == 5
    agency_items = Indicator.objects.filter(region=region, agency__isnull=False)
    assert agency_items.count() == 12
    assert agency_items.values("agency").distinct().count() == 4
    assert all(item.parent is not None for item in agency_items)  # cascading from the region's indicators
    quarters = set(Realisation.objects.filter(region=region).values_list("year", "quarter"))
    assert len(quarters) == 8
    today = dates.today(region.time_zone)
    current = (today.year, (today.month - 1) // 3 + 1)
    assert max(quarters) == current
    waiting = Realisation.objects.filter(region=region, status=Status.SUBMITTED)
    assert set(waiting.values_list("year", "quarter")) == {current}  # the head has this quarter to verify
    # Five completed, published rounds, each graded A by the evaluator; the unit itself was more optimistic.
    rounds = EvaluationRound.objects.filter(region=region)
    assert rounds.count() == 5 and all(r.status == RoundStatus.COMPLETED and r.is_published for r in rounds)
    for round_ in rounds:
        figures = lke.round_score(round_).display()
        assert figures["evaluator"]["grade"] == "A"
        assert figures["self"]["grade"] == "AA"
    # The live service indicators are computed from the demo's own data.
    items = list(Indicator.objects.filter(region=region).select_related("agency"))
    rows = {row.indicator.code: row for row in progress.quarter_rows(region, items, *current)}
    assert rows["IKD-1"].live is not None and rows["IKD-1"].value is not None
    assert rows["KES-1"].at_risk and rows["SOS-2"].missing  # below target, and not entered yet
    assert not rows["DUK-3"].at_risk

    client.force_login(User.objects.get(username="bwi.kepala"))
    page = client.get(reverse("performance:head_dashboard", kwargs={"region_slug": "banyuwangi"}))
    assert page.status_code == 200 and "DUK-3" in page.content.decode()
    assert f"/sakip/laporan/pk/DISPENDUKCAPIL/{today.year}.pdf" in page.content.decode()  # the signed PK
    client.force_login(User.objects.get(username="bwi.bupati"))
    page = client.get(reverse("performance:region_dashboard", kwargs={"region_slug": "banyuwangi"}))
    assert page.status_code == 200 and "Dinas Sosial" in page.content.decode()
    # Its figures in Indonesian notation: the evaluation's totals and every agency's IKM.
    html = page.content.decode()
    assert "96,25 (AA)" in html and "87,00 (A)" in html
    ikm = re.findall(r'data-label="IKM">([^<]*)<', html)
    assert ikm and all(re.fullmatch(r"\d{2},\d{2}|—", value) for value in ikm) and any(v != "—" for v in ikm)


def test_mamuju_tengah_first_year_plan_and_lke_in_progress(demo):
    region = Region.objects.get(slug="mamuju-tengah")
    today = dates.today(region.time_zone)
    period = PlanningPeriod.objects.get(region=region)
    assert period.start_year == today.year and period.is_published
    assert Indicator.objects.filter(region=region).count() == 6
    assert set(Realisation.objects.filter(region=region).values_list("year", flat=True)) <= {today.year}
    round_ = EvaluationRound.objects.get(region=region)
    assert round_.status == RoundStatus.SELF_ASSESSMENT and not round_.is_published
    figures = lke.round_score(round_).display()
    assert figures["unanswered"]["self"] > 0 and figures["unanswered"]["evaluator"] > 0


def test_the_step_runs_once(demo):
    before = Realisation.objects.count()
    assert load_demo_performance() == "performance: already loaded"
    assert Realisation.objects.count() == before
