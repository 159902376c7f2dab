"""A citizen takes a ticket at the kiosk, the display board shows and announces the call, the officer serves.

The display runs in its own browser (its own registered device); headless Chromium has no
Indonesian voice, so the board plays the shipped clips and the test reads their sequence.
"""

from __future__ import annotations

import os

import pytest
import time_machine

from pendopo.queueing.models import Ticket, TicketState
from pendopo.queueing.tests.conftest import MONDAY_9_WIB, mall  # noqa: F401 -- the fixture
from tests.browser.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("QUEUE_SHOTS", "")


def _shot(tab, name):
    if SHOTS:
        tab.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_kiosk_display_and_counter(page, browser, live_server, log_in, mall, world, accessibility):  # noqa: F811 -- the fixture
    with time_machine.travel(MONDAY_9_WIB, tick=True):
        board_context = browser.new_context(base_url=live_server.url, locale="id-ID")
        board_context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        )
        board = board_context.new_page()
        accessibility.watch(board)  # the page fixture fails the test on what axe finds on the board too
        board.goto(f"/r/banyuwangi/antrian/perangkat/{mall.display_token}/")
        board.wait_for_url("**/antrian/layar/")
        wait_for(board, "() => localStorage.length > 0")  # the board has its cursor

        page.goto(f"/r/banyuwangi/antrian/perangkat/{mall.kiosk_token}/")
        page.wait_for_url("**/antrian/kios/")
        _shot(page, "kiosk")
        page.get_by_label("Lansia").check()
        page.get_by_role("button", name="Kartu Tanda Penduduk Elektronik").click()
        page.wait_for_url("**/cetak/?kios=1")
        assert page.locator(".slip-number").inner_text() == "A-001"
        assert page.locator(".slip-qr svg").count() == 1
        _shot(page, "slip")
        ticket = Ticket.objects.get()
        assert ticket.priority_group == "elderly"

        log_in(world.counter_officer_a.username)
        page.goto("/r/banyuwangi/antrian/loket/MPP-L01/")
        page.get_by_role("button", name="Panggil berikutnya").click()
        page.wait_for_selector("[data-current='A-001']")

        wait_for(board, "() => document.getElementById('board-spoken').textContent.length > 0", timeout=5000)
        assert board.locator("#board-call-number").inner_text() == "A-001"
        spoken = board.locator("#board-spoken")
        assert spoken.inner_text() == "Nomor antrian A satu, silakan menuju loket satu"
        assert spoken.get_attribute("data-clips") == "chime nomor-antrian huruf-a satu silakan-menuju-loket satu"
        _shot(board, "display")

        board.reload()  # announced once per display, also across a reload
        board.wait_for_timeout(2500)
        assert board.evaluate("() => window.pendopoQueue.spoken.length") == 0

        page.get_by_role("button", name="Panggil ulang").click()
        wait_for(board, "() => window.pendopoQueue.spoken.length === 1", timeout=5000)
        assert board.evaluate("() => window.pendopoQueue.spoken[0].recall") is True

        page.get_by_role("button", name="Mulai layani").click()
        # Counter 1 sends the visitor on to counter 3: the same number, announced again there.
        page.locator("#transfer-to").select_option("counter:MPP-L03")
        page.get_by_role("button", name="Pindahkan").click()
        page.wait_for_selector("text=Tidak ada nomor di loket ini.")
        _shot(page, "counter")
        page.context.clear_cookies()
        log_in(world.officer_a1.username)
        page.goto("/r/banyuwangi/antrian/loket/MPP-L03/")
        page.get_by_role("button", name="Panggil berikutnya").click()
        page.wait_for_selector("[data-current='A-001']")
        board.wait_for_function("() => window.pendopoQueue.spoken.length === 2", timeout=5000)
        assert board.evaluate("() => window.pendopoQueue.spoken[1].text") == "Nomor antrian A satu, silakan menuju loket tiga"
        page.get_by_role("button", name="Mulai layani").click()
        page.get_by_role("button", name="Selesai").click()
        page.wait_for_selector("text=Tidak ada nomor di loket ini.")
        ticket.refresh_from_db()
        assert ticket.state == TicketState.FINISHED
        assert list(ticket.requests.values_list("outcome", flat=True)) == ["transferred", "finished"]
        # The citizen follows the ticket's QR on a phone and rates the visit.
        page.context.clear_cookies()
        page.goto(f"/r/banyuwangi/antrian/tiket/{ticket.code}/")
        page.get_by_role("link", name="Nilai layanan").click()
        page.wait_for_url("**/skm/isi/**")
        assert page.locator(".skm-answer").count() > 0
        accessibility.check(board)  # the board after the calls it showed
        board_context.close()


def test_citizen_books_on_a_phone_and_checks_in_at_the_kiosk(page, browser, live_server, mall, world):  # noqa: F811 -- the fixture
    import datetime as dt

    from pendopo.queueing.models import Booking, BookingSession

    BookingSession.objects.create(
        region=world.region_a, pool=mall.pool_a, service=mall.ktp, weekday=0, starts_at=dt.time(8), ends_at=dt.time(12), quota=3
    )
    with time_machine.travel(MONDAY_9_WIB, tick=True):
        phone = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 360, "height": 740})
        tab = phone.new_page()
        tab.goto("/r/banyuwangi/antrian/")
        tab.get_by_role("link", name="Reservasi nomor antrian online").click()
        tab.get_by_role("link", name="Kartu Tanda Penduduk Elektronik").click()
        tab.locator("input[name=slot]").first.check()
        tab.get_by_label("NIK (16 digit)").fill("3510 0145 0190 0001")
        tab.get_by_label("Nama").fill("Siti Rahayu")
        tab.get_by_role("button", name="Pesan").click()
        tab.wait_for_url("**/reservasi/*-*-*/")
        booking = Booking.objects.get()
        assert tab.locator("[data-code]").inner_text() == booking.code
        assert tab.locator(".booking-qr svg").count() == 1
        assert "3510014501900001" not in tab.content()
        # Phone-friendly: nothing wider than the screen.
        assert tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        _shot(tab, "booking")
        phone.close()

        page.goto(f"/r/banyuwangi/antrian/perangkat/{mall.kiosk_token}/")
        page.wait_for_url("**/antrian/kios/")
        page.locator("#booking-code").fill(booking.code.lower())
        page.get_by_role("button", name="Check-in").click()
        page.wait_for_url("**/cetak/?kios=1")
        assert page.locator(".slip-number").inner_text() == "A-001"
        booking.refresh_from_db()
        assert booking.state == "checked_in" and booking.ticket.source == "online"
