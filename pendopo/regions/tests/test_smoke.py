from pendopo.regions.permissions import Action, can


def test_world_builds_and_admin_manages_own_region(world):
    assert can(world.admin_a, Action.MANAGE, world.agency_a1)
    assert not can(world.admin_b, Action.MANAGE, world.agency_a1)
