"""A failed send is retried with exponential backoff, then given up; a refused recipient is not retried."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from pendopo.notifications import delivery, senders
from pendopo.notifications.delivery import Outcome
from pendopo.notifications.models import Message, Status
from pendopo.notifications.tests import helpers
from pendopo.notifications.tests.helpers import email, sms

T0 = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def failing_sms(settings):
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.tests.helpers.FailingSender"


def test_backoff_grows_fivefold_and_is_capped():
    minutes = [delivery.backoff(n) / dt.timedelta(minutes=1) for n in range(1, 8)]
    assert minutes == [1, 5, 25, 125, 625, 1440, 1440]


def test_failures_back_off_then_die_after_the_last_attempt(db, failing_sms, caplog):
    with time_machine.travel(T0, tick=False) as clock:
        message = sms()
        waits = []
        for attempt in range(1, 6):
            assert delivery.deliver_due()["retry"] == 1
            message.refresh_from_db()
            assert (message.status, message.attempts) == (Status.PENDING, attempt)
            waits.append((message.next_attempt_at - delivery.dates.now()) / dt.timedelta(minutes=1))
            # Not due yet: neither the task nor the sweep tries early.
            clock.shift(message.next_attempt_at - delivery.dates.now() - dt.timedelta(seconds=1))
            assert delivery.deliver(message.pk) == Outcome.SKIPPED
            assert delivery.deliver_due()["retry"] == 0
            clock.shift(dt.timedelta(seconds=1))
        assert waits == [1, 5, 25, 125, 625]
        assert delivery.deliver_due()["dead"] == 1
        clock.shift(dt.timedelta(days=7))
        assert delivery.deliver_due() == dict.fromkeys(["recovered", "recovered_dead", *Outcome], 0)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.DEAD, 6)
    assert message.last_error.startswith("TransientSendError: Gateway timeout while sending to ")
    assert len(helpers.calls) == 6
    assert any(r.levelname == "ERROR" and "dead" in r.getMessage() for r in caplog.records)


def test_max_attempts_setting(db, failing_sms, settings):
    settings.PENDOPO_NOTIFICATIONS_MAX_ATTEMPTS = 2
    with time_machine.travel(T0, tick=False) as clock:
        message = sms()
        assert delivery.deliver(message.pk) == Outcome.RETRY
        clock.shift(dt.timedelta(minutes=1))
        assert delivery.deliver(message.pk) == Outcome.DEAD


def test_recovers_when_the_provider_comes_back(db, failing_sms, settings):
    with time_machine.travel(T0, tick=False) as clock:
        message = sms()
        assert delivery.deliver(message.pk) == Outcome.RETRY
        settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.senders.LocmemSender"
        clock.shift(dt.timedelta(minutes=1))
        assert delivery.deliver_due()["sent"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert len(senders.sent) == 1


def test_email_failure_is_retried(db, settings):
    settings.EMAIL_BACKEND = "pendopo.notifications.tests.helpers.FailingEmailBackend"
    message = email()
    assert delivery.deliver(message.pk) == Outcome.RETRY
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.last_error.startswith("SMTPDataError:")
    assert "budi@example.com" not in message.last_error
    assert mail.outbox == []


def test_refused_email_address_fails_without_retry(db, settings):
    settings.EMAIL_BACKEND = "pendopo.notifications.tests.helpers.RefusingEmailBackend"
    message = email()
    assert delivery.deliver(message.pk) == Outcome.FAILED
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert message.last_error == "PermanentSendError: SMTPRecipientsRefused"
    assert delivery.deliver_due()["failed"] == 0


def test_refused_number_fails_without_retry(db, settings):
    settings.PENDOPO_WHATSAPP_BACKEND = "pendopo.notifications.tests.helpers.RefusingSender"
    message = sms(channel="whatsapp")
    assert delivery.deliver(message.pk) == Outcome.FAILED
    assert Message.objects.get(pk=message.pk).last_error == "PermanentSendError: Number [recipient] is not registered on WhatsApp"
    assert len(helpers.calls) == 1


def test_unreadable_phone_fails_without_retry(db, settings):
    message = sms()
    settings.PENDOPO_DATA_KEY = "a-rotated-key"
    assert delivery.deliver(message.pk) == Outcome.FAILED
    assert "cannot be decrypted" in Message.objects.get(pk=message.pk).last_error
