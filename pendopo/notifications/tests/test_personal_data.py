"""Phone numbers (and email addresses) never reach the logs or the stored error."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine

from pendopo.notifications import delivery
from pendopo.notifications.models import Message
from pendopo.notifications.tests.helpers import email, sms

T0 = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
PHONE_FORMS = ["081234567890", "81234567890", "0812-3456-7890", "812 3456 7890", "3456"]


def assert_no_phone(text: str) -> None:
    for form in PHONE_FORMS[:-1]:
        assert form not in text
    assert "1234567890" not in text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_phone_never_logged_nor_stored_in_the_error(db, settings, caplog, channel):
    caplog.set_level(logging.DEBUG)
    settings.PENDOPO_SMS_BACKEND = settings.PENDOPO_WHATSAPP_BACKEND = "pendopo.notifications.tests.helpers.FailingSender"
    with time_machine.travel(T0, tick=False) as clock:
        message = sms(channel=channel, to="+62 812-3456-7890")
        for _ in range(delivery.max_attempts()):
            delivery.deliver_due()
            clock.shift(dt.timedelta(days=1))
    message.refresh_from_db()
    assert message.status == "dead"
    assert caplog.records, "the failures must be logged"
    assert_no_phone(caplog.text)
    assert_no_phone(message.last_error)
    assert "[recipient]" in message.last_error
    assert_no_phone(str(message))
    assert_no_phone(repr(message))


def test_refused_email_address_not_logged(db, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.EMAIL_BACKEND = "pendopo.notifications.tests.helpers.FailingEmailBackend"
    message = email()
    delivery.deliver(message.pk)
    assert "budi@example.com" not in caplog.text
    assert "budi@example.com" not in Message.objects.get(pk=message.pk).last_error


def test_scrub_removes_numbers_addresses_and_niks():
    text = "to 0812 3456 7890, +6281234567890, nik 3510012345670001, mail siti.rahma@desa.id, code 404"
    assert delivery.scrub(text) == "to [number], [PHONE], nik [NIK], mail [email], code 404"


def test_masked_recipients(db):
    assert email(to="budi@example.com").masked_recipient == "b***@example.com"
    assert sms(to="081234567890").masked_recipient == "0812****7890"
