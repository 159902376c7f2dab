"""A user's active memberships: one indexed query per request, so a change applies from the next request.

There is no cache across requests (the per-process cache and its access stamps are gone: see
docs/architecture.md), so each change below, however it is written (save, update, bulk writes,
deletes and cascades), is seen by the next request in every process.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendopo.regions.models import Agency, Membership, Regency, Region, Role, ServicePoint, User
from pendopo.regions.permissions import get_for_user, region_for, role_in
from pendopo.regions.tests.factories import member
from pendopo.regions.tests.test_permission_matrix import PERSONAS

MEMBERSHIP_QUERY = 'FROM "regions_membership" INNER JOIN "regions_region"'


def fresh(user: User) -> User:
    """The user as the next request loads them."""
    return User.objects.get(pk=user.pk)


def places(user: User) -> list[tuple]:
    """What the resolver reads from the memberships (and their linked rows) of a freshly loaded user."""
    return sorted(
        (
            m.role,
            m.region.slug,
            m.region.name,
            m.region.is_active,
            m.agency.name if m.agency else None,
            m.agency.is_active if m.agency else None,
            m.service_point.name if m.service_point else None,
            m.service_point.is_active if m.service_point else None,
            m.service_point.agency_id if m.service_point else None,
        )
        for m in fresh(user).active_memberships
    )


def test_each_request_reads_the_memberships_once(client, world):
    client.force_login(world.officer_a1)
    url = reverse("regions:agencies", args=[world.region_a.slug])
    for _request in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len([q for q in captured.captured_queries if MEMBERSHIP_QUERY in q["sql"]]) == 1


def test_the_memberships_are_read_once_per_user_object(world, django_assert_num_queries):
    user = fresh(world.head_a1)
    with django_assert_num_queries(1):
        assert role_in(user, world.region_a) == Role.HEAD
        assert [m.agency.name for m in user.active_memberships] == [world.agency_a1.name]
    with django_assert_num_queries(0):
        assert role_in(user, world.region_a) == Role.HEAD


def test_the_membership_query_uses_the_user_index(world):
    user = fresh(world.officer_a1)
    with CaptureQueriesContext(connection) as captured:
        assert user.active_memberships
    sql = captured.captured_queries[0]["sql"]
    assert '"regions_membership"."user_id" =' in sql and '"regions_membership"."is_active"' in sql


# --- every change is seen at once by the next request ---------------------------------------------------


def _only_membership(user: User) -> Membership:
    return Membership.objects.get(user=user)


def add_membership(w):
    member(w.officer_a1, w.region_a, Role.OFFICER, agency=w.agency_a2)


def add_membership_with_bulk_create(w):
    Membership.objects.bulk_create(
        [Membership(user_id=w.officer_a1.pk, region=w.region_a, role=Role.OFFICER, agency=w.agency_a2)]
    )


def deactivate_membership(w):
    m = _only_membership(w.officer_a1)
    m.is_active = False
    m.save(update_fields=["is_active"])


def deactivate_membership_with_update(w):
    Membership.objects.filter(user=w.officer_a1, is_active=True).update(is_active=False)


def delete_membership(w):
    _only_membership(w.officer_a1).delete()


def delete_membership_with_queryset(w):
    Membership.objects.filter(region=w.region_a, agency=w.agency_a1, role=Role.OFFICER).delete()


def delete_agency_with_its_memberships(w):
    Agency.objects.get(pk=w.agency_a1.pk).delete()


def move_membership_to_another_agency(w):
    m = _only_membership(w.officer_a1)
    m.agency = w.agency_a2
    m.save()


def move_membership_to_another_agency_with_update(w):
    Membership.objects.filter(user=w.officer_a1).update(agency=w.agency_a2)


def move_memberships_with_bulk_update(w):
    m = _only_membership(w.officer_a1)
    m.agency_id = w.agency_a2.pk
    Membership.objects.bulk_update([m], ["agency"])


def rename_agency(w):
    agency = Agency.objects.get(pk=w.agency_a1.pk)
    agency.name = "Dinas Kependudukan"
    agency.save()


def rename_agency_through_the_region(w):
    w.region_a.agencies.filter(code=w.agency_a1.code).update(name="Dinas Kependudukan")


def deactivate_agency_with_bulk_update(w):
    agency = Agency.objects.get(pk=w.agency_a1.pk)
    agency.is_active = False
    Agency.objects.bulk_update([agency], ["is_active"])


def rename_region(w):
    regency = Regency.objects.get(pk=w.region_a.regency_id)
    regency.name = "Kabupaten Blambangan"
    regency.save()


def rename_regions_as_load_areas_does(w):
    Regency.objects.bulk_update([Regency(code=w.region_a.regency_id, name="Kabupaten Blambangan")], ["name"])


def deactivate_region(w):
    region = Region.objects.get(pk=w.region_a.pk)
    region.is_active = False
    region.save()


def deactivate_region_with_update(w):
    Region.objects.filter(slug=w.region_a.slug, is_active=True).update(is_active=False)


def move_the_region_to_a_new_address(w):
    Region.objects.filter(pk=w.region_a.pk).update(slug="blambangan")


def upsert_region(w):
    region = Region.objects.get(pk=w.region_a.pk)
    region.slug = "blambangan"
    Region.objects.bulk_create([region], update_conflicts=True, unique_fields=["regency"], update_fields=["slug"])


CHANGES = [
    add_membership,
    add_membership_with_bulk_create,
    deactivate_membership,
    deactivate_membership_with_update,
    delete_membership,
    delete_membership_with_queryset,
    delete_agency_with_its_memberships,
    move_membership_to_another_agency,
    move_membership_to_another_agency_with_update,
    move_memberships_with_bulk_update,
    rename_agency,
    rename_agency_through_the_region,
    deactivate_agency_with_bulk_update,
    rename_region,
    rename_regions_as_load_areas_does,
    deactivate_region,
    deactivate_region_with_update,
    move_the_region_to_a_new_address,
    upsert_region,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_the_next_request_sees_a_change_at_once(world, change: Callable):
    before = places(world.officer_a1)
    change(world)
    after = places(world.officer_a1)
    assert after != before
    truth = sorted(
        (
            m.role,
            m.region.slug,
            m.region.name,
            m.region.is_active,
            *((m.agency.name, m.agency.is_active) if m.agency else ("", False)),
            None,
            None,
            None,
        )
        for m in Membership.objects.filter(user=world.officer_a1, is_active=True).select_related("region__regency", "agency")
    )
    assert after == truth


def test_a_reactivated_membership_counts_again(world):
    Membership.objects.filter(user=world.officer_a1).update(is_active=False)
    assert places(world.officer_a1) == []
    Membership.objects.filter(user=world.officer_a1, is_active=False).update(is_active=True)
    assert [place[4] for place in places(world.officer_a1)] == [world.agency_a1.name]


def give_with_save(w):
    m = _only_membership(w.officer_a1)
    m.user = w.officer_a2
    m.save()


def give_with_update(w):
    Membership.objects.filter(user=w.officer_a1).update(user=w.officer_a2)


@pytest.mark.parametrize("give", [give_with_save, give_with_update])
def test_a_membership_given_to_another_user_leaves_the_first_one(world, give):
    give(world)
    assert places(world.officer_a1) == []
    assert [place[4] for place in places(world.officer_a2)] == sorted([world.agency_a1.name, world.agency_a2.name])


def test_members_of_a_service_point_see_it_renamed_deactivated_and_losing_its_agency(world):
    counter = ServicePoint.objects.get(pk=world.counter_a.pk)
    counter.agency = world.agency_a2
    counter.save()
    assert places(world.counter_officer_a)[0][6:] == (counter.name, True, world.agency_a2.pk)
    ServicePoint.objects.filter(pk=counter.pk).update(name="Loket 1", is_active=False)
    assert places(world.counter_officer_a)[0][6:] == ("Loket 1", False, world.agency_a2.pk)
    # Deleting the agency empties the service point's agency (SET_NULL) without touching the membership.
    Agency.objects.get(pk=world.agency_a2.pk).delete()
    assert places(world.counter_officer_a)[0][6:] == ("Loket 1", False, None)


def test_deleting_a_region_reaches_every_member_through_the_cascade(world):
    from django.apps import apps

    before_b = places(world.admin_b)
    # A region set up has its default workflows (pendopo.workflow), which protect it: they go first.
    apps.get_model("workflow", "WorkflowDefinition").objects.filter(region=world.region_a).delete()
    Region.objects.filter(pk=world.region_a.pk).delete()
    for name in ("officer_a1", "counter_officer_a", "admin_a"):
        assert places(getattr(world, name)) == []
    assert places(world.admin_b) == before_b


def test_a_membership_lost_closes_the_inbox_on_the_next_request(client, world):
    client.force_login(world.officer_a1)
    url = reverse("applications:inbox", args=[world.region_a.slug])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=world.officer_a1).update(is_active=False)
    assert client.get(url).status_code == 404


# --- region_for --------------------------------------------------------------------------------------------


def _outcome(find: Callable[[], Region]) -> tuple:
    try:
        region = find()
    except Http404:
        return ("404",)
    return (region.pk, region.slug, region.is_active, region.name, region.time_zone, region.regency.code)


@pytest.mark.parametrize("active", [True, False], ids=["active", "inactive"])
@pytest.mark.parametrize("region_key", ["a", "b"])
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_region_for_answers_as_get_for_user(world, persona, region_key, active):
    assert set(PERSONAS) == {*world.personas(), "anonymous"}  # no persona of the world is left out
    region = getattr(world, f"region_{region_key}")
    if not active:
        Region.objects.filter(pk=region.pk).update(is_active=False)

    def user():
        if persona == "anonymous":
            from django.contrib.auth.models import AnonymousUser

            return AnonymousUser()
        return fresh(getattr(world, persona))

    want = _outcome(lambda: get_for_user(user(), Region.objects.select_related("regency"), slug=region.slug))
    assert _outcome(lambda: region_for(user(), region.slug)) == want
    if not active and persona in ("officer_a1", "officer_b1", "citizen", "anonymous"):
        assert want == ("404",)  # the matrix really covers refusals
    assert _outcome(lambda: region_for(user(), "nowhere")) == ("404",)


def test_region_for_a_member_asks_nothing_beyond_the_memberships(world, django_assert_num_queries):
    user = fresh(world.officer_a1)
    assert user.active_memberships
    with django_assert_num_queries(0):
        region = region_for(user, world.region_a.slug)
        assert region.name == world.region_a.name
    with django_assert_num_queries(1):
        assert region_for(user, world.region_b.slug) == world.region_b


def test_region_for_an_officer_of_an_inactive_region_asks_the_database(world, django_assert_num_queries):
    deactivate_region(world)
    officer, admin = fresh(world.officer_a1), fresh(world.admin_a)
    assert officer.active_memberships and admin.active_memberships
    with django_assert_num_queries(1), pytest.raises(Http404):
        region_for(officer, world.region_a.slug)
    # Its administrator still works there: from the memberships already read.
    with django_assert_num_queries(0):
        assert region_for(admin, world.region_a.slug).is_active is False
