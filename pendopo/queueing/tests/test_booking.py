"""Online booking: the booking window, quota, one active booking per NIK, check-in window edges, expiry, concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connections, transaction
from django.urls import reverse

from pendopo.notifications.models import Message
from pendopo.queueing import booking as bookings
from pendopo.queueing.errors import (
    AlreadyBooked,
    BookingClosed,
    BookingError,
    BookingNotOpen,
    OutsideWindow,
    QuotaFull,
    UnknownBooking,
)
from pendopo.queueing.models import Booking, BookingEvent, BookingSession, BookingState, Ticket
from pendopo.queueing.selectors import DEVICE_COOKIE

MONDAY = dt.date(2026, 12, 7)
NIK_1 = "3510014501900001"
NIK_2 = "3510014501900002"
NIK_3 = "3510014501900003"


def wib(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def session(mall):
    return BookingSession.objects.create(
        region=mall.pool_a.region,
        pool=mall.pool_a,
        service=mall.ktp,
        weekday=0,
        starts_at=dt.time(9),
        ends_at=dt.time(11),
        quota=2,
    )


def test_quota_counts_booked_and_checked_in_and_a_cancel_frees_the_place(session, monday):
    first = bookings.book(session, MONDAY, nik=NIK_1, name="Siti")
    bookings.book(session, MONDAY, nik=NIK_2, name="Budi")
    bookings.check_in(first, at=wib(MONDAY, 9, 5))  # checked in still counts
    with pytest.raises(QuotaFull) as refused:
        bookings.book(session, MONDAY, nik=NIK_3, name="Ani")
    assert refused.value.http_status == 409 and "penuh" in refused.value.message
    assert Booking.objects.count() == 2
    second = Booking.objects.get(nik_last4="0002")
    bookings.cancel(second)
    third = bookings.book(session, MONDAY, nik=NIK_3, name="Ani")
    assert third.state == BookingState.BOOKED
    assert list(BookingEvent.objects.filter(booking=second).values_list("kind", flat=True)) == ["booked", "canceled"]


def test_an_expired_booking_frees_its_place(session, monday):
    session.quota = 1
    session.save()
    gone = bookings.book(session, MONDAY, nik=NIK_1, name="Siti")
    assert bookings.expire_bookings(at=wib(MONDAY, 11, 15)) == 0  # still inside the grace
    assert bookings.expire_bookings(at=wib(MONDAY, 11, 15, 1)) == 1
    gone.refresh_from_db()
    assert gone.state == BookingState.EXPIRED
    with pytest.raises(BookingClosed):
        bookings.check_in(gone, at=wib(MONDAY, 11, 10))
    # Next Monday's session is a new date with its own quota; the NIK is free again.
    assert bookings.book(session, MONDAY + dt.timedelta(days=7), nik=NIK_1, name="Siti").state == BookingState.BOOKED


def test_one_active_booking_per_nik_service_and_day(session, mall, monday):
    session.quota = 10
    session.save()
    made = bookings.book(session, MONDAY, nik=NIK_1, name="Siti")
    assert made.nik_last4 == "0001" and NIK_1 not in made.nik_hash
    with pytest.raises(AlreadyBooked) as refused:
        bookings.book(session, MONDAY, nik="3510 0145 0190 0001", name="Siti lagi")  # the same NIK, typed with spaces
    assert "NIK" in refused.value.message
    # Another service the same day is allowed, and so is the same service after a cancel.
    kk = BookingSession.objects.create(
        region=session.region, pool=mall.pool_a, service=mall.kk, weekday=0, starts_at=dt.time(9), ends_at=dt.time(11), quota=5
    )
    bookings.book(kk, MONDAY, nik=NIK_1, name="Siti")
    bookings.cancel(made)
    again = bookings.book(session, MONDAY, nik=NIK_1, name="Siti")
    # The database keeps it too: a second active row with the same key is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            region=again.region, session=session, service=mall.ktp, date=MONDAY, code="BWI-0000-0000",
            nik_hash=again.nik_hash, nik_last4="0001", name="x",
        )  # fmt: skip


@pytest.mark.parametrize("value", ["351001450190000", "35100145019000011", "", "abcd"])
def test_a_nik_has_exactly_16_digits(session, monday, value):
    with pytest.raises(BookingError) as refused:
        bookings.book(session, MONDAY, nik=value, name="Siti")
    assert "16 digit" in refused.value.message
    assert not Booking.objects.exists()


def test_booking_window_in_days_weekday_and_holidays(session, mall, monday):
    assert bookings.book(session, MONDAY + dt.timedelta(days=7), nik=NIK_1, name="Siti")  # today + 7: the last day
    with pytest.raises(BookingNotOpen) as late:
        bookings.book(session, MONDAY + dt.timedelta(days=14), nik=NIK_2, name="Budi")
    assert "7" in late.value.message and "14-12-2026" in late.value.message
    with pytest.raises(BookingNotOpen):
        bookings.book(session, MONDAY - dt.timedelta(days=7), nik=NIK_2, name="Budi")  # the past
    with pytest.raises(BookingNotOpen):
        bookings.book(session, MONDAY + dt.timedelta(days=1), nik=NIK_2, name="Budi")  # a Tuesday: not the session's day
    friday = BookingSession.objects.create(
        region=session.region, pool=mall.pool_a, service=mall.kk, weekday=4, starts_at=dt.time(8), ends_at=dt.time(10), quota=5
    )
    with pytest.raises(BookingNotOpen) as holiday:
        bookings.book(friday, dt.date(2026, 12, 25), nik=NIK_2, name="Budi", at=wib(dt.date(2026, 12, 21), 9))
    assert "25-12-2026" in holiday.value.message
    with pytest.raises(BookingNotOpen):  # today's session whose check-in has ended
        bookings.book(session, MONDAY, nik=NIK_2, name="Budi", at=wib(MONDAY, 11, 16))
    assert Booking.objects.count() == 1


def test_check_in_window_edges_issue_one_online_ticket(session, monday):
    early = bookings.book(session, MONDAY, nik=NIK_1, name="Siti")
    late = bookings.book(session, MONDAY, nik=NIK_2, name="Budi")
    with pytest.raises(OutsideWindow) as refused:
        bookings.check_in(early, at=wib(MONDAY, 8, 44, 59))
    assert "08.45" in refused.value.message
    ticket = bookings.check_in(early, at=wib(MONDAY, 8, 45))
    assert (ticket.source, ticket.service_id, ticket.number) == ("online", session.service_id, "A-001")
    assert ticket.issued_at == wib(MONDAY, 8, 45)
    assert bookings.check_in(early, at=wib(MONDAY, 8, 50)).pk == ticket.pk  # a second scan: the same ticket
    with pytest.raises(OutsideWindow):
        bookings.check_in(late, at=wib(MONDAY, 11, 15, 1))
    assert bookings.check_in(late, at=wib(MONDAY, 11, 15)).number == "A-002"
    assert Ticket.objects.count() == 2
    early.refresh_from_db()
    assert early.state == BookingState.CHECKED_IN and early.ticket_id == ticket.pk


def test_unknown_canceled_and_other_mall_codes(session, mall, monday, world):
    with pytest.raises(UnknownBooking) as unknown:
        bookings.find(session.region, "BWI-0000-0000")
    assert unknown.value.http_status == 404
    made = bookings.book(session, MONDAY, nik=NIK_1, name="Siti")
    assert bookings.find(session.region, made.code.lower().replace("-", "")).pk == made.pk
    assert bookings.find(session.region, f"http://x/r/banyuwangi/antrian/reservasi/{made.code}/").pk == made.pk
    with pytest.raises(UnknownBooking):
        bookings.find(world.region_b, made.code)  # another region's code
    with pytest.raises(BookingClosed):
        bookings.check_in(made, mall=mall.mall_b, at=wib(MONDAY, 9))
    bookings.cancel(made)
    with pytest.raises(BookingClosed):
        bookings.cancel(made)
    with pytest.raises(BookingClosed):
        bookings.check_in(made, at=wib(MONDAY, 9))
    assert not Ticket.objects.exists()


def test_the_code_is_sent_through_the_outbox(session, monday):
    made = bookings.book(session, MONDAY, nik=NIK_1, name="Siti", contact="siti@example.org")
    message = Message.objects.get(event_key=f"queue-booking:{made.code}")
    assert message.channel == "email" and made.code in message.body_text and f"/reservasi/{made.code}/" in message.body_text
    assert NIK_1 not in message.body_text
    with pytest.raises(BookingError):
        bookings.book(session, MONDAY, nik=NIK_2, name="Budi", contact="bukan-kontak")


@pytest.mark.django_db(transaction=True)
def test_two_bookings_for_the_last_place_give_one(session, monday):
    session.quota = 1
    session.save()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def work(nik):
        try:
            barrier.wait(timeout=5)
            bookings.book(session, MONDAY, nik=nik, name="x")
            results.append("booked")
        except QuotaFull:
            results.append("full")
        except BaseException as exc:  # noqa: BLE001 -- reported by the assertion below
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(nik,)) for nik in (NIK_1, NIK_2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["booked", "full"]
    assert Booking.objects.filter(state=BookingState.BOOKED).count() == 1


# --- pages -----------------------------------------------------------------------------------


def test_citizen_books_on_the_page_once_and_cancels(client, session, monday):
    url = reverse("queueing:book", args=["banyuwangi"])
    assert "Kartu Tanda Penduduk Elektronik" in client.get(url).content.decode()
    page = client.get(url + "?layanan=KTP-EL").content.decode()
    slot = "MPP|2026-12-07|09:00"
    assert f'value="{slot}"' in page and "2 tempat tersisa" in page
    data = {"layanan": "KTP-EL", "slot": slot, "nik": NIK_1, "name": "Siti", "once": "form-1"}
    first = client.post(url + "?layanan=KTP-EL", data)
    second = client.post(url + "?layanan=KTP-EL", data)  # a double submit
    assert first.status_code == 302 and first.url == second.url
    made = Booking.objects.get()
    shown = client.get(first.url).content.decode()
    assert made.code in shown and "<svg" in shown and "0001" in shown and NIK_1 not in shown
    assert "08.45" in shown and "11.15" in shown
    client.post(reverse("queueing:booking_cancel", args=["banyuwangi", made.code]))
    made.refresh_from_db()
    assert made.state == BookingState.CANCELED
    assert client.get(reverse("queueing:booking", args=["banyuwangi", "BWI-0000-0000"])).status_code == 404


def test_bad_input_on_the_booking_page(client, session, monday):
    url = reverse("queueing:book", args=["banyuwangi"]) + "?layanan=KTP-EL"
    bad = client.post(url, {"layanan": "KTP-EL", "slot": "MPP|2026-12-07|09:00", "nik": "123", "name": "Siti"})
    assert bad.status_code == 422 and "tepat 16 digit" in bad.content.decode()
    wrong = client.post(url, {"layanan": "KTP-EL", "slot": "MPP|2026-12-08|09:00", "nik": NIK_1, "name": "Siti"})
    assert wrong.status_code == 422
    assert not Booking.objects.exists()


def test_kiosk_and_desk_check_in(client, session, mall, monday, world):
    session.quota = 5
    session.save()
    made = bookings.book(session, MONDAY, nik=NIK_1, name="Siti")
    client.cookies[DEVICE_COOKIE] = mall.kiosk_token
    kiosk = reverse("queueing:kiosk", args=["banyuwangi"])
    assert "booking_code" in client.get(kiosk).content.decode()
    unknown = client.post(kiosk, {"booking_code": "BWI-0000-0000", "once": "a"})
    assert unknown.status_code == 404 and "kode" in unknown.content.decode().lower()
    scanned = client.post(kiosk, {"booking_code": f"http://testserver/r/banyuwangi/antrian/reservasi/{made.code}/", "once": "b"})
    assert scanned.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.source == "online" and ticket.code in scanned.url
    other = bookings.book(session, MONDAY, nik=NIK_2, name="Budi")
    client.cookies.pop(DEVICE_COOKIE)
    client.force_login(world.officer_a1)
    desk = client.post(reverse("queueing:desk_check_in", args=["banyuwangi"]), {"code": other.code})
    assert desk.status_code == 302 and Ticket.objects.count() == 2
    client.force_login(world.officer_a2)  # another agency's officer may not check in this queue
    third = bookings.book(session, MONDAY, nik=NIK_3, name="Ani")
    client.post(reverse("queueing:desk_check_in", args=["banyuwangi"]), {"code": third.code})
    third.refresh_from_db()
    assert third.state == BookingState.BOOKED


def test_a_client_books_at_most_ten_times_an_hour(client, session, monday, settings):
    session.quota = 50
    session.save()
    url = reverse("queueing:book", args=["banyuwangi"]) + "?layanan=KTP-EL"
    for n in range(bookings.BOOKINGS_PER_HOUR):
        data = {"layanan": "KTP-EL", "slot": "MPP|2026-12-07|09:00", "nik": f"35100145019{n:05d}", "name": "x"}
        assert client.post(url, data).status_code == 302
    refused = client.post(url, {**data, "nik": "3510014501999999"})
    assert refused.status_code == 429 and "satu jam" in refused.content.decode()
    assert Booking.objects.count() == bookings.BOOKINGS_PER_HOUR
    monday.shift(dt.timedelta(hours=1, seconds=1))
    assert client.post(url, {**data, "nik": "3510014501999999"}).status_code == 302
