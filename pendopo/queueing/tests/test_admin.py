"""The queue's admin: pools and sessions per region; tickets and bookings read-only, without the NIK."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from pendopo.queueing import actions
from pendopo.queueing import booking as bookings
from pendopo.queueing.models import BookingSession


def test_region_admin_sees_own_queue_only(client, world, mall, monday):
    ticket = actions.issue_ticket(mall.pool_a)
    session = BookingSession.objects.create(
        region=world.region_a, pool=mall.pool_a, service=mall.ktp, weekday=0, starts_at=dt.time(9), ends_at=dt.time(11), quota=5
    )
    made = bookings.book(session, dt.date(2026, 12, 7), nik="3510014501900001", name="Siti")
    client.force_login(world.admin_a)
    pools = client.get(reverse("admin:queueing_queuepool_changelist")).content.decode()
    assert "Kependudukan" in pools and "Mal Pelayanan Publik Banyuwangi" in pools and "MPP Mamuju Tengah" not in pools
    assert ticket.number in client.get(reverse("admin:queueing_ticket_changelist")).content.decode()
    listing = client.get(reverse("admin:queueing_booking_changelist")).content.decode()
    assert made.code in listing and "3510014501900001" not in listing
    assert client.get(reverse("admin:queueing_ticket_add")).status_code == 403
    client.force_login(world.admin_b)
    assert ticket.number not in client.get(reverse("admin:queueing_ticket_changelist")).content.decode()
    assert client.get(reverse("admin:queueing_queuepool_change", args=[mall.pool_a.pk])).status_code in (302, 403, 404)
