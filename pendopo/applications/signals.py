"""Signals other apps may listen to (the applications app imports none of them)."""

from django.dispatch import Signal

# Sent after an officer registers a walk-in from the page, with `application` and `request`: the
# queue links the visitor's ticket (`?tiket=<code>` on the form's address) to the application.
walk_in_registered = Signal()
