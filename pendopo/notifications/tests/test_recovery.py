"""A row left 'sending' by a crashed worker goes back to pending after its lease (60 s), and is sent once."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from pendopo.lib import dates
from pendopo.notifications import delivery, senders
from pendopo.notifications.delivery import Outcome
from pendopo.notifications.models import Message, Status
from pendopo.notifications.senders import BaseSender
from pendopo.notifications.tests.helpers import email, sms

T0 = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)


def crash_while_sending(message: Message, attempts: int = 1) -> None:
    """What a worker killed between the claim and the send leaves behind."""
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=dates.now(), attempts=attempts)


def test_stuck_message_is_recovered_and_sent(db, caplog):
    with time_machine.travel(T0, tick=False) as clock:
        message = email()
        crash_while_sending(message)
        clock.shift(dt.timedelta(seconds=59))
        assert delivery.deliver_due()["recovered"] == 0
        assert delivery.deliver(message.pk) == Outcome.SKIPPED  # another worker may still be sending it
        clock.shift(dt.timedelta(seconds=2))
        counts = delivery.deliver_due()
    assert (counts["recovered"], counts["sent"]) == (1, 1)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert message.last_error == "Worker stopped while sending; the message may have been sent."
    assert len(mail.outbox) == 1
    assert "stuck while sending" in caplog.text


def test_stuck_after_the_last_attempt_is_given_up(db, settings):
    settings.PENDOPO_NOTIFICATIONS_LEASE_SECONDS = 5
    with time_machine.travel(T0, tick=False) as clock:
        message = email()
        crash_while_sending(message, attempts=delivery.max_attempts())
        clock.shift(dt.timedelta(seconds=4))
        assert delivery.deliver_due()["recovered_dead"] == 0
        clock.shift(dt.timedelta(seconds=2))
        counts = delivery.deliver_due()
    assert (counts["recovered_dead"], counts["sent"]) == (1, 0)
    assert Message.objects.get(pk=message.pk).status == Status.DEAD
    assert mail.outbox == []


class SweptWhileSending(BaseSender):
    """A slow send: the sweep decides the worker died and takes the row back meanwhile."""

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        delivery.recover_stuck(dates.now() + dt.timedelta(hours=1))
        senders.sent.append({"to": to})
        return "slow-1"


def test_a_send_that_finishes_after_recovery_still_counts(db, settings):
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.tests.test_recovery.SweptWhileSending"
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.SENT
    assert Message.objects.get(pk=message.pk).status == Status.SENT
    assert delivery.deliver_due()["sent"] == 0
    assert len(senders.sent) == 1


class FailsAfterAnotherWorkerClaimed(BaseSender):
    """The sweep recovered the row and a second worker claimed it before this send failed."""

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        delivery.recover_stuck(dates.now() + dt.timedelta(hours=1))
        Message.objects.filter(event_key=idempotency_key).update(status=Status.SENDING, attempts=2, claimed_at=dates.now())
        raise ConnectionError("timeout")


def test_a_stale_failure_does_not_overwrite_the_new_claim(db, settings):
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.tests.test_recovery.FailsAfterAnotherWorkerClaimed"
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.RETRY
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        Status.SENDING,
        2,
        "Worker stopped while sending; the message may have been sent.",
    )


def test_the_lease_is_a_setting_in_seconds(db, settings):
    settings.PENDOPO_NOTIFICATIONS_LEASE_SECONDS = 3
    with time_machine.travel(T0, tick=False) as clock:
        message = sms()
        crash_while_sending(message)
        clock.shift(dt.timedelta(seconds=4))
        counts = delivery.deliver_due()
    assert (counts["recovered"], counts["sent"]) == (1, 1)
    # The resend carries the same idempotency key, so a provider that honours it sends once.
    assert [record["idempotency_key"] for record in senders.sent] == [message.event_key]
