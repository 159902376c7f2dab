"""The innovations API: register, rows, the index per region and period, replications, with permissions."""

from __future__ import annotations

import pytest

from pendopo.innovations import actions
from pendopo.innovations.catalogue import SPD
from pendopo.innovations.models import Affair

from .conftest import evidence, filled, verified

pytestmark = pytest.mark.django_db

BWI = "/api/v1/innovations/35.10"
MTG = "/api/v1/innovations/76.06"


@pytest.fixture
def register(world):
    published = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    waiting = filled(world.officer_a2, world.region_a, world.agency_a2, name="Banyuwangi Tanggap Stunting", affair=Affair.HEALTH)
    actions.submit(world.officer_a2, waiting)
    draft = filled(world.officer_a1, world.region_a, world.agency_a1, name="Smart Kampung")
    score = actions.save_score(world.admin_a, world.region_a, 2026, SPD, "8", evidence(3))
    actions.verify_row(world.admin_a, score, "accepted")
    actions.save_score(world.admin_a, world.region_a, 2026, SPD, "9", evidence(3))  # waiting: the team only
    return published, waiting, draft


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["code"] for item in response.json()["items"]}


def test_the_register_shows_each_caller_what_they_may_see(client, world, register):
    published, waiting, draft = register
    assert codes(client.get(f"{BWI}/register")) == {published.code}
    item = client.get(f"{BWI}/register").json()["items"][0]
    assert (item["status"], item["published"], item["agency"], item["is_basic_service"]) == (
        "verified",
        True,
        "DISDUKCAPIL",
        False,
    )
    client.force_login(world.officer_b1)  # another region's staff: only what is published
    assert codes(client.get(f"{BWI}/register")) == {published.code}
    client.force_login(world.officer_a1)  # the agency: its own, whatever the state
    assert codes(client.get(f"{BWI}/register")) == {published.code, draft.code}
    client.force_login(world.admin_a)  # the team: the whole region
    assert codes(client.get(f"{BWI}/register?period=2026")) == {published.code, waiting.code, draft.code}
    assert codes(client.get(f"{BWI}/register?status=submitted")) == {waiting.code}
    assert codes(client.get(f"{BWI}/register?q=stunting")) == {waiting.code}
    assert codes(client.get(f"{BWI}/register?agency=DINKES")) == {waiting.code}


def test_detail_and_rows(client, world, register):
    published, waiting, _draft = register
    body = client.get(f"{BWI}/register/{published.code}").json()
    assert body["name"] == "Lahir Procot Pulang Bawa Akta" and body["design"] and body["replicated_from"] is None
    assert client.get(f"{BWI}/register/{waiting.code}").status_code == 404  # not published: as if it did not exist
    rows = {row["indicator"]: row for row in client.get(f"{BWI}/register/{published.code}/scores").json()}
    assert rows["16"]["score"] == "9.00" and rows["16"]["verdict"] == "accepted" and rows["16"]["has_evidence"]
    assert rows["33"]["basis"] == "a"
    client.force_login(world.officer_a2)
    waiting_rows = client.get(f"{BWI}/register/{waiting.code}/scores").json()
    assert {row["verdict"] for row in waiting_rows} == {"waiting"} and len(waiting_rows) == 5
    spd = client.get(f"{BWI}/scores/2026").json()
    assert [row["indicator"] for row in spd] == ["8"]  # not the team: accepted rows only
    client.force_login(world.admin_a)
    assert [row["indicator"] for row in client.get(f"{BWI}/scores/2026").json()] == ["8", "9"]
    assert client.get(f"{BWI}/scores/1999").status_code == 404


def test_the_index_public_verified_team_claimed(client, world, register):
    body = client.get(f"{BWI}/index/2026").json()
    # verified: (4.5 + 37 / 12) / 250 × 100 = 3.0333 -> 3.03
    assert body["verified"]["iid"] == "3.03" and body["verified"]["category"] == "Kurang Inovatif"
    assert body["verified"]["empty_seats"] == 11 and body["verified"]["spd"] == "4.50"
    assert body["claimed"] is None and body["agencies"] is None and body["difference"] is None
    assert [e["name"] for e in body["entries"]] == ["Lahir Procot Pulang Bawa Akta"]
    assert len(body["missing_basic_services"]) == 6
    client.force_login(world.officer_a1)  # the agency's staff are not the team
    assert client.get(f"{BWI}/index/2026").json()["claimed"] is None
    client.force_login(world.admin_a)
    team = client.get(f"{BWI}/index/2026").json()
    # claimed: (4.5 + 3 + 74 / 12) / 250 × 100 = 5.4667 -> 5.47
    assert team["claimed"]["iid"] == "5.47" and team["difference"] == "2.44"
    assert {row["agency"]: row["difference"] for row in team["agencies"]} == {"DINKES": "1.23", "DISDUKCAPIL": "0.00"}
    assert len(team["entries"]) == 2
    assert client.get(f"{BWI}/index/2031").status_code == 404


def test_replications_both_ways(client, world, register):
    published, _waiting, _draft = register
    replication = actions.replicate(
        world.admin_b,
        published,
        world.region_b,
        world.agency_b1,
        inspiration="Kunjungan belajar ke Banyuwangi.",
        process="Pelatihan petugas.",
        difference="Penjemputan berkas di desa.",
        agreement="119/01/PKS/2025",
    )
    # The copy is a draft: the public sees no replication yet, the adopting region's staff do.
    assert client.get(f"{BWI}/replications").json() == []
    client.force_login(world.admin_b)
    rows = client.get(f"{MTG}/replications?direction=by").json()
    assert [(r["source"], r["adopted"], r["source_region"], r["region"]) for r in rows] == [
        (published.code, replication.adopted.code, "35.10", "76.06")
    ]
    detail = client.get(f"{MTG}/register/{replication.adopted.code}").json()
    assert detail["replicated_from"]["source"] == published.code and detail["replicated_from"]["agreement"]
    assert client.get(f"{MTG}/replications?direction=from").json() == []
    response = client.get(f"{MTG}/replications?direction=sideways", headers={"accept-language": "id"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "direction"


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/innovations/{code}/register",
        "/api/v1/innovations/{code}/register/{innovation}",
        "/api/v1/innovations/{code}/register/{innovation}/scores",
        "/api/v1/innovations/{code}/scores/{year}",
        "/api/v1/innovations/{code}/index/{year}",
        "/api/v1/innovations/{code}/replications",
    ):
        assert path in paths
