"""The applicant is told of every step through the outbox, in the step's transaction, exactly once per event."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.db import transaction

from pendopo.applications import actions, hooks, links
from pendopo.applications.tests.conftest import form_data, valid_form
from pendopo.notifications import delivery, senders
from pendopo.notifications.models import Message
from pendopo.workflow.models import CaseEvent
from pendopo.workflow.sweep import sweep_overdue

pytestmark = pytest.mark.django_db


def keys():
    return sorted(Message.objects.values_list("event_key", flat=True))


def test_receipt_and_each_step_schedule_one_message_per_channel(world, apply):
    application = apply()
    code = application.code
    assert keys() == [f"applications:{code}:1:email", f"applications:{code}:1:whatsapp"]

    actions.take_action(application, "receive", world.officer_a1)

    assert keys() == sorted(f"applications:{code}:{seq}:{channel}" for seq in (1, 2) for channel in ("email", "whatsapp"))
    receipt = Message.objects.get(event_key=f"applications:{code}:1:email")
    assert code in receipt.subject
    assert f"https://layanan.example.id/lacak/{code}/" in receipt.body_text
    assert receipt.region == world.region_a


def test_scheduling_an_event_again_sends_nothing_more(world, apply):
    application = apply()
    event = CaseEvent.objects.get(case=application.case, seq=1)

    hooks.notify_applicant(application, event)
    hooks.notify_applicant(application, event)

    assert Message.objects.count() == 2
    delivery.deliver_due()
    delivery.deliver_due()
    assert len(mail.outbox) == 1
    assert [m["channel"] for m in senders.sent] == ["whatsapp"]
    assert senders.sent[0]["to"] == "081234567890"
    assert senders.sent[0]["idempotency_key"] == f"applications:{application.code}:1:whatsapp"


def test_a_step_that_fails_schedules_nothing(world, apply):
    application = apply()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.take_action(application, "receive", world.officer_a1)
        raise RuntimeError("the officer's browser crashed mid-way")
    assert Message.objects.count() == 2
    assert CaseEvent.objects.filter(case=application.case).count() == 1


def test_email_only_and_sms_are_honoured(world, service):
    only_mail = actions.submit_application(
        world.citizen, service, valid_form(service, data={**form_data(), "applicant-notify": ""}).to_input()
    )
    by_sms = actions.submit_application(
        world.citizen, service, valid_form(service, data={**form_data(), "applicant-notify": "sms"}).to_input()
    )
    assert Message.objects.filter(event_key__startswith=f"applications:{only_mail.code}:").count() == 1
    assert set(
        Message.objects.filter(event_key__startswith=f"applications:{by_sms.code}:").values_list("channel", flat=True)
    ) == {"email", "sms"}


def test_completion_message_links_the_satisfaction_survey(world, apply, monkeypatch):
    monkeypatch.setattr(links, "survey_path", lambda application: f"/survei/permohonan/{application.code}/")
    application = apply()
    for step, actor in (("receive", world.officer_a1), ("verify", world.officer_a1), ("submit_for_approval", world.officer_a1)):
        actions.take_action(application, step, actor)
    actions.take_action(application, "approve", world.head_a1)

    done = Message.objects.get(event_key=f"applications:{application.code}:5:email")
    assert f"https://layanan.example.id/survei/permohonan/{application.code}/" in done.body_text
    whatsapp = Message.objects.get(event_key=f"applications:{application.code}:5:whatsapp")
    assert "/survei/permohonan/" in whatsapp.body_text


def test_the_applicants_language_is_used(world, apply):
    world.citizen.preferred_language = "en"
    world.citizen.save()
    application = apply()
    actions.take_action(application, "receive", world.officer_a1)
    message = Message.objects.get(event_key=f"applications:{application.code}:2:email")
    assert message.language == "en"
    assert "Document verification" in message.body_text


def test_personal_data_is_never_logged(world, apply, caplog):
    caplog.set_level(logging.DEBUG)
    application = apply()
    actions.take_action(application, "receive", world.officer_a1)
    delivery.deliver_due()
    text = caplog.text
    assert "081234567890" not in text and "0812 3456 7890" not in text
    assert "3510015203900001" not in text


def test_the_sweep_tells_the_agency_head_once(world, apply, frozen):
    from pendopo.applications.tests.conftest import wib

    application = apply()  # the first step ("submitted", 1 working day) is due Tuesday 3 February 15:30
    frozen(wib(2026, 2, 4, 10, 0))  # one working day late: the first escalation rule (notify the head)

    sweep_overdue()
    sweep_overdue()

    application.case.refresh_from_db()
    assert application.case.is_overdue
    to_head = Message.objects.filter(to_email=world.head_a1.email)
    assert to_head.count() == 1
    assert f"/permohonan/{application.code}/" in to_head.get().body_text


def test_a_workflow_without_escalation_still_tells_the_head_through_the_application_hook(world, service, frozen):
    from pendopo.applications.tests.conftest import wib
    from pendopo.workflow.actions import create_definition
    from pendopo.workflow.definition import default_service_workflow

    own = default_service_workflow()
    own["escalation"] = []
    create_definition(world.region_a, "service-ktp-el", "Alur KTP-el", own)
    service.workflow_code = "service-ktp-el"
    service.save(update_fields=["workflow_code"])
    application = actions.submit_application(world.citizen, service, valid_form(service).to_input())
    assert application.case.definition.code == "service-ktp-el"
    frozen(wib(2026, 2, 4, 10, 0))

    sweep_overdue()
    sweep_overdue()

    [message] = Message.objects.filter(to_email=world.head_a1.email)
    assert message.event_key == f"applications:{application.code}:2:head:{world.head_a1.pk}"
    assert f"https://layanan.example.id/permohonan/{application.code}/" in message.body_text


def test_the_survey_link_comes_from_the_surveys_app_when_it_offers_one(world, apply):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("surveys:answer_application", args=["banyuwangi", "x"])
    except NoReverseMatch:
        pytest.skip("the surveys app has no survey-by-application page in this tree")
    application = apply()
    for step, actor in (("receive", world.officer_a1), ("verify", world.officer_a1), ("submit_for_approval", world.officer_a1)):
        actions.take_action(application, step, actor)
    actions.take_action(application, "approve", world.head_a1)
    application.case.refresh_from_db()

    path = links.survey_path(application)
    assert path.startswith("/r/banyuwangi/skm/isi/a/")
    done = Message.objects.get(event_key=f"applications:{application.code}:5:email")
    assert f"https://layanan.example.id{path}" in done.body_text
