"""The permission matrix of a complaint: who sees it, who acts, who moderates, who manages keys."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.complaints import actions, selectors
from pendopo.complaints.models import Complaint, Privacy
from pendopo.complaints.tests.conftest import file
from pendopo.regions.permissions import Action, can
from pendopo.workflow.engine import available_actions

pytestmark = pytest.mark.django_db

# persona → (may see a confidential complaint of agency A1, may act on it, may moderate, actions in "new")
MATRIX = {
    "citizen": (False, False, False, set()),
    "officer_a1": (True, True, False, set()),
    "officer_a2": (False, False, False, set()),
    "counter_officer_a": (False, False, False, set()),
    "head_a1": (True, True, False, set()),
    "admin_a": (True, True, True, {"verify", "postpone", "not_our_authority", "archive"}),
    "officer_b1": (False, False, False, set()),
    "admin_b": (False, False, False, set()),
    "platform_admin": (True, True, True, {"verify", "postpone", "not_our_authority", "archive"}),
}


@pytest.fixture
def confidential(world, setup) -> Complaint:
    return file(world.region_a, setup.road_a, privacy=Privacy.CONFIDENTIAL, reporter_name="Rahasia").complaint


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_matrix(client, world, confidential, persona):
    user = getattr(world, persona)
    sees, acts, moderates, new_actions = MATRIX[persona]
    assert can(user, Action.VIEW, confidential) is sees
    assert can(user, Action.ACT, confidential) is acts
    assert can(user, Action.MANAGE, confidential) is moderates
    assert {a.key for a in available_actions(confidential.case, user)} == new_actions
    client.force_login(user)
    assert client.get(confidential.get_absolute_url()).status_code == (200 if sees else 404)
    inbox = selectors.inbox(user, world.region_a)
    assert (confidential in inbox) is acts


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_public_complaint_is_seen_by_everyone_but_handled_by_few(client, world, setup, persona):
    complaint = file(world.region_a, setup.road_a).complaint
    user = getattr(world, persona)
    client.force_login(user)
    page = client.get(complaint.get_absolute_url())
    assert page.status_code == 200
    assert page.context["access"].is_staff is MATRIX[persona][1]
    response = client.post(
        reverse("complaints:act", args=[world.region_a.slug, complaint.code]), {"action": "archive", "note": "uji"}
    )
    assert response.status_code == (302 if MATRIX[persona][2] else 403)


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_api_keys_are_managed_by_region_administrators(world, persona):
    from django.core.exceptions import PermissionDenied

    user = getattr(world, persona)
    if MATRIX[persona][2]:
        client, _key = actions.issue_api_key(world.region_a, "Klien", actor=user)
        assert actions.revoke_api_key(client, actor=user).revoked_at is not None
    else:
        with pytest.raises(PermissionDenied):
            actions.issue_api_key(world.region_a, "Klien", actor=user)


def test_a_regions_admin_cannot_see_the_other_regions_keys(world):
    from pendopo.complaints.models import ApiClient
    from pendopo.regions.permissions import visible_to

    actions.issue_api_key(world.region_a, "A")
    actions.issue_api_key(world.region_b, "B")
    assert [c.name for c in visible_to(world.admin_b, ApiClient.objects.all(), Action.MANAGE)] == ["B"]
    assert [c.name for c in visible_to(world.officer_a1, ApiClient.objects.all(), Action.VIEW)] == []
