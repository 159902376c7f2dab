"""The SMS/WhatsApp senders: chosen by settings; the file sender writes one JSON file per message."""

from __future__ import annotations

import json
import stat

import pytest

from pendopo.notifications import delivery, senders
from pendopo.notifications.delivery import Outcome
from pendopo.notifications.models import Message
from pendopo.notifications.senders import BaseSender, FileSender, LocmemSender, get_sender
from pendopo.notifications.tests.helpers import sms


def test_sms_file_backend_writes_one_file(db, settings, tmp_path):
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.senders.FileSender"
    settings.PENDOPO_OUTBOX_DIR = tmp_path / "outbox"
    message = sms()
    assert delivery.deliver(message.pk) == Outcome.SENT
    files = list((tmp_path / "outbox" / "sms").glob("*.json"))
    assert len(files) == 1
    record = json.loads(files[0].read_text(encoding="utf-8"))
    assert record["to"] == "081234567890"
    assert record["text"] == "Permohonan BWI-7K3M-9QX2 selesai."
    assert record["idempotency_key"] == message.event_key
    assert record["channel"] == "sms"
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert Message.objects.get(pk=message.pk).provider_id == f"file:{files[0].name}"


def test_file_sender_honours_the_idempotency_key(settings, tmp_path):
    settings.PENDOPO_OUTBOX_DIR = tmp_path
    sender = FileSender(channel="whatsapp")
    first = sender.send("081234567890", "Halo", "application:BWI-7K3M-9QX2:event:3:whatsapp")
    second = sender.send("081234567890", "Halo", "application:BWI-7K3M-9QX2:event:3:whatsapp")
    third = sender.send("081234567890", "Halo", "application:BWI-7K3M-9QX2:event:4:whatsapp")
    assert first == second != third
    assert len(list((tmp_path / "whatsapp").iterdir())) == 2
    assert all(":" not in path.name and "/" not in path.name for path in (tmp_path / "whatsapp").iterdir())


def test_file_sender_defaults_to_var_outbox(settings, tmp_path):
    del settings.PENDOPO_OUTBOX_DIR
    settings.VAR_DIR = tmp_path
    assert senders.outbox_dir() == tmp_path / "outbox"


def test_whatsapp_uses_its_own_setting(db, settings, tmp_path):
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.senders.LocmemSender"
    settings.PENDOPO_WHATSAPP_BACKEND = "pendopo.notifications.senders.FileSender"
    message = sms(channel="whatsapp")
    assert delivery.deliver(message.pk) == Outcome.SENT
    assert senders.sent == []
    assert len(list((tmp_path / "outbox" / "whatsapp").glob("*.json"))) == 1


def test_get_sender(settings):
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.senders.LocmemSender"
    sender = get_sender("sms")
    assert isinstance(sender, LocmemSender)
    assert sender.channel == "sms"
    settings.PENDOPO_WHATSAPP_BACKEND = ""
    assert isinstance(get_sender("whatsapp"), FileSender)
    with pytest.raises(ValueError, match="email"):
        get_sender("email")


def test_base_sender_is_abstract():
    with pytest.raises(NotImplementedError):
        BaseSender().send("081234567890", "Halo", "k")
