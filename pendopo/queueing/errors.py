"""Why a queue action was refused: one exception per reason, each with a stable `code` and HTTP status."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class QueueError(Exception):
    code = "queue_error"
    http_status = 422
    default_message = _("The action could not be carried out.")

    def __init__(self, message: Any = None, **params: Any) -> None:
        self.params = params
        text = str(message if message is not None else self.default_message)
        if params:
            text = text % params
        self.message = text
        super().__init__(text)

    def __str__(self) -> str:
        return self.message


class QueueClosed(QueueError):
    code = "closed"
    http_status = 409
    default_message = _("The queue is closed now.")


class NotAllowed(QueueError):
    code = "not_allowed"
    http_status = 403
    default_message = _("You may not do this at this counter.")


class WrongState(QueueError):
    code = "wrong_state"
    http_status = 409
    default_message = _("This ticket cannot do that in its current state.")


class HeldElsewhere(QueueError):
    code = "held_elsewhere"
    http_status = 409
    default_message = _("Another counter is handling this ticket.")


class CounterBusy(QueueError):
    code = "counter_busy"
    http_status = 409
    default_message = _("Finish, skip or hold the current ticket before calling the next one.")


class NobodyWaiting(QueueError):
    code = "nobody_waiting"
    http_status = 409
    default_message = _("Nobody is waiting for this counter.")


class BookingError(QueueError):
    code = "booking_invalid"
    http_status = 422


class BookingNotOpen(BookingError):
    code = "booking_not_open"
    http_status = 422
    default_message = _("This session cannot be booked on that day.")


class QuotaFull(BookingError):
    code = "quota_full"
    http_status = 409
    default_message = _("This session is fully booked.")


class AlreadyBooked(BookingError):
    code = "already_booked"
    http_status = 409
    default_message = _("This NIK already has an active booking for this service on that day.")


class UnknownBooking(BookingError):
    code = "unknown_booking"
    http_status = 404
    default_message = _("No booking has this code.")


class OutsideWindow(BookingError):
    code = "outside_window"
    http_status = 409
    default_message = _("Check-in is not open now.")


class BookingClosed(BookingError):
    code = "booking_closed"
    http_status = 409
    default_message = _("This booking can no longer be used.")


class TooManyBookings(BookingError):
    code = "too_many_bookings"
    http_status = 429
    default_message = _("Too many bookings from this device. Try again in an hour.")
