"""The sweep is registered with the worker and runnable as a command."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

from django.core import mail
from django.core.management import call_command

from pendopo.notifications.tasks import deliver_due_messages, deliver_message
from pendopo.notifications.tests.helpers import email
from pendopo.worker.periodic import registered


def test_sweep_is_a_periodic_job_every_30_seconds():
    spec = registered()["notifications.deliver_due"]
    assert spec.task is deliver_due_messages
    assert spec.every == dt.timedelta(seconds=30)


def test_tasks_wrap_delivery(db):
    first, second = email(key="k:1"), email(key="k:2")
    assert deliver_message.call(first.pk) == "sent"
    assert deliver_message.call(first.pk) == "skipped"
    assert deliver_due_messages.call()["sent"] == 1
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        [m.provider_id for m in (first.__class__.objects.filter(pk__in=[first.pk, second.pk]))]
    )


def test_command_json(db):
    email(key="k:1")
    email(key="k:2")
    out = StringIO()
    call_command("deliver_messages", "--json", "--limit", "1", stdout=out)
    counts = json.loads(out.getvalue())
    assert counts["sent"] == 1
    out = StringIO()
    call_command("deliver_messages", stdout=out)
    assert out.getvalue().strip() in (
        "Sent 1, to retry 0, failed 0, given up 0, recovered 0.",
        "Terkirim 1, akan dicoba lagi 0, gagal 0, dihentikan 0, dipulihkan 0.",
    )
    assert len(mail.outbox) == 2
