"""Expiry and evaluation reminders are mailed to those who act, once per person and step, in the morning."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from pendopo.cooperation import actions, reminders
from pendopo.cooperation.models import DocumentKind
from pendopo.cooperation.tasks import send_reminders
from pendopo.cooperation.tests.test_agreements import D, sign, to_pks
from pendopo.notifications.models import Message
from pendopo.regions.models import Role
from pendopo.regions.tests.factories import AgencyFactory, UserFactory, member

WITA = ZoneInfo("Asia/Makassar")


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=WITA)


def in_force(world, bkpsdm):
    agreement = to_pks(world, bkpsdm)
    user = bkpsdm.head_user
    actions.advance(user, agreement, "to_pks_signature")
    sign(agreement, user, DocumentKind.PKS, "PKS/3", D(2022, 4, 1), effective_on=D(2022, 4, 1), ends_on=D(2027, 3, 31))
    return actions.advance(user, agreement, "implement")


def people(world, bkpsdm):
    bkpsdm.head_user.email = "kepala.bkpsdm@mamujutengahkab.go.id"
    bkpsdm.head_user.save()
    world.admin_b.email = "admin@mamujutengahkab.go.id"
    world.admin_b.save()
    other = AgencyFactory(region=world.region_b, code="DINKES", name="Dinas Kesehatan")
    head = UserFactory(username="kepala_dinkes", email="kepala.dinkes@mamujutengahkab.go.id")
    member(head, world.region_b, Role.HEAD, agency=other)
    world.region_b.contact_email = "kerjasama@mamujutengahkab.go.id"
    world.region_b.save()


def mails(reason: str) -> list[Message]:
    return list(Message.objects.filter(event_key__startswith=f"cooperation:{reason}:").order_by("event_key"))


def test_an_ending_agreement_is_mailed_at_the_notice_at_30_and_at_7_days_once_each(world, bkpsdm):
    people(world, bkpsdm)
    agreement = in_force(world, bkpsdm)
    outside = D(2026, 12, 30)  # 91 days before the end
    reminders.send_region(world.region_b, at(outside, 8))
    assert not mails("expiring")
    first = D(2027, 1, 1)  # 89 days
    assert reminders.send_region(world.region_b, at(first, 6)) == 0  # before the reminder hour: nothing
    sent = reminders.send_region(world.region_b, at(first, 8))
    to = sorted(m.to_email for m in mails("expiring"))
    # The administrator, the initiating agency's head and the contact address; not another agency's head.
    assert to == ["admin@mamujutengahkab.go.id", "kepala.bkpsdm@mamujutengahkab.go.id", "kerjasama@mamujutengahkab.go.id"]
    assert sent >= 3
    message = mails("expiring")[0]
    assert "Pengembangan sumber daya manusia aparatur" in message.subject and "89" in message.subject
    assert "31 Maret 2027" in message.body_text and agreement.get_absolute_url() in message.body_text
    # Every later run that day and the next weeks sends nothing more until the 30-day step.
    reminders.send_region(world.region_b, at(first, 9))
    reminders.send_region(world.region_b, at(D(2027, 2, 15), 8))
    assert len(mails("expiring")) == 3
    reminders.send_region(world.region_b, at(D(2027, 3, 1), 8))  # 30 days
    reminders.send_region(world.region_b, at(D(2027, 3, 2), 8))
    assert len(mails("expiring")) == 6
    reminders.send_region(world.region_b, at(D(2027, 3, 24), 8))  # 7 days
    assert len(mails("expiring")) == 9
    assert {m.event_key.split(":")[3] for m in mails("expiring")} == {"d90", "d30", "d7"}


def test_a_missing_evaluation_is_mailed_once_per_period(world, bkpsdm):
    people(world, bkpsdm)
    in_force(world, bkpsdm)
    reminders.send_region(world.region_b, at(D(2023, 1, 10), 8))
    overdue = mails("evaluation_overdue")
    assert len(overdue) == 3  # January–June and July–December 2022, one message per person
    assert "1 Januari 2022 – 30 Juni 2022" in overdue[0].body_text and "1 Juli 2022 – 31 Desember 2022" in overdue[0].body_text
    reminders.send_region(world.region_b, at(D(2023, 1, 11), 8))
    assert len(mails("evaluation_overdue")) == 3


def test_the_hourly_job_and_the_command_send_what_is_due(world, bkpsdm, settings):
    people(world, bkpsdm)
    in_force(world, bkpsdm)
    with time_machine.travel(at(D(2027, 1, 5), 9), tick=False):
        assert send_reminders.call() > 0
        count = Message.objects.count()
        out = StringIO()
        call_command("cooperation", "reminders", "--region", world.region_b.slug, "--send", stdout=out)
        assert "0 new reminder messages" in out.getvalue()
        assert Message.objects.count() == count  # the command's --send and the job share the event keys
    settings.PENDOPO_COOPERATION_EXPIRY_NOTICE_DAYS = 30
    assert [r.reason for r in reminders.due(world.region_b, D(2027, 1, 5))] == ["evaluation_overdue"]


def test_an_agreement_that_ended_or_was_extended_is_not_reminded(world, bkpsdm):
    people(world, bkpsdm)
    agreement = in_force(world, bkpsdm)
    actions.advance(bkpsdm.head_user, agreement, "extend")
    assert reminders.due(world.region_b, D(2027, 1, 5)) == []
    assert reminders.send_region(world.region_b, at(D(2027, 1, 5), 8)) == 0
