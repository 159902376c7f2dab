"""Admin of the queue: region administrators configure pools and booking sessions; tickets, bookings and
devices are read here (they change through the pages, the API and `pendopo queue register-device`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pendopo.queueing.models import Booking, BookingSession, Device, QueuePool, Ticket
from pendopo.regions.admin import ScopedAdmin, admin_site


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(QueuePool, site=admin_site)
class QueuePoolAdmin(ScopedAdmin):
    list_display = ["prefix", "name", "service_point", "agency", "zone", "target_wait_minutes", "priority_cap", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["prefix", "name"]
    filter_horizontal = ["services", "counters"]


@admin.register(BookingSession, site=admin_site)
class BookingSessionAdmin(ScopedAdmin):
    list_display = ["service", "pool", "weekday", "starts_at", "ends_at", "quota"]
    list_filter = ["weekday"]


@admin.register(Device, site=admin_site)
class DeviceAdmin(ScopedAdmin):
    """Registered with `pendopo queue register-device` (the token is shown once); here switched off or renamed."""

    list_display = ["name", "kind", "service_point", "zone", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    fields = ["name", "zone", "is_active"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Ticket, site=admin_site)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "service_date", "pool", "service", "state", "source", "priority_group", "issued_at", "called_at"]
    list_filter = ["state", "source", "service_date"]
    search_fields = ["number", "code"]


@admin.register(Booking, site=admin_site)
class BookingAdmin(ReadOnlyAdmin):
    """The NIK is never shown: only its last four digits are stored beside its keyed hash."""

    list_display = ["code", "date", "session", "state", "nik_last4", "created_at"]
    list_filter = ["state", "date"]
    search_fields = ["code"]
    exclude = ["contact_encrypted"]
