"""Applying online and at a counter: the case, the application, its documents, its personal data at rest."""

from __future__ import annotations

import pytest

from pendopo.applications import actions
from pendopo.applications.models import Application, Channel, Document
from pendopo.applications.tests.conftest import MONDAY, NIK, valid_form, wib
from pendopo.lib import codes
from pendopo.workflow.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_online_application_opens_a_case_with_code_deadline_and_documents(world, apply):
    application = apply()

    case = application.case
    assert codes.is_valid(case.code) and case.code.startswith("BWI-")
    assert case.owner == world.citizen
    assert case.agency == world.agency_a1
    assert case.state == "submitted"
    assert case.received_at == MONDAY
    # 3 working days from Monday 09:00: Thursday 5 February at closing time (15:30 in Banyuwangi).
    assert case.due_at == wib(2026, 2, 5, 15, 30)
    assert application.channel == Channel.ONLINE
    assert application.standard.version == 1
    assert application.form_data == {"reason": "new", "children": 2}
    [document] = application.documents.all()
    assert (document.slot, document.kind, document.content_type, document.extension) == (
        "req-1",
        "requirement",
        "application/pdf",
        "pdf",
    )
    assert document.file.name.startswith("applications/BWI/2026/02/") and document.file.name.endswith(".pdf")
    assert "kk" not in document.file.name
    assert list(CaseEvent.objects.filter(case=case).values_list("seq", "action")) == [(1, "start")]


def test_nik_and_phone_are_stored_encrypted_with_a_keyed_hash(apply):
    application = apply()

    row = Application.objects.filter(pk=application.pk).values().get()
    dump = repr(row)
    assert NIK not in dump and "081234567890" not in dump
    assert row["nik_hash"] and row["phone_hash"]
    stored = Application.objects.get(pk=application.pk)
    assert stored.nik == NIK
    assert stored.phone == "081234567890"
    assert stored.nik_masked == "3510********0001"


def test_walk_in_at_a_counter_has_no_owner_and_records_the_officer_and_place(world, service):
    form = valid_form(
        service,
        places=actions.walk_in_places(world.counter_officer_a, service),
        data={**valid_form(service).data, "applicant-place": str(world.counter_a.pk)},
    )

    application = actions.register_walk_in(world.counter_officer_a, service, form.to_input())

    assert application.case.owner is None
    assert application.case.service_point == world.counter_a
    assert application.channel == Channel.COUNTER
    assert application.registered_by == world.counter_officer_a
    assert Document.objects.filter(application=application).count() == 1
