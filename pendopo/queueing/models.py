"""The service mall's queue: pools, tickets with their service requests and events, devices, bookings.

Rules and their sources: /work/shared/reference/queue.md and docs/queueing.md.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pendopo.catalog.models import Service
from pendopo.lib import dates
from pendopo.regions.models import Agency, Region, ServicePoint, User, Weekday
from pendopo.workflow.models import Case

REGULAR_PRIORITY = 2
PRIORITY = 1


class QueuePool(models.Model):
    """One number series (prefix) at a service mall, shared by one or more services of one agency."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="queue_pools", verbose_name=_("service point")
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="queue_pools", verbose_name=_("agency"))
    prefix = models.CharField(_("prefix"), max_length=3, help_text=_("Capital letters that start its numbers, e.g. A."))
    name = models.CharField(_("name"), max_length=150)
    padding = models.PositiveSmallIntegerField(_("number width"), default=3, help_text=_("0: no leading zeros."))
    services = models.ManyToManyField(Service, blank=True, related_name="queue_pools", verbose_name=_("services"))
    counters = models.ManyToManyField(ServicePoint, blank=True, related_name="called_pools", verbose_name=_("counters"))
    zone = models.CharField(_("zone"), max_length=50, blank=True, help_text=_("The display boards of this zone show it."))
    target_wait_minutes = models.PositiveIntegerField(_("target waiting time (minutes)"), default=15)
    priority_cap = models.PositiveSmallIntegerField(
        _("priority calls before a regular one"),
        default=3,
        help_text=_("After this many priority calls a regular ticket is called."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["service_point", "prefix"]
        verbose_name = _("queue pool")
        verbose_name_plural = _("queue pools")
        constraints = [models.UniqueConstraint(fields=["service_point", "prefix"], name="queue_pool_unique_prefix")]
        indexes = [models.Index(fields=["region", "service_point"], name="queue_pool_region_idx")]

    def __str__(self) -> str:
        return f"{self.prefix} — {self.name}"

    def clean(self) -> None:
        if self.prefix and not (self.prefix.isalpha() and self.prefix.isupper()):
            raise ValidationError({"prefix": _("The prefix is one to three capital letters.")})
        if self.agency_id and self.region_id and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("The agency must belong to the same region.")})
        if self.service_point_id and self.region_id and self.service_point.region_id != self.region_id:
            raise ValidationError({"service_point": _("The service point must belong to the same region.")})

    def format_number(self, sequence: int) -> str:
        # Padding is a minimum width: it never truncates (A-1000 after A-999).
        return f"{self.prefix}-{sequence:0{self.padding}d}" if self.padding else f"{self.prefix}-{sequence}"


class PriorityGroup(models.TextChoices):
    NONE = "", _("none")
    ELDERLY = "elderly", _("elderly")
    DISABLED = "disabled", _("person with a disability")
    PREGNANT = "pregnant", _("pregnant woman")
    SMALL_CHILD = "child", _("with a small child")


class Source(models.TextChoices):
    KIOSK = "kiosk", _("kiosk")
    DESK = "desk", _("information desk")
    ONLINE = "online", _("online booking")


class TicketState(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SERVING = "serving", _("being served")
    HELD = "held", _("on hold")
    FINISHED = "finished", _("finished")
    NO_SHOW = "no_show", _("did not come")
    CANCELED = "canceled", _("canceled")


ACTIVE_STATES = (TicketState.CALLED, TicketState.SERVING)
OPEN_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING, TicketState.HELD)


class Ticket(models.Model):
    """One visitor's number for one day; it may carry several services in turn (its requests)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    pool = models.ForeignKey(QueuePool, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("queue pool"))
    # The pool the number was taken from: the number series stays that pool's after a transfer.
    number_pool = models.ForeignKey(QueuePool, on_delete=models.PROTECT, related_name="+", verbose_name=_("numbered in"))
    service_date = models.DateField(_("service date"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=12)
    code = models.CharField(_("code"), max_length=20, unique=True)
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=REGULAR_PRIORITY)
    priority_group = models.CharField(_("priority group"), max_length=10, choices=PriorityGroup.choices, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.KIOSK)
    state = models.CharField(_("state"), max_length=10, choices=TicketState.choices, default=TicketState.WAITING)
    counter = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("counter")
    )
    # A ticket transferred to one counter waits for that counter only.
    target_counter = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("for counter")
    )
    issued_at = models.DateTimeField(_("issued at"))
    # The calling order's time: the issue time, kept across a transfer (reference §5).
    queued_at = models.DateTimeField(_("in line since"))
    called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    canceled_at = models.DateTimeField(_("canceled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The application registered at the counter for this visit (its case): one thread from number to decision.
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="queue_tickets", verbose_name=_("application")
    )

    class Meta:
        ordering = ["service_date", "priority", "queued_at", "pk"]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        constraints = [
            models.UniqueConstraint(fields=["number_pool", "service_date", "sequence"], name="ticket_unique_sequence"),
            models.UniqueConstraint(fields=["number_pool", "service_date", "number"], name="ticket_unique_number"),
        ]
        indexes = [
            models.Index(fields=["region", "service_date"], name="ticket_region_day_idx"),
            # Calling order within the day: numbers left waiting on earlier days are never scanned.
            models.Index(fields=["pool", "service_date", "state", "priority", "queued_at", "id"], name="ticket_call_day_idx"),
            models.Index(fields=["counter", "state"], name="ticket_counter_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_priority(self) -> bool:
        return self.priority < REGULAR_PRIORITY


class ServiceRequest(models.Model):
    """One service of a ticket, in turn: a transfer ends one request and opens the next (TheQ's model)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="requests", verbose_name=_("ticket"))
    seq = models.PositiveSmallIntegerField(_("order"))
    pool = models.ForeignKey(QueuePool, on_delete=models.PROTECT, related_name="+", verbose_name=_("queue pool"))
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    counter = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("counter")
    )
    queued_at = models.DateTimeField(_("queued at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, blank=True)

    class Meta:
        ordering = ["ticket", "seq"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [models.UniqueConstraint(fields=["ticket", "seq"], name="service_request_unique_seq")]


class EventKind(models.TextChoices):
    ISSUED = "issued", _("issued")
    CALLED = "called", _("called")
    RECALLED = "recalled", _("called again")
    SKIPPED = "skipped", _("did not come")
    HELD = "held", _("put on hold")
    RETURNED = "returned", _("back in line")
    TRANSFERRED = "transferred", _("transferred")
    STARTED = "started", _("service started")
    FINISHED = "finished", _("finished")
    CANCELED = "canceled", _("canceled")
    APPLICATION = "application", _("application registered")


class TicketEventQuerySet(models.QuerySet["TicketEvent"]):
    def update(self, **kwargs):
        raise TypeError("Ticket events are append-only.")

    def delete(self):
        raise TypeError("Ticket events are append-only.")


class TicketEvent(models.Model):
    """The append-only history of a ticket; the display board's cursor is a call event's id."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket"))
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=dates.now)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by"))
    counter = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("counter")
    )
    pool = models.ForeignKey(
        QueuePool, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pool")
    )
    # The mall of the event, so that a display board reads its calls with one indexed range.
    service_point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="+", verbose_name=_("service point"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = TicketEventQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [
            # The display feed's two reads (calls after the cursor, the last call): one range in id order.
            models.Index(
                fields=["service_point", "id"],
                condition=models.Q(kind__in=["called", "recalled"]),
                name="ticket_event_call_idx",
            ),
            models.Index(fields=["counter", "kind", "id"], name="ticket_event_counter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise TypeError("Ticket events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ticket events are append-only.")


class Device(models.Model):
    """A registered kiosk or display board at a service mall: it works without a staff login."""

    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("ticket kiosk")
        DISPLAY = "display", _("display board")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    service_point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="+", verbose_name=_("service point"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    # A display shows the pools of its zone; empty: every pool of the service point.
    zone = models.CharField(_("zone"), max_length=50, blank=True)
    token_hash = models.CharField(_("token (keyed hash)"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["service_point", "kind", "name"]
        verbose_name = _("queue device")
        verbose_name_plural = _("queue devices")
        indexes = [models.Index(fields=["region", "service_point"], name="queue_device_region_idx")]

    def __str__(self) -> str:
        return self.name


class BookingSession(models.Model):
    """A weekly session of a service open to online booking, with its quota."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    pool = models.ForeignKey(QueuePool, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("queue pool"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    quota = models.PositiveIntegerField(_("quota"))

    class Meta:
        ordering = ["pool", "service", "weekday", "starts_at"]
        verbose_name = _("booking session")
        verbose_name_plural = _("booking sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="booking_session_order"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class BookingState(models.TextChoices):
    BOOKED = "booked", _("booked")
    CHECKED_IN = "checked_in", _("checked in")
    CANCELED = "canceled", _("canceled")
    EXPIRED = "expired", _("expired (did not come)")


BOOKING_ACTIVE = (BookingState.BOOKED, BookingState.CHECKED_IN)


class Booking(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    session = models.ForeignKey(BookingSession, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("session"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service"))
    date = models.DateField(_("date"))
    code = models.CharField(_("booking code"), max_length=20, unique=True)
    nik_hash = models.CharField(_("NIK (keyed hash)"), max_length=64, editable=False)
    nik_last4 = models.CharField(_("NIK (last four digits)"), max_length=4, editable=False)
    name = models.CharField(_("name"), max_length=150)
    contact_encrypted = models.TextField(_("contact (encrypted)"), blank=True, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=BookingState.choices, default=BookingState.BOOKED)
    ticket = models.OneToOneField(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="booking", verbose_name=_("ticket")
    )
    created_at = models.DateTimeField(_("booked at"), default=dates.now, editable=False)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "session", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["nik_hash", "service", "date"],
                condition=models.Q(state__in=["booked", "checked_in"]),
                name="booking_one_active_per_nik",
            ),
        ]
        indexes = [models.Index(fields=["region", "date"], name="booking_region_day_idx")]

    def __str__(self) -> str:
        return self.code


class BookingEvent(models.Model):
    """The append-only audit of a booking: booked, canceled, checked in, expired."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events", verbose_name=_("booking"))
    kind = models.CharField(_("kind"), max_length=12)
    at = models.DateTimeField(_("at"), default=dates.now)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind}"
