"""Scheduling writes the row in the caller's transaction, once per event key, and enqueues after the commit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from pendopo.notifications import delivery
from pendopo.notifications.models import Channel, Message, Status
from pendopo.notifications.tests.helpers import email, sms

NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_leaves_nothing_to_send(immediate_tasks):
    with pytest.raises(Boom), transaction.atomic():
        email()
        sms()
        raise Boom
    assert Message.objects.count() == 0
    assert delivery.deliver_due()["sent"] == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_committed_transaction_delivers_after_commit(immediate_tasks):
    with transaction.atomic():
        message = email()
        # Inside the transaction nothing has been sent yet: the worker may only see committed rows.
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 1


def test_rolled_back_savepoint_discards_the_enqueue(db, django_capture_on_commit_callbacks, enqueued):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            email()
            raise Boom
        kept = email(key="application:BWI-7K3M-9QX2:event:2:email")
    assert len(callbacks) == 1
    assert [r.args for r in enqueued] == [[kept.pk]]
    assert list(Message.objects.values_list("event_key", flat=True)) == [kept.event_key]


def test_same_event_key_gives_one_message_and_one_enqueue(db, django_capture_on_commit_callbacks, enqueued):
    with django_capture_on_commit_callbacks(execute=True):
        first = email()
        second = email(body_text="A different text that must not replace the first.")
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert Message.objects.get().body_text == "Permohonan Anda sedang diverifikasi."
    assert len(enqueued) == 1


@pytest.mark.django_db(transaction=True)
def test_same_event_key_in_two_transactions_sends_once(immediate_tasks):
    with transaction.atomic():
        email()
    with transaction.atomic():
        email()
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1


def test_phone_number_is_stored_encrypted(db):
    message = sms(to="+62 812-3456-7890")
    row = Message.objects.filter(pk=message.pk).values().get()
    assert not any("81234567890" in str(value) for value in row.values())
    assert message.recipient() == "081234567890"
    assert message.masked_recipient == "0812****7890"
    assert row["to_phone_hash"]
    assert row["to_email"] == ""


@pytest.mark.parametrize(
    ("channel", "to"),
    [(Channel.EMAIL, "not-an-address"), (Channel.EMAIL, ""), (Channel.SMS, "12ab"), (Channel.WHATSAPP, "")],
)
def test_undeliverable_recipient_is_refused_and_nothing_saved(db, channel, to):
    with pytest.raises(ValidationError) as caught:
        email(channel=channel, to=to)
    assert caught.value.code == "invalid_recipient"
    assert Message.objects.count() == 0


def test_empty_text_is_refused(db):
    with pytest.raises(ValidationError) as caught:
        email(body_text="  ")
    assert caught.value.code == "empty_message"


def test_unknown_channel_is_a_programming_error(db):
    with pytest.raises(ValueError, match="pigeon"):
        email(channel="pigeon")


def test_unsupported_language_falls_back_to_the_default(db):
    assert email(language="fr").language == "id"
    assert email(key="k:2", language="en").language == "en"


def test_message_for_later_waits_for_its_time(db, django_capture_on_commit_callbacks, enqueued):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            message = email(send_after=NOW + dt.timedelta(hours=1))
        assert enqueued == []  # not due: the sweep will pick it up
        assert delivery.deliver(message.pk) == delivery.Outcome.SKIPPED
        assert delivery.deliver_due()["sent"] == 0
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert delivery.deliver_due()["sent"] == 1
    assert len(mail.outbox) == 1


def test_lost_enqueue_is_covered_by_the_sweep(db, django_capture_on_commit_callbacks, monkeypatch, caplog):
    from pendopo.notifications import tasks

    def broken(*args, **kwargs):
        raise ConnectionError("task store down")

    monkeypatch.setattr(type(tasks.deliver_message), "enqueue", broken)
    with django_capture_on_commit_callbacks(execute=True):
        message = email()
    assert "could not enqueue" in caplog.text
    assert Message.objects.get(pk=message.pk).status == Status.PENDING
    assert delivery.deliver_due()["sent"] == 1
    assert len(mail.outbox) == 1
