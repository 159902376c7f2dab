"""The heads' weekly digest: once a week per head, through the outbox, with the dashboard's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pendopo.applications.tests.conftest import wib
from pendopo.notifications.models import Message
from pendopo.performance import actions, digest
from pendopo.performance.tasks import send_weekly_digests
from pendopo.worker.periodic import registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def heads(world):
    world.head_a1.email, world.head_a1.full_name = "kepala@dukcapil.example", "Bambang"
    world.head_a1.preferred_language = "en"
    world.head_a1.save()
    return world


def test_one_digest_a_week_per_head_with_the_indicators_at_risk(heads, plan, frozen, settings):
    settings.PENDOPO_BASE_URL = "https://pendopo.example"
    frozen(wib(2026, 8, 10, 10, 0))  # a Monday in quarter 3
    actions.enter_realisation(heads.officer_a1, plan.docs, 2026, 3, value=Decimal(40))
    assert digest.send_weekly_digests() == 1
    assert digest.send_weekly_digests() == 0  # the next hourly run of the same week sends nothing more
    message = Message.objects.get()
    assert message.to_email == "kepala@dukcapil.example" and message.region_id == heads.region_a.pk
    assert "2026-W33" in message.subject and "Dispendukcapil" in message.subject
    body = message.body_text
    assert "Dear Bambang" in body and "A1-1 Indikator A1-1: 50.00 %" in body
    assert "A1-2 Indikator A1-2: no realisation entered" in body  # nothing entered counts as at risk
    assert "https://pendopo.example/r/banyuwangi/sakip/kepala/" in body
    assert "kepala@" not in body
    frozen(wib(2026, 8, 11, 10, 0))  # Tuesday of the same week: not the digest's day
    assert digest.send_weekly_digests() == 0
    frozen(wib(2026, 8, 17, 6, 0))  # next Monday, before the hour
    assert digest.send_weekly_digests() == 0
    frozen(wib(2026, 8, 17, 7, 30))
    assert digest.send_weekly_digests() == 1 and Message.objects.count() == 2


def test_in_the_heads_language_and_only_to_heads_with_an_address(heads, plan, frozen, settings):
    frozen(wib(2026, 8, 10, 10, 0))
    heads.head_a1.preferred_language = "id"
    heads.head_a1.save()
    heads.officer_a1.email = "petugas@dukcapil.example"  # an officer gets no digest
    heads.officer_a1.save()
    assert digest.send_weekly_digests() == 1
    message = Message.objects.get()
    assert "Yth. Bambang" in message.body_text and "Ringkasan kinerja mingguan" in message.subject
    settings.PENDOPO_SAKIP_DIGEST_WEEKDAY = -1  # switched off
    frozen(wib(2026, 8, 17, 10, 0))
    assert digest.send_weekly_digests() == 0


def test_the_job_runs_every_hour(heads, plan, frozen):
    assert registered()["performance.weekly_digest"].every.total_seconds() == 3600
    frozen(wib(2026, 8, 10, 10, 0))
    assert send_weekly_digests.call() == 1
