"""The outbox in the admin: read-only, recipients masked, a retry action for dead and failed messages."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pendopo.notifications.actions import retry_messages
from pendopo.notifications.models import Message
from pendopo.regions.admin import ScopedAdmin, admin_site


@admin.register(Message, site=admin_site)
class MessageAdmin(ScopedAdmin):
    list_display = [
        "created_at",
        "region",
        "channel",
        "recipient_masked",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["event_key"]
    list_select_related = ["region__regency"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = readonly_fields = (
        "region",
        "channel",
        "recipient_masked",
        "language",
        "event_key",
        "subject",
        "body_text",
        "body_html",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "last_error",
        "provider_id",
        "created_at",
        "sent_at",
    )

    @admin.display(description=_("recipient"))
    def recipient_masked(self, obj: Message) -> str:
        return obj.masked_recipient

    @admin.action(description=_("Retry the selected dead or failed messages"))
    def retry(self, request, queryset) -> None:
        count = retry_messages(queryset, request.user)
        self.message_user(
            request,
            ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count) % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    # Messages are written by actions only, and kept as the record of what was sent.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
