"""A whole journey with a known NIK, phone and name, then erasure and retention: nothing left in clear.

The database is dumped as an operator would copy it (`pg_dump` on PostgreSQL, `iterdump` on
SQLite), and the dump, the captured logs, the outbox and the media folder are searched.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse

from pendopo.applications.models import Application
from pendopo.applications.tests.conftest import NIK, files, form_data, wib
from pendopo.complaints.models import Complaint
from pendopo.notifications import senders
from pendopo.notifications.models import Message
from pendopo.privacy import retention
from pendopo.privacy.models import ErasureRequest, RetentionRun
from pendopo.privacy.tests.conftest import close

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "081234567890"
NAME = "Siti Rahayu"
# Every way the phone number was typed or stored: as given, normalised, international.
PHONE_FORMS = [PHONE, "0812 3456 7890", "6281234567890"]


def database_dump() -> str:
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        command = ["pg_dump", "--no-owner", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
        command += ["-U", db["USER"] or "postgres", db["NAME"]]
        return subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout  # noqa: S603 -- fixed arguments
    return "\n".join(connection.connection.iterdump())


def media_text() -> str:
    root = Path(settings.MEDIA_ROOT)
    return "\n".join(p.read_bytes().decode("latin-1") for p in root.rglob("*") if p.is_file()) if root.exists() else ""


def outbox_text() -> str:
    rows = repr(list(Message.objects.values()))
    sent = repr(senders.sent) + repr([(m.to, m.subject, m.body) for m in mail.outbox])
    return rows + sent


def test_nothing_personal_is_left_in_clear_after_erasure_and_retention(client, world, service, complain, frozen, caplog):
    caplog.set_level(logging.DEBUG)
    citizen = world.citizen
    citizen.full_name = NAME
    citizen.set_nik(NIK)
    citizen.set_phone(PHONE)
    citizen.set_password("password")
    citizen.save()
    assert client.login(request=HttpRequest(), username="warga", password="password")

    # The citizen applies online with the family card, and files an identified complaint.
    response = client.post(f"/r/banyuwangi/ajukan/{service.code}/", {**form_data(), **files()})
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert application.nik == NIK and application.documents.count() == 1
    complaint = complain(user=citizen, reporter_name=NAME, reporter_phone=PHONE, reporter_email="siti@example.id")
    assert Message.objects.exists()
    assert client.get(reverse("privacy:export")).json()["applications"][0]["phone"] == PHONE

    # Before: the data is there, protected (the NIK and phone are never stored in clear).
    before = database_dump()
    assert NAME in before

    # The citizen asks for erasure; the platform administrator carries it out.
    assert client.post(reverse("privacy:erase"), {"confirm": "yes"}).status_code == 302
    request = ErasureRequest.objects.get()
    world.platform_admin.set_password("password")
    world.platform_admin.save()
    assert client.login(request=HttpRequest(), username=world.platform_admin.username, password="password")
    changelist = reverse("admin:privacy_erasurerequest_changelist")
    client.post(changelist, {"action": "carry_out", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.state == "done"

    # The agency closes both cases; five years and a day later the retention run passes.
    close(application.case, wib(2026, 3, 2, 10))
    close(complaint.case, wib(2026, 3, 2, 10))
    frozen(wib(2031, 3, 3, 10))
    totals = retention.apply_all()
    assert totals["applications"] == 1 and totals["uploads"] == 1
    assert RetentionRun.objects.filter(region=world.region_a).exists()
    assert Complaint.objects.get(pk=complaint.pk).reporter_name == ""

    after = database_dump()
    places = {"database dump": after, "logs": caplog.text, "outbox": outbox_text(), "media": media_text()}
    for place, text in places.items():
        assert NIK not in text, place
        for phone in PHONE_FORMS:
            assert phone not in text, (place, phone)
    assert NAME not in after
    assert media_text() == ""  # the family card is gone
