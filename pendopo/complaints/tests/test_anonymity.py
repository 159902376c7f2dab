"""Anonymous complaints keep no identity anywhere: not in the database, the logs or the emails.

The complainant sends a name, an email and a phone number with an "anonymous" complaint (a
crafted form, or an Open311 client that sends them anyway); then the complaint is answered,
resolved and confirmed. Every text column of every table, every log line and every email is
searched for the identity.
"""

from __future__ import annotations

import logging

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, models
from django.urls import reverse

from pendopo.complaints import actions
from pendopo.complaints.models import Complaint, Privacy
from pendopo.complaints.tests.conftest import jpeg_bytes, photo
from pendopo.notifications.delivery import deliver_due
from pendopo.workflow.models import CaseEvent

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Wiryawan Kusumadewa", "wiryawan.rahasia@example.id", "081398765432"
NEEDLES = [NAME, "Kusumadewa", EMAIL, "wiryawan.rahasia", PHONE, "81398765432", "0813-9876-5432"]


def text_of_every_table(exclude_user_pk: int | None = None) -> str:
    """Every text-like column of every row of every table (the user's own account row left out)."""
    chunks: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        columns = [
            f.column
            for f in model._meta.local_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField, models.FileField))
        ]
        if not columns:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns if c)
        where = ""
        if exclude_user_pk is not None and model._meta.label == "regions.User":
            where = f" WHERE id <> {int(exclude_user_pk)}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {cols} FROM {table}{where}")  # noqa: S608 -- table and column names from the models
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def assert_nowhere(haystack: str) -> None:
    for needle in NEEDLES:
        assert needle.lower() not in haystack.lower(), f"{needle!r} was kept"


def _everything_that_was_sent() -> str:
    deliver_due()
    return "\n".join(f"{m.to} {m.subject} {m.body}" for m in mail.outbox)


def test_anonymous_web_complaint_keeps_no_identity(client, world, setup, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("complaints:file", args=[world.region_a.slug]),
            {
                "kategori": setup.road_a.code,
                "classification": "complaint",
                "description": "Jalan rusak parah di dekat jembatan.",
                "privacy": "anonymous",
                "reporter_name": NAME,
                "reporter_email": EMAIL,
                "reporter_phone": PHONE,
                "attr_KERUSAKAN": "berat",
                "photos": [photo(data=jpeg_bytes(exif_owner=NAME))],
            },
        )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.privacy == Privacy.ANONYMOUS and complaint.case.owner is None
    # The complaint lives its whole life: answered, resolved, confirmed with the secret.
    with django_capture_on_commit_callbacks(execute=True):
        actions.take_action(complaint, "verify", world.admin_a)
        actions.take_action(complaint, "respond", world.officer_a1, "Akan kami perbaiki minggu ini.")
        actions.take_action(complaint, "resolve", world.officer_a1, "Sudah diperbaiki.")
    page = client.get(complaint.get_absolute_url())
    assert page.context["access"].is_complainant  # the session of the filer holds the secret
    client.post(
        reverse("complaints:message", args=[world.region_a.slug, complaint.code]), {"kind": "reply", "body": "Terima kasih."}
    )
    client.post(reverse("complaints:act", args=[world.region_a.slug, complaint.code]), {"action": "confirm"})
    complaint.refresh_from_db()
    assert complaint.case.state == "resolved"
    assert all(event.actor_id is None for event in CaseEvent.objects.filter(actor_role="applicant"))
    assert_nowhere(text_of_every_table())
    assert_nowhere("\n".join(record.getMessage() for record in caplog.records))
    assert_nowhere(_everything_that_was_sent())
    assert_nowhere(complaint.photos.get().file.read().decode("latin-1"))
    # Staff see no identity either.
    client.force_login(world.admin_a)
    staff_page = client.get(complaint.get_absolute_url())
    assert not staff_page.context["show_identity"]
    assert_nowhere(staff_page.content.decode())


def test_logged_in_citizen_filing_anonymously_is_not_linked(client, world, setup, caplog):
    caplog.set_level(logging.DEBUG)
    citizen = world.citizen
    citizen.full_name, citizen.email = NAME, EMAIL
    citizen.set_phone(PHONE)
    citizen.save()
    client.force_login(citizen)
    response = client.post(
        reverse("complaints:file", args=[world.region_a.slug]),
        {"kategori": setup.lamp_a.code, "classification": "complaint", "description": "Lampu mati.", "privacy": "anonymous"},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.case.owner is None and complaint.filed_by is None
    assert not CaseEvent.objects.filter(actor=citizen).exists()
    # Nothing points at the account: every foreign key to the user model is searched.
    user_model = citizen.__class__
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is user_model
                and model._meta.app_label in ("complaints", "workflow", "notifications")
            ):
                assert not model.objects.filter(**{field.name: citizen}).exists(), f"{model.__name__}.{field.name}"
    assert_nowhere(text_of_every_table(exclude_user_pk=citizen.pk))
    assert_nowhere("\n".join(record.getMessage() for record in caplog.records))
    assert_nowhere(_everything_that_was_sent())


def test_anonymous_open311_request_keeps_no_identity(client, world, setup, caplog):
    caplog.set_level(logging.DEBUG)
    key = actions.issue_api_key(world.region_a, "Aplikasi")[1]
    # Identity sent with the request makes it identified; the anonymous one sends none, and the
    # constraint refuses an anonymous row that would carry any.
    response = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": "35.10",
            "api_key": key,
            "service_code": "LAMPU",
            "address_string": "Jl. Ahmad Yani",
            "device_id": NAME,
        },
    )
    assert response.status_code == 200
    assert Complaint.objects.get().privacy == Privacy.ANONYMOUS
    assert_nowhere(text_of_every_table())
    assert_nowhere("\n".join(record.getMessage() for record in caplog.records))


def test_the_database_refuses_an_anonymous_row_with_identity(world, setup):
    from django.db import IntegrityError, transaction

    complaint = actions.file_complaint(world.region_a, actions.Filing(category=setup.lamp_a, privacy=Privacy.ANONYMOUS)).complaint
    complaint.reporter_name = NAME
    with pytest.raises(IntegrityError), transaction.atomic():
        complaint.save()
