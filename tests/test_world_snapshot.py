"""The `world` personas are built once per worker and copied back into each test's transaction
(root conftest.py, `world_snapshot`): each test gets the whole world, its own instances, and
sequences past the copied rows; a test that commits builds its own."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.db import connection

from pendopo.innovations.workflow import CODE as INNOVATION_WORKFLOW
from pendopo.regions.models import Membership, Region, Role, User
from pendopo.workflow.models import WorkflowDefinition


def world_rows(world) -> dict[str, object]:
    return {
        "regions": sorted(Region.objects.values_list("slug", flat=True)),
        "users": sorted(User.objects.values_list("username", flat=True)),
        "memberships": sorted(Membership.objects.values_list("user__username", "role", "region__slug")),
        # What a new region's signals make: its default workflows, and the innovation workflow.
        "workflows": sorted(WorkflowDefinition.objects.filter(region=world.region_a).values_list("code", "status")),
    }


def check_world(world) -> None:
    rows = world_rows(world)
    assert rows["regions"] == ["banyuwangi", "mamuju-tengah"]
    assert sorted(world.personas()) == sorted(name for name, value in vars(world).items() if isinstance(value, User))
    assert set(rows["users"]) == {user.username for user in world.personas().values()}
    assert ("kepala_a1", Role.HEAD, "banyuwangi") in rows["memberships"]
    assert ("admin_b", Role.REGION_ADMIN, "mamuju-tengah") in rows["memberships"]
    assert any(code == INNOVATION_WORKFLOW for code, _status in rows["workflows"]), rows["workflows"]
    assert any(code != INNOVATION_WORKFLOW for code, _status in rows["workflows"]), rows["workflows"]
    assert authenticate(username="petugas_a1", password="password") == world.officer_a1
    # New rows get ids past the copied ones (PostgreSQL's sequences do not move on inserted ids).
    newcomer = User.objects.create_user("pendatang", password="x")
    assert newcomer.pk > max(user.pk for user in world.personas().values())


@pytest.mark.django_db
def test_a_test_changes_the_world_and_its_own_instances(world):
    check_world(world)
    world.region_a.address = "Renamed"
    world.region_a.save()
    User.objects.filter(pk=world.citizen.pk).delete()
    assert Region.objects.get(pk=world.region_a.pk).address == "Renamed"


@pytest.mark.django_db
def test_the_next_test_gets_the_world_untouched(world, world_snapshot):
    check_world(world)
    assert world.region_a.address != "Renamed" and Region.objects.get(pk=world.region_a.pk).address != "Renamed"
    assert world.region_a is not world_snapshot.world.region_a  # its own copy of the instances
    assert User.objects.filter(pk=world.citizen.pk).exists()
    with connection.cursor() as cursor:  # the snapshot tables themselves are not emptied by a test
        for saved in world_snapshot.tables.values():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(saved)}")  # noqa: S608 -- names from conftest
            assert cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_test_that_commits_builds_its_own_world(world, world_snapshot):
    check_world(world)
    assert world.region_a.pk != world_snapshot.world.region_a.pk  # built anew, committed, flushed after


@pytest.mark.django_db
def test_after_a_flush_the_world_is_copied_back_whole(world):
    check_world(world)
