"""Delivery sends a message exactly once, however many callers try at the same time."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from pendopo.notifications import delivery, senders
from pendopo.notifications.delivery import Outcome
from pendopo.notifications.models import Message, Status
from pendopo.notifications.senders import EmailSender
from pendopo.notifications.tests.helpers import email, sms


def test_deliver_sends_one_email_and_marks_it_sent(db):
    message = email(body_html="<p>Permohonan Anda sedang diverifikasi.</p>")
    assert delivery.deliver(message.pk) == Outcome.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["budi@example.com"]
    assert sent.subject == "Permohonan BWI-7K3M-9QX2"
    assert sent.body == "Permohonan Anda sedang diverifikasi."
    assert sent.alternatives[0][1] == "text/html"
    assert sent.extra_headers["Message-ID"] == EmailSender.message_id(message.event_key)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 1, "")
    assert message.sent_at is not None
    assert message.provider_id == EmailSender.message_id(message.event_key)


def test_deliver_twice_sends_once(db):
    message = email()
    assert delivery.deliver(message.pk) == Outcome.SENT
    assert delivery.deliver(message.pk) == Outcome.SKIPPED
    assert delivery.deliver_due()["sent"] == 0
    assert len(mail.outbox) == 1


def test_deliver_unknown_message_is_skipped(db):
    assert delivery.deliver(987654) == Outcome.SKIPPED


def test_sms_goes_through_the_configured_sender(db):
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.SENT
    assert senders.sent == [
        {
            "channel": "sms",
            "to": "081234567890",
            "text": "Permohonan BWI-7K3M-9QX2 selesai.",
            "idempotency_key": message.event_key,
        }
    ]
    assert Message.objects.get(pk=message.pk).provider_id == "locmem:1"


def test_message_id_is_stable_per_event():
    assert EmailSender.message_id("a:1") == EmailSender.message_id("a:1")
    assert EmailSender.message_id("a:1") != EmailSender.message_id("a:2")
    assert EmailSender.message_id("a:1").endswith("@pendopo.local>")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_deliveries_send_once(workers):
    message = email()
    sms_message = sms()
    barrier = threading.Barrier(workers)
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(delivery.deliver(message.pk))
            outcomes.append(delivery.deliver(sms_message.pk))
        except BaseException as exc:  # noqa: BLE001 -- reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes).count(Outcome.SENT) == 2
    assert outcomes.count(Outcome.SKIPPED) == 2 * workers - 2
    assert len(mail.outbox) == 1
    assert len(senders.sent) == 1
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_message_once():
    for number in range(10):
        email(key=f"application:BWI-7K3M-9QX2:event:{number}:email")
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            delivery.deliver_due()
        except BaseException as exc:  # noqa: BLE001 -- reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(mail.outbox) == 10
    assert sorted(m.to[0] for m in mail.outbox) == ["budi@example.com"] * 10
    assert Message.objects.filter(status=Status.SENT).count() == 10
