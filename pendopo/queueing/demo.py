"""Demo queue data (a `pendopo demo` step after the catalogue's; idempotent).

Banyuwangi's MPP: pools for six agencies (A Kependudukan … F Tata Ruang) on the mall's counters
(Loket 1–6; Loket 7 and 8 keep no queue), a kiosk and a display board registered, and a morning of
tickets in every state — finished, no-show, canceled, on hold, called, being served, waiting, a
transfer from A to E that keeps its number — simulated counter by counter up to now, so the
statistics are those of a real morning; booking sessions for civil registration and business
licensing, with bookings for the next working day. Mamuju Tengah: a small mall of three pools
with a few tickets. A fixed seed keeps the figures the same; the step adds nothing when the mall
already has pools (it prints the devices' links again). Everything is written in bulk (well under
a second on SQLite).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from pendopo.catalog.models import Service
from pendopo.lib import codes, crypto, dates
from pendopo.queueing.booking import _nik_hash
from pendopo.queueing.models import (
    PRIORITY,
    REGULAR_PRIORITY,
    Booking,
    BookingEvent,
    BookingSession,
    BookingState,
    Device,
    EventKind,
    PriorityGroup,
    QueuePool,
    ServiceRequest,
    Source,
    Ticket,
    TicketEvent,
    TicketState,
)
from pendopo.queueing.selectors import device_token_hash
from pendopo.regions.demo import register_demo_step
from pendopo.regions.models import Region, ServicePoint

# (prefix, name, agency, services, counter number, zone, minutes between arrivals, mean service minutes)
BANYUWANGI_POOLS = [
    ("A", "Kependudukan", "DISPENDUKCAPIL",
     ["KTP-EL", "KK", "AKTA-LAHIR", "AKTA-MATI", "KIA", "PINDAH", "AKTA-KAWIN"], 1, "lantai-1", 6, 5),
    ("B", "Perizinan", "DPMPTSP", ["PBG", "NIB", "REKLAME", "SIP-DOKTER", "SPP-IRT"], 2, "lantai-1", 11, 9),
    ("C", "Pajak Daerah", "BAPENDA", ["PBB-MUTASI", "BPHTB"], 3, "lantai-1", 16, 8),
    ("D", "Sosial", "DINSOS", ["SKTM", "PBI-JK"], 4, "lantai-2", 15, 7),
    ("E", "Kesehatan", "DINKES", ["SK-SEHAT", "LAIK-HIGIENE"], 5, "lantai-2", 18, 6),
    ("F", "Tata Ruang", "DPUCKPP", ["KRK"], 6, "lantai-2", 30, 12),
]  # fmt: skip
MAMUJU_TENGAH_POOLS = [
    ("A", "Kependudukan", "DISDUKCAPIL", ["KTP-EL", "KK", "AKTA-LAHIR", "KIA"], 1, "", 20, 7),
    ("B", "Perizinan", "DPMPTSP", ["NIB", "PBG", "SIP-BIDAN"], 2, "", 40, 10),
    ("D", "Sosial", "DINSOS", ["SKTM"], 4, "", 45, 8),
]  # fmt: skip
# Booking sessions (service, start, end, quota) on working weekdays.
BANYUWANGI_SESSIONS = [
    ("KTP-EL", dt.time(8), dt.time(10), 20),
    ("KTP-EL", dt.time(10), dt.time(12), 20),
    ("KK", dt.time(8), dt.time(10), 10),
    ("NIB", dt.time(9), dt.time(11), 6),
]
NAMES = ["Ahmad Fauzi", "Siti Aminah", "Budi Santoso", "Dewi Lestari", "Rudi Hartono", "Nur Hidayah", "Agus Salim", "Rina Wati"]
MORNING = dt.timedelta(hours=3, minutes=30)


def demo_device_token(region: Region, kind: str) -> str:
    """A demo device's token, the same on every run of this installation (derived from its data key)."""
    return crypto.keyed_hash(settings.PENDOPO_DATA_KEY, f"queue-demo-device:{region.slug}:{kind}")[:32]


def _devices(region: Region, mall: ServicePoint, kinds: tuple[str, ...]) -> list[str]:
    links = []
    for kind in kinds:
        token = demo_device_token(region, kind)
        Device.objects.get_or_create(
            token_hash=device_token_hash(token),
            defaults={
                "region": region,
                "service_point": mall,
                "kind": kind,
                "name": f"{'Kios' if kind == Device.Kind.KIOSK else 'Layar'} 1 {mall.name}",
            },
        )
        links.append(reverse("queueing:device", args=[region.slug, token]))
    return links


@dataclass
class _Sim:
    """One ticket of the simulated morning, before it is written."""

    ticket: Ticket
    requests: list[ServiceRequest]
    events: list[tuple[str, dt.datetime, ServicePoint | None, str]]


def _simulate(
    region: Region,
    pool: QueuePool,
    counter: ServicePoint,
    services: list[Service],
    gap: int,
    service_minutes: int,
    start: dt.datetime,
    now: dt.datetime,
    rng: random.Random,
    sequences: dict[tuple[int, dt.date], int],
) -> list[_Sim]:
    """Arrivals every ~`gap` minutes from `start`; one counter calls by priority then arrival until `now`."""
    zone = ZoneInfo(region.time_zone)
    arrivals: list[dt.datetime] = []
    moment = start
    while True:
        moment += dt.timedelta(minutes=rng.expovariate(1 / gap))
        if moment >= now:
            break
        arrivals.append(moment)
    sims: list[_Sim] = []
    for issued in arrivals:
        day = issued.astimezone(zone).date()
        sequence = sequences.get((pool.pk, day), 0) + 1
        sequences[(pool.pk, day)] = sequence
        group = rng.choice([g.value for g in PriorityGroup if g.value]) if rng.random() < 0.12 else ""
        service = rng.choice(services) if services else None
        ticket = Ticket(
            region=region,
            pool=pool,
            number_pool=pool,
            service_date=day,
            sequence=sequence,
            number=pool.format_number(sequence),
            code=codes.new_code(region.prefix),
            service=service,
            priority=PRIORITY if group else REGULAR_PRIORITY,
            priority_group=group,
            source=Source.KIOSK if rng.random() < 0.85 else Source.DESK,
            state=TicketState.WAITING,
            issued_at=issued,
            queued_at=issued,
        )
        request = ServiceRequest(ticket=ticket, seq=1, pool=pool, service=service, queued_at=issued)
        sims.append(_Sim(ticket, [request], [(EventKind.ISSUED, issued, None, ticket.source)]))
    free = start
    waiting = list(sims)
    held_one = False
    while waiting:
        at = max(free, min(s.ticket.issued_at for s in waiting))
        if at >= now:
            break
        present = [s for s in waiting if s.ticket.issued_at <= at]
        # Who gave up: a visitor waiting over 40 minutes leaves now and then.
        for sim in present:
            if at - sim.ticket.issued_at > dt.timedelta(minutes=40) and rng.random() < 0.1:
                left = sim.ticket.issued_at + dt.timedelta(minutes=40)
                sim.ticket.state, sim.ticket.canceled_at, sim.ticket.cancel_reason = TicketState.CANCELED, left, "left"
                sim.requests[0].ended_at, sim.requests[0].outcome = left, "canceled"
                sim.events.append((EventKind.CANCELED, left, None, "left"))
                waiting.remove(sim)
        present = [s for s in waiting if s.ticket.issued_at <= at]
        if not present:
            free = at + dt.timedelta(seconds=1)
            continue
        sim = min(present, key=lambda s: (s.ticket.priority, s.ticket.issued_at))
        waiting.remove(sim)
        ticket, request = sim.ticket, sim.requests[0]
        ticket.state, ticket.counter, ticket.called_at = TicketState.CALLED, counter, at
        request.called_at, request.counter = at, counter
        sim.events.append((EventKind.CALLED, at, counter, ""))
        if rng.random() < 0.08:  # did not come
            gone = at + dt.timedelta(minutes=2)
            if gone > now:
                break  # still called, the counter waits for them
            ticket.state, ticket.canceled_at, ticket.cancel_reason = TicketState.NO_SHOW, gone, "no-show"
            request.ended_at, request.outcome = gone, "no_show"
            sim.events.append((EventKind.RECALLED, at + dt.timedelta(minutes=1), counter, ""))
            sim.events.append((EventKind.SKIPPED, gone, counter, ""))
            free = gone
            continue
        started = at + dt.timedelta(seconds=rng.randint(30, 90))
        if started > now:
            break  # called, on the way to the counter
        ticket.state, ticket.started_at = TicketState.SERVING, started
        request.started_at = started
        sim.events.append((EventKind.STARTED, started, counter, ""))
        if not held_one and len(sims) > 8 and rng.random() < 0.2:  # fetches a missing document
            held = started + dt.timedelta(minutes=3)
            if held <= now:
                held_one = True
                ticket.state, ticket.counter = TicketState.HELD, None
                sim.events.append((EventKind.HELD, held, counter, "Mengambil fotokopi KK"))
                free = held
                continue
        finished = started + dt.timedelta(minutes=max(1.0, rng.gauss(service_minutes, service_minutes / 3)))
        if finished > now:
            break  # being served now
        ticket.state, ticket.finished_at = TicketState.FINISHED, finished
        request.ended_at, request.outcome = finished, "finished"
        sim.events.append((EventKind.FINISHED, finished, counter, ""))
        free = finished
    return sims


def _transfer(sims: list[_Sim], to_pool: QueuePool, to_service: Service | None) -> None:
    """The last finished ticket of the first pool was in fact sent on: it waits in `to_pool`, number and place kept."""
    done = [s for s in sims if s.ticket.state == TicketState.FINISHED]
    if not done:
        return
    sim = done[-1]
    ticket, first = sim.ticket, sim.requests[0]
    moved = ticket.finished_at or ticket.issued_at
    counter = first.counter
    sim.events[-1] = (EventKind.TRANSFERRED, moved, counter, to_pool.name)
    first.outcome = "transferred"
    ticket.state, ticket.finished_at, ticket.counter = TicketState.WAITING, None, None
    ticket.pool, ticket.service = to_pool, to_service
    sim.requests.append(ServiceRequest(ticket=ticket, seq=2, pool=to_pool, service=to_service, queued_at=moved))


def _write(region: Region, mall: ServicePoint, sims: list[_Sim]) -> None:
    tickets = Ticket.objects.bulk_create([s.ticket for s in sims])
    for sim, saved in zip(sims, tickets, strict=True):
        for request in sim.requests:
            request.ticket = saved
    ServiceRequest.objects.bulk_create([r for s in sims for r in s.requests])
    events = [
        TicketEvent(
            region=region,
            ticket=sim.ticket,
            kind=kind,
            at=at,
            counter=counter,
            pool=sim.requests[-1].pool if kind == EventKind.TRANSFERRED else sim.requests[0].pool,
            service_point=mall,
            note=note,
        )
        for sim in sims
        for kind, at, counter, note in sim.events
    ]
    # In time order, so that the display board's cursor (the event id) follows the morning.
    events.sort(key=lambda e: e.at)
    TicketEvent.objects.bulk_create(events)


def _load_mall(region: Region, specs: list, seed: int, kinds: tuple[str, ...]) -> tuple[ServicePoint | None, list[str], int]:
    mall = ServicePoint.objects.filter(region=region, code="MPP").first()
    if mall is None:
        return None, [], 0
    links = _devices(region, mall, kinds)
    if QueuePool.objects.filter(service_point=mall).exists():
        return mall, links, 0
    rng = random.Random(seed)  # noqa: S311 -- demo data, not security
    now = dates.now()
    # Always three and a half hours up to now, so the morning is the same whenever the demo is built
    # (run just after midnight, its first tickets belong to the previous local day, as they should).
    start = now - MORNING
    services = {s.code: s for s in Service.objects.filter(region=region)}
    counters = {c.code: c for c in ServicePoint.objects.filter(parent=mall, kind=ServicePoint.Kind.COUNTER)}
    sequences: dict[tuple[int, dt.date], int] = {}
    sims: list[_Sim] = []
    pools: dict[str, QueuePool] = {}
    for prefix, name, _agency, service_codes, number, zone_name, gap, minutes in specs:
        counter = counters.get(f"MPP-L{number:02d}")
        if counter is None or counter.agency is None:
            continue
        pool = QueuePool.objects.create(
            region=region,
            service_point=mall,
            agency=counter.agency,
            prefix=prefix,
            name=name,
            zone=zone_name,
            target_wait_minutes=15,
        )
        chosen = [services[c] for c in service_codes if c in services]
        pool.services.set(chosen)
        pool.counters.set([counter])
        pools[prefix] = pool
        sims += _simulate(region, pool, counter, chosen, gap, minutes, start, now, rng, sequences)
    if "A" in pools and "E" in pools:
        first = [s for s in sims if s.ticket.pool_id == pools["A"].pk]
        _transfer(first, pools["E"], services.get("SK-SEHAT"))
    _every_state(sims, now)
    _write(region, mall, sims)
    return mall, links, len(sims)


def _every_state(sims: list[_Sim], now: dt.datetime) -> None:
    """However the morning went, show a ticket called (on its way) and one whose visitor left."""
    states = {s.ticket.state for s in sims}
    if TicketState.CALLED not in states:
        serving = [s for s in sims if s.ticket.state == TicketState.SERVING]
        if serving:  # called a moment ago: not at the counter yet
            sim = serving[0]
            sim.ticket.state, sim.ticket.started_at, sim.requests[-1].started_at = TicketState.CALLED, None, None
            sim.events = [e for e in sim.events if e[0] != EventKind.STARTED]
    if TicketState.CANCELED not in states:
        waiting = [s for s in sims if s.ticket.state == TicketState.WAITING and len(s.requests) == 1]
        if waiting:
            sim = waiting[-1]
            left = sim.ticket.issued_at + (now - sim.ticket.issued_at) / 2
            sim.ticket.state, sim.ticket.canceled_at, sim.ticket.cancel_reason = TicketState.CANCELED, left, "left"
            sim.requests[0].ended_at, sim.requests[0].outcome = left, "canceled"
            sim.events.append((EventKind.CANCELED, left, None, "left"))


def _bookings(region: Region, mall: ServicePoint, seed: int) -> int:
    pools = {
        s.code: p for p in QueuePool.objects.filter(service_point=mall).prefetch_related("services") for s in p.services.all()
    }
    services = {s.code: s for s in Service.objects.filter(region=region, code__in=[c for c, *_ in BANYUWANGI_SESSIONS])}
    calendar = region.calendar(mall)
    made = 0
    sessions: list[BookingSession] = []
    for code, starts, ends, quota in BANYUWANGI_SESSIONS:
        if code not in pools or code not in services:
            continue
        sessions.extend(
            BookingSession(
                region=region,
                pool=pools[code],
                service=services[code],
                weekday=weekday,
                starts_at=starts,
                ends_at=ends,
                quota=quota,
            )
            for weekday in range(5)
        )
    BookingSession.objects.bulk_create(sessions)
    tomorrow = calendar.next_working_day(dates.today(region.time_zone))
    while tomorrow.weekday() >= 5:  # the sessions are on weekdays; a Saturday opening takes walk-ins only
        tomorrow = calendar.next_working_day(tomorrow)
    rng = random.Random(seed)  # noqa: S311 -- demo data, not security
    rows = []
    for n, session in enumerate(s for s in sessions if s.weekday == tomorrow.weekday()):
        for i in range(min(session.quota - 1, 3 + n)):
            nik = f"3510{rng.randint(10, 99)}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(70, 99)}{i + 1:04d}"
            rows.append(
                Booking(
                    region=region,
                    session=session,
                    service=session.service,
                    date=tomorrow,
                    code=codes.new_code(region.prefix),
                    nik_hash=_nik_hash(nik),
                    nik_last4=nik[-4:],
                    name=rng.choice(NAMES),
                    state=BookingState.CANCELED if i == 1 and n == 0 else BookingState.BOOKED,
                )
            )
    unique: dict[tuple[str, int], Booking] = {}
    for row in rows:  # one active booking per NIK, service and day, as the constraint wants
        unique.setdefault((row.nik_hash, row.service.pk), row)
    rows = list(unique.values())
    Booking.objects.bulk_create(rows)
    BookingEvent.objects.bulk_create([BookingEvent(booking=b, kind="booked") for b in rows])
    BookingEvent.objects.bulk_create([BookingEvent(booking=b, kind="canceled") for b in rows if b.state == BookingState.CANCELED])
    made += len(rows)
    return made


def load_demo_queue() -> str | None:
    lines = []
    with transaction.atomic():
        for slug, specs, seed, kinds in (
            ("banyuwangi", BANYUWANGI_POOLS, 13, (Device.Kind.KIOSK, Device.Kind.DISPLAY)),
            ("mamuju-tengah", MAMUJU_TENGAH_POOLS, 76, (Device.Kind.KIOSK,)),
        ):
            region = Region.objects.filter(slug=slug).first()
            if region is None:
                continue
            had_pools = QueuePool.objects.filter(region=region).exists()
            mall, links, tickets = _load_mall(region, specs, seed, kinds)
            if mall is None:
                continue
            booked = _bookings(region, mall, seed) if slug == "banyuwangi" and not had_pools else 0
            pools = QueuePool.objects.filter(service_point=mall).count()
            lines.append(
                f"queue: {region.name} {pools} pools, +{tickets} tickets today, +{booked} bookings; devices: " + ", ".join(links)
            )
    return "\n".join(lines) or None


register_demo_step(75, "queueing", load_demo_queue)
