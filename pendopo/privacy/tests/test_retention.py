"""The retention run: each kind's term on fixed dates, to the second; what it records."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pendopo.applications.models import Application, Document
from pendopo.applications.tests.conftest import NIK, wib
from pendopo.complaints.models import Complaint, Privacy
from pendopo.notifications.models import Message, Status
from pendopo.privacy import retention
from pendopo.privacy.models import DEFAULT_DAYS, Kind, RetentionPolicy, RetentionRun
from pendopo.privacy.tests.conftest import close
from pendopo.worker.periodic import registered

pytestmark = pytest.mark.django_db

CLOSED = wib(2026, 2, 10, 14, 0)


def day_after(days: int, seconds: int = 0) -> dt.datetime:
    return CLOSED + dt.timedelta(days=days, seconds=seconds)


def test_the_job_runs_daily_on_the_worker():
    spec = registered()["privacy.apply_retention"]
    assert spec.every == dt.timedelta(days=1)
    assert spec.task_path == "pendopo.privacy.tasks.apply_retention"


def test_a_region_without_a_policy_has_the_defaults(world):
    policy = retention.policy_for(world.region_a)
    assert policy.pk is None
    assert {kind: policy.days(kind) for kind in Kind} == DEFAULT_DAYS
    assert policy.applications_days == 5 * 365


def test_an_application_is_anonymised_the_second_after_its_term_not_before(world, apply):
    RetentionPolicy.objects.create(region=world.region_a, applications_days=10)
    application = apply()
    close(application.case, CLOSED)

    run = retention.apply_region(world.region_a, now=day_after(10))
    assert run.counts[Kind.APPLICATIONS] == 0
    assert Application.objects.get(pk=application.pk).nik == NIK

    run = retention.apply_region(world.region_a, now=day_after(10, seconds=1))
    kept = Application.objects.get(pk=application.pk)
    assert run.counts[Kind.APPLICATIONS] == 1
    assert (kept.applicant_name, kept.applicant_email, kept.nik_hash, kept.phone_hash, kept.form_data) == (
        retention.ANONYMISED,
        "",
        "",
        "",
        {},
    )
    assert kept.nik == "" and kept.phone == ""
    assert kept.case.code == application.case.code  # the record itself stays: the agency's archive
    # Once anonymised, it is not counted again.
    assert retention.apply_region(world.region_a, now=day_after(11)).counts[Kind.APPLICATIONS] == 0


def test_an_open_application_is_never_touched(world, apply):
    RetentionPolicy.objects.create(region=world.region_a, applications_days=0, uploads_days=0)
    application = apply()
    retention.apply_region(world.region_a, now=wib(2036, 1, 1))
    kept = Application.objects.get(pk=application.pk)
    assert kept.nik == NIK and kept.documents.count() == 1


def test_another_regions_policy_does_not_apply(world, apply):
    RetentionPolicy.objects.create(region=world.region_b, applications_days=0)
    application = apply()
    close(application.case, CLOSED)
    retention.apply_region(world.region_b, now=day_after(1))
    retention.apply_region(world.region_a, now=day_after(1))  # region A: the default 5 years
    assert Application.objects.get(pk=application.pk).nik == NIK


def test_a_complaints_reporter_is_removed_after_its_term(world, complain):
    RetentionPolicy.objects.create(region=world.region_a, complaints_days=30)
    complaint = complain(
        user=world.citizen, reporter_name="Budi", reporter_email="budi@example.id", reporter_phone="081299990000"
    )
    assert complaint.case.owner == world.citizen
    close(complaint.case, CLOSED)

    assert retention.apply_region(world.region_a, now=day_after(30)).counts[Kind.COMPLAINTS] == 0
    assert retention.apply_region(world.region_a, now=day_after(30, 1)).counts[Kind.COMPLAINTS] == 1
    kept = Complaint.objects.get(pk=complaint.pk)
    assert (kept.reporter_name, kept.reporter_email, kept.reporter_phone_hash, kept.case.owner) == ("", "", "", None)
    assert kept.description  # the complaint itself stays


def test_an_anonymous_complaint_stays_unlinked(world, complain):
    complaint = complain(user=world.citizen, privacy=Privacy.ANONYMOUS)
    close(complaint.case, CLOSED)
    retention.apply_region(world.region_a, now=day_after(3000))
    kept = Complaint.objects.get(pk=complaint.pk)
    assert kept.filed_by is None and kept.case.owner is None and kept.reporter_name == ""


def test_uploads_are_deleted_with_every_derived_file_after_their_term(world, apply):
    RetentionPolicy.objects.create(region=world.region_a, uploads_days=7)
    application = apply()
    document = application.documents.get()
    stem = document.file.name.rsplit(".", 1)[0]
    derived = default_storage.save(f"{stem}_thumb.jpg", ContentFile(b"thumbnail"))
    close(application.case, CLOSED)

    assert retention.apply_region(world.region_a, now=day_after(7)).counts[Kind.UPLOADS] == 0
    assert default_storage.exists(document.file.name)
    assert retention.apply_region(world.region_a, now=day_after(7, 1)).counts[Kind.UPLOADS] == 1
    assert not default_storage.exists(document.file.name) and not default_storage.exists(derived)
    assert not Document.objects.filter(pk=document.pk).exists()


def test_delivered_messages_leave_the_outbox_after_their_term_waiting_ones_stay(world):
    RetentionPolicy.objects.create(region=world.region_a, outbox_days=30)
    sent = Message(
        region=world.region_a, channel="sms", body_text="x", language="id", event_key="t:sent", status=Status.SENT, sent_at=CLOSED
    )
    sent.set_recipient("081234567890")
    waiting = Message(region=world.region_a, channel="email", body_text="x", language="id", event_key="t:wait", created_at=CLOSED)
    waiting.set_recipient("a@example.id")
    Message.objects.bulk_create([sent, waiting])

    assert retention.apply_region(world.region_a, now=day_after(30)).counts[Kind.OUTBOX] == 0
    assert retention.apply_region(world.region_a, now=day_after(30, 1)).counts[Kind.OUTBOX] == 1
    assert list(Message.objects.values_list("event_key", flat=True)) == ["t:wait"]


def test_sessions_and_login_records_follow_the_shortest_term_of_all_regions(world, frozen):
    RetentionPolicy.objects.create(region=world.region_a, logs_days=90, sessions_days=3)
    RetentionPolicy.objects.create(region=world.region_b, logs_days=30, sessions_days=10)
    frozen(CLOSED)
    store = SessionStore()
    store["x"] = 1
    store.set_expiry(0)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=CLOSED)
    AccessAttempt.objects.create(username="warga", ip_address="10.0.0.1", failures_since_start=1, attempt_time=CLOSED)

    run = retention.apply_platform(now=day_after(3))
    assert run.region is None and run.counts[Kind.SESSIONS] == 0 and run.counts[Kind.LOGS] == 0
    run = retention.apply_platform(now=day_after(30, 1))
    assert run.counts[Kind.SESSIONS] == 1 and run.counts[Kind.LOGS] == 1


def test_every_run_is_recorded_with_counts_only(world, apply, frozen):
    RetentionPolicy.objects.create(region=world.region_a, applications_days=0)
    application = apply()
    close(application.case, CLOSED)
    frozen(day_after(1))
    totals = retention.apply_all()

    assert totals[Kind.APPLICATIONS] == 1
    runs = {run.region_id: run for run in RetentionRun.objects.all()}
    assert set(runs) == {world.region_a.pk, world.region_b.pk, None}
    record = repr(list(RetentionRun.objects.values()))
    assert NIK not in record and "Siti" not in record and application.case.code not in record
    kinds = {"applications", "complaints", "survey_answers", "bookings", "uploads", "outbox"}
    assert set(runs[world.region_a.pk].counts) == kinds


def test_a_survey_answer_loses_its_text_and_links_after_its_term_its_scores_stay(world, apply, frozen):
    from pendopo.surveys import actions as survey_actions
    from pendopo.surveys.models import SurveyResponse

    RetentionPolicy.objects.create(region=world.region_a, survey_answers_days=365)
    application = apply()
    frozen(CLOSED)
    response = survey_actions.submit_response(
        world.region_a,
        service=application.service,
        scores={f"u{n}": 4 for n in range(1, 10)},
        channel="qr",
        suggestion="Petugas Siti ramah, hubungi 081234567890",
        application_code=application.case.code,
        device="perangkat-1",
    )
    assert retention.apply_region(world.region_a, now=day_after(365)).counts[Kind.SURVEY_ANSWERS] == 0
    assert retention.apply_region(world.region_a, now=day_after(365, 1)).counts[Kind.SURVEY_ANSWERS] == 1
    kept = SurveyResponse.with_held.get(pk=response.pk)
    assert (kept.suggestion, kept.application_key, kept.device_key) == ("", None, "")
    assert kept.u1 == 4  # the index still counts it


def test_a_queue_booking_loses_its_name_nik_and_contact_after_its_day_and_term(world, mall):
    from pendopo.queueing.models import Booking, BookingSession, BookingState

    RetentionPolicy.objects.create(region=world.region_a, bookings_days=90)
    session = BookingSession.objects.create(
        region=world.region_a, pool=mall.pool_a, service=mall.ktp, weekday=0, starts_at=dt.time(9), ends_at=dt.time(11), quota=5
    )

    def book(code: str, day: dt.date, state: str) -> Booking:
        return Booking.objects.create(
            region=world.region_a, session=session, service=mall.ktp, date=day, code=code, state=state,
            nik_hash=f"hash-{code}", nik_last4="0001", name="Siti Aminah", contact_encrypted="sealed",
        )  # fmt: skip

    served = book("BWI-B1", dt.date(2026, 2, 9), BookingState.EXPIRED)
    same_day = book("BWI-B2", dt.date(2026, 2, 10), BookingState.CANCELED)
    still_open = book("BWI-B3", dt.date(2026, 2, 9), BookingState.BOOKED)  # the queue has not closed it yet

    run = retention.apply_region(world.region_a, now=day_after(90))  # 90 days after 10 February: the 9th is past its term
    assert run.counts[Kind.BOOKINGS] == 1
    kept = Booking.objects.get(pk=served.pk)
    assert (kept.name, kept.nik_hash, kept.nik_last4, kept.contact_encrypted) == ("", "", "", "")
    assert (kept.code, kept.service_id, kept.state) == ("BWI-B1", mall.ktp.pk, BookingState.EXPIRED)
    assert Booking.objects.get(pk=same_day.pk).name == "Siti Aminah"
    assert Booking.objects.get(pk=still_open.pk).nik_hash == "hash-BWI-B3"
    assert retention.apply_region(world.region_a, now=day_after(90)).counts[Kind.BOOKINGS] == 0  # nothing twice
