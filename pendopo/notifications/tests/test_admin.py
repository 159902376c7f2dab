"""The admin lists a region's messages to its administrators only, masked, with a retry for dead ones."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendopo.notifications.models import Message, Status
from pendopo.notifications.tests.helpers import email, sms

CHANGELIST = reverse("admin:notifications_message_changelist")


@pytest.fixture
def messages(world):
    a_email = email(key="a:1:email", region=world.region_a)
    a_sms = sms(key="a:1:sms", region=world.region_a)
    b_email = email(key="b:1:email", to="siti@example.org", region=world.region_b)
    platform = email(key="platform:1:email", to="ops@example.net")
    return a_email, a_sms, b_email, platform


def change_url(message: Message) -> str:
    return reverse("admin:notifications_message_change", args=[message.pk])


def test_region_admin_sees_own_region_masked(client, world, messages, django_assert_max_num_queries):
    a_email, a_sms, *_ = messages
    client.force_login(world.admin_a)
    with django_assert_max_num_queries(8):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "b***@example.com" in content
    assert "0812****7890" in content
    assert "budi@example.com" not in content
    assert "081234567890" not in content
    assert "s***@example.org" not in content
    assert "o***@example.net" not in content
    assert list(response.context["cl"].result_list) == [a_sms, a_email]


def test_list_query_count_does_not_grow(client, world, messages):
    client.force_login(world.admin_a)
    client.get(CHANGELIST)  # the admin's memberships are cached after the first request
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for number in range(20):
        sms(key=f"a:more:{number}", region=world.region_a)
    with CaptureQueriesContext(connection) as many:
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 22
    assert len(many) == len(few)


def test_region_admin_reads_own_message(client, world, messages):
    client.force_login(world.admin_a)
    response = client.get(change_url(messages[1]))
    assert response.status_code == 200
    assert "0812****7890" in response.content.decode()
    assert "081234567890" not in response.content.decode()


def test_other_region_admin_cannot_read_it(client, world, messages):
    client.force_login(world.admin_b)
    response = client.get(change_url(messages[0]), follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0] == reverse("admin:index")
    assert "budi" not in response.content.decode()


def test_officer_has_no_admin(client, world, messages):
    client.force_login(world.officer_a1)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_platform_admin_sees_all(client, world, messages):
    client.force_login(world.platform_admin)
    response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 4


def test_nothing_can_be_added_changed_or_deleted(client, world, messages):
    client.force_login(world.admin_a)
    assert client.get(reverse("admin:notifications_message_add")).status_code == 403
    assert client.post(change_url(messages[0]), {"subject": "x"}).status_code == 403
    assert client.post(reverse("admin:notifications_message_delete", args=[messages[0].pk])).status_code == 403


def retry(client, messages_to_retry):
    return client.post(
        CHANGELIST,
        {"action": "retry", ACTION_CHECKBOX_NAME: [m.pk for m in messages_to_retry], "index": 0},
        follow=True,
    )


def test_retry_dead_message(client, world, messages, django_capture_on_commit_callbacks, enqueued):
    a_email, a_sms, *_ = messages
    Message.objects.filter(pk=a_email.pk).update(status=Status.DEAD, attempts=6, last_error="SMTPDataError: busy")
    Message.objects.filter(pk=a_sms.pk).update(status=Status.SENT, attempts=1)
    client.force_login(world.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = retry(client, [a_email, a_sms])
    assert response.status_code == 200
    notices = [str(notice) for notice in response.context["messages"]]
    assert notices in (["1 message will be sent again."], ["1 pesan akan dikirim lagi."])
    a_email.refresh_from_db()
    a_sms.refresh_from_db()
    assert (a_email.status, a_email.attempts) == (Status.PENDING, 0)
    assert a_sms.status == Status.SENT
    assert [r.args for r in enqueued] == [[a_email.pk]]


def test_other_region_admin_cannot_retry(client, world, messages):
    a_email = messages[0]
    Message.objects.filter(pk=a_email.pk).update(status=Status.DEAD)
    client.force_login(world.admin_b)
    retry(client, [a_email])
    assert Message.objects.get(pk=a_email.pk).status == Status.DEAD
