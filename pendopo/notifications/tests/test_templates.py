"""Messages are rendered from templates in the recipient's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import TemplateDoesNotExist
from django.utils import translation

from pendopo.notifications.outbox import render, schedule_template

WHEN = dt.date(2026, 12, 1)
CONTEXT = {"code": "BWI-7K3M-9QX2", "service": "Akta Kelahiran & KIA", "step": "Diverifikasi", "when": WHEN}


def test_indonesian_email(db):
    message = schedule_template(
        "notifications_test/step",
        CONTEXT,
        event_key="application:BWI-7K3M-9QX2:event:2:email",
        channel="email",
        to="budi@example.com",
        language="id",
    )
    assert message.language == "id"
    assert message.subject == "Permohonan BWI-7K3M-9QX2: Diverifikasi"
    assert message.body_text.startswith("Permohonan BWI-7K3M-9QX2 untuk Akta Kelahiran & KIA diperbarui pada 1 Desember 2026.")
    assert '<html lang="id">' in message.body_html
    assert "Akta Kelahiran &amp; KIA" in message.body_html


def test_english_email(db):
    message = schedule_template(
        "notifications_test/step",
        CONTEXT,
        event_key="application:BWI-7K3M-9QX2:event:2:email",
        channel="email",
        to="budi@example.com",
        language="en",
    )
    assert message.language == "en"
    assert message.subject == "Application BWI-7K3M-9QX2: Diverifikasi"
    assert message.body_text.startswith("Application BWI-7K3M-9QX2 for Akta Kelahiran & KIA was updated on 1 December 2026.")
    assert "This message was sent automatically by Pendopo" in message.body_text


def test_sms_uses_the_short_template_and_has_no_subject(db):
    message = schedule_template(
        "notifications_test/step",
        CONTEXT,
        event_key="application:BWI-7K3M-9QX2:event:2:sms",
        channel="sms",
        to="081234567890",
        language="id",
    )
    assert (message.subject, message.body_html) == ("", "")
    assert message.body_text == "Permohonan BWI-7K3M-9QX2: Diverifikasi, 1 Desember 2026."


def test_default_language_is_the_sites(db, settings):
    assert render("notifications_test/step", CONTEXT, channel="sms").body_text.startswith("Permohonan")


def test_rendering_leaves_the_active_language_alone():
    with translation.override("en"):
        render("notifications_test/step", CONTEXT, channel="sms", language="id")
        assert translation.get_language() == "en"


def test_email_needs_a_subject_template():
    with pytest.raises(TemplateDoesNotExist):
        render("notifications_test/missing", CONTEXT, channel="email")
