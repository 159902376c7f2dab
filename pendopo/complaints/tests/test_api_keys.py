"""Open311 API keys: the admin page issues (shown once) and revokes; the open311_keys command."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from pendopo.complaints import keys
from pendopo.complaints.models import ApiClient

pytestmark = pytest.mark.django_db
ADMIN = "/admin/complaints/apiclient/"


def test_admin_issues_a_key_shown_once(client, world):
    client.force_login(world.admin_a)
    response = client.post(
        ADMIN + "add/", {"region": world.region_a.pk, "name": "Aplikasi Lapor", "contact": "dev@example.id"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    key = next(word for text in shown for word in text.split() if word.startswith("p311-"))
    stored = ApiClient.objects.get()
    assert keys.matches(key, stored.key_hash) and key not in stored.key_hash
    assert stored.created_by == world.admin_a
    listing = client.get(ADMIN)
    assert key.encode() not in listing.content and stored.key_prefix.encode() in listing.content


def test_admin_revokes(client, world):
    client.force_login(world.admin_a)
    client.post(ADMIN + "add/", {"region": world.region_a.pk, "name": "A"})
    stored = ApiClient.objects.get()
    client.post(ADMIN, {"action": "revoke", "_selected_action": [stored.pk]})
    stored.refresh_from_db()
    assert stored.revoked_at is not None and stored.revoked_by == world.admin_a


def test_admin_of_another_region_sees_nothing(client, world):
    client.force_login(world.admin_a)
    client.post(ADMIN + "add/", {"region": world.region_a.pk, "name": "A"})
    client.cookies.clear()  # the message that showed the key to admin_a rides in a cookie
    client.force_login(world.admin_b)
    assert ApiClient.objects.get().key_prefix.encode() not in client.get(ADMIN).content
    assert client.get(ADMIN + f"{ApiClient.objects.get().pk}/change/").status_code in (302, 403, 404)
    # Nor can they issue a key for region A.
    client.post(ADMIN + "add/", {"region": world.region_a.pk, "name": "B"})
    assert ApiClient.objects.count() == 1


def test_officers_have_no_admin(client, world):
    client.force_login(world.officer_a1)
    assert client.get(ADMIN).status_code == 302


def test_command_issue_list_revoke(world, capsys):
    call_command("open311_keys", "issue", "--region", "35.10", "--name", "Aplikasi", "--json")
    issued = json.loads(capsys.readouterr().out)
    assert issued["key"].startswith("p311-") and issued["jurisdiction_id"] == "35.10"
    call_command("open311_keys", "list", "--region", "35.10", "--json")
    assert json.loads(capsys.readouterr().out) == [
        {"prefix": issued["prefix"], "name": "Aplikasi", "revoked": False, "last_used_at": None}
    ]
    call_command("open311_keys", "revoke", issued["prefix"])
    assert ApiClient.objects.get().revoked_at is not None
    with pytest.raises(CommandError):
        call_command("open311_keys", "issue", "--region", "99.99", "--name", "x")
    with pytest.raises(CommandError):
        call_command("open311_keys", "revoke", "nothing0")
