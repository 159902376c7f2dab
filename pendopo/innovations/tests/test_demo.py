"""The demo: Banyuwangi's 30 innovations scored for 2026, Mamuju Tengah's 5 with two replications."""

from __future__ import annotations

from pendopo.innovations import actions, scoring, selectors
from pendopo.innovations.demo import load_demo_innovations
from pendopo.innovations.models import BASIC_SERVICE_AFFAIRS, Innovation, Replication, Score, Status
from pendopo.regions.models import Region


def test_banyuwangi_reports_thirty_mostly_verified(demo):
    region = Region.objects.get(slug="banyuwangi")
    innovations = Innovation.objects.filter(region=region, period=2026)
    assert innovations.count() == 30
    by_status = {status: innovations.filter(status=status).count() for status in Status.values}
    assert by_status == {"verified": 25, "submitted": 2, "returned": 1, "draft": 2}
    names = set(innovations.values_list("name", flat=True))
    assert {"Lahir Procot Pulang Bawa Akta", "Smart Kampung", "Rantang Kasih", "Siswa Asuh Sebaya"} <= names
    assert {"Banyuwangi Tanggap Stunting", "Garda Ampuh"} <= names
    # What the actions check holds for the demo's own figures too.
    for innovation in innovations.exclude(status=Status.DRAFT):
        actions.check_fields(region, {name: getattr(innovation, name) for name in actions.FIELDS})
        assert not actions.submission_problems(innovation), innovation.name
    assert all(score.has_evidence for score in Score.objects.filter(region=region))

    result = scoring.region_index(region, 2026)
    verified = result.verified.display()
    assert verified["innovations"] == 24  # Bunga Desa is verified but implemented before the window
    assert verified["basic_services"] == 6 and verified["empty_seats"] == 0
    assert verified["category"] == "Inovatif"
    assert result.claimed.iid > result.verified.iid  # two rejected rows and the innovations still waiting
    left_out = {e.innovation.name: e.verified_problems for e in result.entries if not e.counts_verified}
    assert "Bunga Desa (Bupati Ngantor di Desa)" in left_out
    assert {i.affair for i in innovations.filter(status=Status.VERIFIED)} >= BASIC_SERVICE_AFFAIRS


def test_mamuju_tengah_replicates_two_and_banyuwangi_scores_row_31(demo):
    mamuju = Region.objects.get(slug="mamuju-tengah")
    assert Innovation.objects.filter(region=mamuju, period=2026).count() == 5
    replications = Replication.objects.filter(region=mamuju).select_related("source", "adopted")
    assert {r.source.name for r in replications} == {"Lahir Procot Pulang Bawa Akta", "Rantang Kasih"}
    for replication in replications:
        assert replication.source.region.slug == "banyuwangi"
        assert replication.adopted.status == Status.VERIFIED
        assert replication.inspiration and replication.process and replication.difference and replication.agreement
        assert selectors.counted_replications(replication.source) == 1
    akta = Innovation.objects.get(region=mamuju, name="Lahir Procot Pulang Bawa Akta")
    assert akta.services.filter(code="AKTA-LAHIR").exists()
    entries = {e.innovation.name: e for e in scoring.region_index(Region.objects.get(slug="banyuwangi"), 2026).entries}
    assert entries["Rantang Kasih"].replications == 1
    assert entries["Smart Kampung"].replications == 0
    assert scoring.region_index(mamuju, 2026).verified.display()["innovations"] == 4


def test_the_step_runs_once(demo):
    before = Innovation.objects.count()
    assert load_demo_innovations() is None
    assert Innovation.objects.count() == before
