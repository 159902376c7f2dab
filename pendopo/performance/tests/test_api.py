"""The SAKIP API: indicators, targets, realisations (written by the responsible agency), achievement, LKE."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pendopo.performance import actions
from pendopo.performance.models import Criterion, EvaluatorSeat, LeadershipSeat, PlanningPeriod, Realisation, Status
from pendopo.regions.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/sakip/35.10"
EN = {"accept-language": "en"}


def put(client, address, body):
    return client.put(address, body, content_type="application/json", headers=EN)


def test_indicators_with_target_realisation_and_achievement(client, world, plan, in_q3):
    realisation = actions.enter_realisation(world.officer_a1, plan.docs, 2026, 3, value=Decimal(70))
    actions.review_realisation(world.head_a1, realisation, approve=True)
    actions.enter_realisation(world.officer_a2, plan.stunting, 2026, 3, value=Decimal(12))  # waiting: not public
    rows = {row["code"]: row for row in client.get(f"{API}/indicators?year=2026&quarter=3").json()}
    docs = rows["A1-1"]
    assert (docs["target"]["value"], docs["realisation"], docs["status"]) == ("80.00", "70.00", "verified")
    assert docs["result"] == {"achievement": "87.50", "computable": True, "flags": [], "band": "high"}
    assert docs["at_risk"] and docs["parent"] == "IKU-1" and docs["agency"] == "DISDUKCAPIL"
    assert rows["A2-1"]["realisation"] is None  # the public sees verified figures only
    assert rows["A1-3"]["computed"] and rows["A1-3"]["target"]["value_high"] == "90.00"
    client.force_login(world.officer_a1)  # staff of the region see the waiting figure: (2 − 12/10) × 100
    staff = {row["code"]: row for row in client.get(f"{API}/indicators?year=2026&quarter=3").json()}
    assert staff["A2-1"]["result"]["achievement"] == "80.00" and staff["A2-1"]["status"] == "submitted"
    targets = client.get(f"{API}/indicators/A1-1/targets?year=2026").json()
    assert [(t["quarter"], t["value"]) for t in targets] == [(q, "80.00") for q in range(5)]
    assert client.get(f"{API}/indicators?year=2026&quarter=7", headers=EN).status_code == 422


def test_another_region_sees_only_what_is_published(client, world, plan, in_q3):
    client.force_login(world.admin_b)
    assert {row["code"] for row in client.get(f"{API}/indicators?year=2026&quarter=3").json()} >= {"A1-1"}
    PlanningPeriod.objects.filter(pk=plan.period.pk).update(is_published=False)
    assert client.get(f"{API}/indicators?year=2026&quarter=3").json() == []
    assert client.get(f"{API}/indicators/A1-1/targets?year=2026").status_code == 404


def test_the_responsible_agency_enters_once_and_the_head_verifies(client, world, plan, in_q3):
    address = f"{API}/indicators/A1-1/realisations/2026/3"
    client.force_login(world.officer_a1)
    first = put(client, address, {"value": "72,5", "explanation": "Sesuai SIAK"})
    assert first.status_code == 201 and first.json()["value"] == "72.50" and first.json()["status"] == "submitted"
    again = put(client, address, {"value": "73"})
    assert again.status_code == 200 and Realisation.objects.filter(indicator=plan.docs).count() == 1
    assert client.post(f"{address}/review", {"approve": True}, content_type="application/json").status_code == 403
    client.force_login(world.head_a1)
    verified = client.post(f"{address}/review", {"approve": True}, content_type="application/json")
    assert verified.status_code == 200 and verified.json()["status"] == Status.VERIFIED
    client.force_login(world.officer_a1)
    closed = put(client, address, {"value": "75"})
    assert closed.status_code == 422
    assert closed.json()["errors"] == [{"field": "quarter", "code": "closed", "message": "This quarter is verified and closed."}]


@pytest.mark.parametrize("who", ["officer_a2", "officer_b1", "admin_b", "citizen"])
def test_others_cannot_enter(client, world, plan, in_q3, who):
    client.force_login(getattr(world, who))
    response = put(client, f"{API}/indicators/A1-1/realisations/2026/3", {"value": "70"})
    assert response.status_code in (403, 404)
    assert not Realisation.objects.exists()


def test_leadership_reads_but_never_writes(client, world, plan, in_q3):
    LeadershipSeat.objects.create(region=world.region_a, user=world.citizen, title="Bupati")
    actions.enter_realisation(world.officer_a1, plan.docs, 2026, 3, value=Decimal(70))
    client.force_login(world.citizen)
    assert [r["status"] for r in client.get(f"{API}/realisations?year=2026").json()] == ["submitted"]
    assert put(client, f"{API}/indicators/A1-1/realisations/2026/3", {"value": "80"}).status_code == 403
    assert client.post(
        f"{API}/indicators/A1-1/realisations/2026/3/review", {"approve": True}, content_type="application/json"
    ).status_code in (403, 404)


def test_bad_input_is_422_per_field_and_nothing_saved(client, world, plan, in_q3):
    client.force_login(world.officer_a1)
    base = f"{API}/indicators/A1-1/realisations/2026"
    body = put(client, f"{base}/3", {"value": "-5"}).json()
    assert body["errors"] == [{"field": "value", "code": "negative", "message": "A negative figure is not allowed here."}]
    assert put(client, f"{base}/3", {"value": "banyak"}).json()["errors"][0]["field"] == "value"
    assert put(client, f"{base}/4", {"value": "5"}).json()["errors"][0]["code"] == "future"
    assert put(client, f"{API}/indicators/A1-2/realisations/2026/3", {}).json()["errors"][0]["field"] == "achieved"
    assert not Realisation.objects.exists()
    client.logout()
    assert put(client, f"{base}/3", {"value": "5"}).status_code == 401


def test_achievement_endpoint_is_the_commands(client, db):
    assert client.get("/api/v1/sakip/achievement?target=80&realisation=70").json()["achievement"] == "87.50"
    lower = client.get("/api/v1/sakip/achievement?target=10&realisation=12&polarity=lower").json()
    assert lower["achievement"] == "80.00"
    ranged = client.get("/api/v1/sakip/achievement?target=82&target_high=90&realisation=85").json()
    assert ranged["achievement"] == "100.00"
    zero = client.get("/api/v1/sakip/achievement?target=0&realisation=5").json()
    assert (zero["achievement"], zero["computable"], zero["flags"]) == (None, False, ["not_computable"])
    bad = client.get("/api/v1/sakip/achievement?target=x&realisation=5", headers=EN)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "target"


def test_lke_scores_published_to_all_and_unpublished_to_staff(client, world):
    inspector = UserFactory(username="inspektur_a")
    EvaluatorSeat.objects.create(region=world.region_a, user=inspector, title="Inspektorat")
    round_ = actions.start_round(world.admin_a, world.region_a.pk, 2025)
    for criterion in Criterion.objects.filter(subcomponent__component__round=round_):
        actions.answer_criterion(world.admin_a, criterion, evaluator=False, value=Decimal(1))
        actions.answer_criterion(inspector, criterion, evaluator=True, value=Decimal(int(criterion.code != "1.c.1")))
    assert client.get(f"{API}/lke").json() == []
    assert client.get(f"{API}/lke/2025").status_code == 404
    client.force_login(inspector)
    detail = client.get(f"{API}/lke/2025").json()
    assert (detail["evaluator"]["total"], detail["evaluator"]["grade"], detail["gap"]) == ("96.25", "AA", "-3.75")
    assert detail["self_assessment"]["components"][0] == {"code": "1", "weight": "30.00", "score": "30.00", "value": None}
    actions.set_round_status(world.admin_a, round_, "completed", publish=True)
    client.logout()
    assert client.get(f"{API}/lke").json() == [
        {
            "year": 2025, "status": "completed", "published": True, "self_total": "100.00", "self_grade": "AA",
            "evaluator_total": "96.25", "evaluator_grade": "AA",
        }
    ]  # fmt: skip


def test_the_openapi_document_lists_the_sakip_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/sakip/{code}/indicators",
        "/api/v1/sakip/{code}/indicators/{indicator}/targets",
        "/api/v1/sakip/{code}/realisations",
        "/api/v1/sakip/{code}/indicators/{indicator}/realisations/{year}/{quarter}",
        "/api/v1/sakip/{code}/indicators/{indicator}/realisations/{year}/{quarter}/review",
        "/api/v1/sakip/achievement",
        "/api/v1/sakip/{code}/lke",
        "/api/v1/sakip/{code}/lke/{year}",
    } <= set(paths)
