"""The region's index from the register: claimed vs verified, eligibility, per agency, what-if, replication."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pendopo.innovations import actions, scoring, selectors
from pendopo.innovations.catalogue import SID, SPD
from pendopo.innovations.models import Affair, Innovation, Replication, Stage, Status

from .conftest import evidence, filled, verified

# The mandatory rows at the conftest's levels: 16 (w3) x3 + 17 (w2) x2 + 32 (w2) x3 + 33 (w3) x2 + 35 (w4) x3 = 9+4+6+6+12
MANDATORY_TOTAL = Decimal(37)


def test_claimed_and_verified(world):
    verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    claimed_only = filled(
        world.officer_a2, world.region_a, world.agency_a2, name="Banyuwangi Tanggap Stunting", affair=Affair.HEALTH
    )
    actions.submit(world.officer_a2, claimed_only)
    actions.save_score(world.admin_a, world.region_a, 2026, SPD, "8", evidence(3))  # 1.5 x 3 = 4.5, not verified yet

    result = scoring.region_index(world.region_a, 2026)
    claimed, checked = result.claimed.display(), result.verified.display()
    assert (claimed["innovations"], checked["innovations"]) == (2, 1)
    assert claimed["spd"] == "4.50" and checked["spd"] == "0.00"
    # claimed: (4.5 + 74 / 12) / 250 x 100 = 4.2667 -> 4.27; verified: 37 / 12 / 250 x 100 = 1.2333 -> 1.23
    assert claimed["iid"] == "4.27"
    assert checked["iid"] == "1.23"
    assert result.difference == Decimal("3.04")
    assert checked["empty_seats"] == 11
    by_agency = {row.agency.code: row for row in result.agencies}
    assert by_agency["DINKES"].reported == 1 and by_agency["DINKES"].verified == 0
    assert by_agency["DINKES"].difference == Decimal("1.23")  # 37 / 12 / 250 x 100
    assert by_agency["DISDUKCAPIL"].difference == Decimal("0.00")
    assert sorted(result.missing_affairs_verified)[0]  # six basic affairs, none covered by civil registry
    assert len(result.missing_affairs_verified) == 6


def test_rejected_row_counts_in_claims_only(world):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1, rows={"18": 3})
    actions.submit(world.officer_a1, innovation)
    for score in innovation.scores.all():
        actions.verify_row(world.admin_a, score, "rejected" if score.indicator == "18" else "accepted", "DPA tidak ada")
    actions.finish_verification(world.admin_a, innovation, approve=True)
    entry = scoring.region_index(world.region_a, 2026).entries[0]
    assert entry.claimed == MANDATORY_TOTAL + 6
    assert entry.verified == MANDATORY_TOTAL


def test_ineligible_innovation_is_left_out_of_the_verified_index_with_reasons(world):
    old = verified(
        world.officer_a1, world.admin_a, world.region_a, world.agency_a1, implemented_on=dt.date(2020, 1, 6), trial_on=None
    )
    result = scoring.region_index(world.region_a, 2026)
    assert result.claimed.innovations == 1 and result.verified.innovations == 0
    assert any("2024" in reason for reason in result.entries[0].verified_problems)
    # A latest development inside the window makes it eligible again.
    Innovation.objects.filter(pk=old.pk).update(developed_on=dt.date(2025, 2, 1))
    assert scoring.region_index(world.region_a, 2026).verified.innovations == 1


def test_trial_stage_is_not_eligible(world):
    innovation = actions.create_innovation(
        world.officer_a1,
        world.region_a,
        world.agency_a1,
        {"name": "Uji", "period": 2026, "stage": Stage.TRIAL, "trial_on": dt.date(2025, 1, 1), "affair": Affair.HEALTH},
    )
    with translation.override("en"):
        reasons = scoring.problems(innovation, scoring.catalogue.period(2026), [], verified=False)
    assert any("implementation stage" in r for r in reasons)
    assert any("design text" in r for r in reasons)


def test_what_if_leaves_innovations_out(world):
    a = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    verified(world.officer_a2, world.admin_a, world.region_a, world.agency_a2, name="Rantang Kasih", affair=Affair.SOCIAL)
    full = scoring.region_index(world.region_a, 2026)
    without = scoring.region_index(world.region_a, 2026, exclude={a.code})
    assert full.verified.innovations == 2 and without.verified.innovations == 1
    assert without.verified.iid < full.verified.iid


def test_replication_is_counted_for_the_original(world):
    source = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    replication = actions.replicate(
        world.officer_b1,
        source,
        world.region_b,
        world.agency_b1,
        inspiration="Studi tiru ke Banyuwangi",
        process="Kerja sama dengan RSUD dan bidan desa",
        difference="Menjangkau desa terpencil dengan perahu",
        agreement="180/12/MATENG/2026",
    )
    copy = replication.adopted
    assert copy.region == world.region_b and copy.status == Status.DRAFT and copy.name == source.name
    assert copy.replicated_from.source == source
    # A draft copy does not count yet: only published copies are the evidence.
    assert selectors.counted_replications(source) == 0
    copy_rows = {"16": 1, "17": 1, "32": 1, "33": 1, "35": 1}
    for code, level in copy_rows.items():
        actions.save_score(world.officer_b1, copy, 2026, SID, code, evidence(level, **({"basis": "a"} if code == "33" else {})))
    actions.update_innovation(world.officer_b1, copy, {"stage": Stage.IMPLEMENTATION, "implemented_on": dt.date(2026, 6, 1)})
    actions.submit(world.officer_b1, copy)
    for score in copy.scores.all():
        actions.verify_row(world.admin_b, score, "accepted")
    actions.finish_verification(world.admin_b, copy, approve=True)

    assert selectors.counted_replications(source) == 1
    entry = scoring.region_index(world.region_a, 2026).entries[0]
    assert entry.replications == 1
    assert entry.verified == MANDATORY_TOTAL + 3  # row 31, weight 3, level 1
    assert [r.region for r in selectors.replications_of(None, source)] == [world.region_b]


def test_replicating_ones_own_innovation_is_refused(world):
    source = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    with pytest.raises(ValidationError) as caught:
        actions.replicate(world.officer_a2, source, world.region_a, world.agency_a2, inspiration="x", process="y", difference="z")
    assert caught.value.code == "own"
    assert "sendiri" in caught.value.messages[0]  # in the user's language
    assert not Replication.objects.exists()


def test_replication_needs_its_three_aspects(world):
    source = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    before = Innovation.objects.count()
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        actions.replicate(world.officer_b1, source, world.region_b, world.agency_b1, inspiration="  ", process="y", difference="")
    assert set(caught.value.message_dict) == {"inspiration", "difference"}
    with translation.override("id"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert caught.value.message_dict["inspiration"] == [required]  # Django's own message, in Indonesian
    assert Innovation.objects.count() == before and not Replication.objects.exists()  # nothing half-saved


def test_only_a_published_innovation_is_replicated(world):
    draft = filled(world.officer_a1, world.region_a, world.agency_a1)
    with pytest.raises(PermissionDenied):
        actions.replicate(world.officer_b1, draft, world.region_b, world.agency_b1, inspiration="x", process="y", difference="z")


def test_index_queries_do_not_grow_with_innovations(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pendopo.catalog.tests.factories import make_service
    from pendopo.complaints.models import ComplaintCategory

    service = make_service(world.admin_a, world.agency_a1, code="AKTA")
    ComplaintCategory.objects.create(region=world.region_a, code="AKTA", name="Akta", agency=world.agency_a1, service=service)
    counts = []
    for n in range(4):
        innovation = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1, name=f"Inovasi {n}")
        innovation.services.set([service])
        with CaptureQueriesContext(connection) as queries:
            scoring.region_index(world.region_a, 2026)
        counts.append(len(queries))
    # The register's four, and Pendopo's own data for rows 28, 29 and 34 (services, complaints, SKM).
    assert counts == [counts[0]] * 4
    with django_assert_max_num_queries(12):
        scoring.region_index(world.region_a, 2026)
