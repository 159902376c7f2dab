"""Short messages (SMS, WhatsApp) in Bahasa Indonesia carry what the reader needs: the officer's
revision note when the application waits for them, the pickup place when it is complete."""

from __future__ import annotations

import pytest

from pendopo.notifications.outbox import render

BASE = {
    "code": "BWI-7K3M-9QX2",
    "service": "KTP-el",
    "applicant": "Siti",
    "region_name": "Kabupaten Banyuwangi",
    "state": "Menunggu perbaikan",
    "tracking_url": "https://pendopo.example/lacak/BWI-7K3M-9QX2/",
    "survey_url": "",
    "expected": "",
}


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_revision_message_carries_the_officers_note(channel):
    context = {**BASE, "is_waiting": True, "note": "Foto KK buram, unggah ulang."}
    text = render("applications/notifications/step", context, channel=channel).body_text
    assert "Catatan petugas: Foto KK buram, unggah ulang." in text
    assert "BWI-7K3M-9QX2" in text


@pytest.mark.parametrize("channel", ["sms", "whatsapp", "email"])
def test_completed_message_names_the_pickup_place(channel):
    context = {**BASE, "is_closed": True, "outcome": "completed", "pickup": "Dinas Kependudukan, Jl. KH Agus Salim 12"}
    text = render("applications/notifications/completed", context, channel=channel).body_text
    assert "Dinas Kependudukan, Jl. KH Agus Salim 12" in text
    assert "Ambil di" in text or "Tempat pengambilan" in text


def test_english_reader_gets_english(settings):
    context = {**BASE, "is_waiting": True, "note": "Photo unreadable."}
    text = render("applications/notifications/step", context, channel="sms", language="en").body_text
    assert "Officer's note: Photo unreadable." in text


@pytest.mark.django_db
def test_completed_application_tells_where_to_collect_it(world, apply):
    from pendopo.applications import actions
    from pendopo.notifications.models import Message

    world.agency_a1.address = "Jl. KH Agus Salim No. 12, Banyuwangi"
    world.agency_a1.save()
    application = apply()
    for step, actor in (("receive", world.officer_a1), ("verify", world.officer_a1), ("submit_for_approval", world.officer_a1)):
        actions.take_action(application, step, actor)
    actions.take_action(application, "approve", world.head_a1)
    whatsapp = Message.objects.get(event_key=f"applications:{application.code}:5:whatsapp")
    assert "Ambil di Dinas Kependudukan dan Pencatatan Sipil, Jl. KH Agus Salim No. 12, Banyuwangi." in whatsapp.body_text
    email = Message.objects.get(event_key=f"applications:{application.code}:5:email")
    assert "Tempat pengambilan: Dinas Kependudukan dan Pencatatan Sipil" in email.body_text


@pytest.mark.django_db
def test_returned_application_whatsapp_carries_the_revision_note(world, apply):
    from pendopo.applications import actions
    from pendopo.notifications.models import Message

    application = apply()
    actions.take_action(application, "receive", world.officer_a1)
    actions.take_action(application, "return_for_revision", world.officer_a1, note="Foto KK buram, unggah ulang.")
    latest = Message.objects.filter(event_key__startswith=f"applications:{application.code}:", channel="whatsapp").order_by(
        "-pk"
    )[0]
    assert "Catatan petugas: Foto KK buram, unggah ulang." in latest.body_text
