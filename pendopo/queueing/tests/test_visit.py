"""The visit as one thread: a called ticket opens the walk-in form, the application records its ticket, one survey."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pendopo.applications.models import Application
from pendopo.catalog.tests.factories import make_service
from pendopo.queueing import actions
from pendopo.queueing.models import EventKind, TicketState
from pendopo.surveys.models import SurveyResponse

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def birth(world, mall, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PENDOPO_WHATSAPP_BACKEND = "pendopo.notifications.senders.LocmemSender"
    service = make_service(
        world.head_a1, world.agency_a1, code="AKTA-LAHIR", name="Penerbitan Akta Kelahiran", effective_from=dt.date(2026, 1, 6)
    )
    mall.pool_a.services.add(service)
    return service


def _register(client, url, counter):
    data = {
        "applicant-name": "Siti Rahayu",
        "applicant-email": "siti@example.id",
        "applicant-notify": "whatsapp",
        "applicant-place": str(counter.pk),
        "nik": "3510015203900001",
        "phone": "0812 3456 7890",
        "reason": "new",
        "doc-1": SimpleUploadedFile("kk.pdf", PDF, content_type="application/pdf"),
    }
    return client.post(url, data)


def test_a_called_ticket_opens_the_walk_in_form_and_the_application_keeps_it(client, world, mall, birth, monday):
    ticket = actions.issue_ticket(mall.pool_a, service=birth)
    monday.shift(dt.timedelta(minutes=7))
    actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    client.force_login(world.counter_officer_a)
    page = client.get(reverse("queueing:counter", args=["banyuwangi", mall.counter_a.code])).content.decode()
    url = reverse("applications:walk_in", args=["banyuwangi", birth.code]) + f"?tiket={ticket.code}"
    assert f'href="{url}"' in page
    form = client.get(url)
    assert form.status_code == 200 and "Penerbitan Akta Kelahiran" in form.content.decode()
    response = _register(client, url, mall.counter_a)
    assert response.status_code == 302
    application = Application.objects.get()
    ticket.refresh_from_db()
    assert ticket.case_id == application.case_id and list(application.case.queue_tickets.all()) == [ticket]
    assert ticket.state == TicketState.SERVING  # registering the application starts the service
    assert ticket.events.filter(kind=EventKind.APPLICATION, note=application.code).exists()
    page = client.get(reverse("queueing:counter", args=["banyuwangi", mall.counter_a.code])).content.decode()
    assert application.code in page and "data-walk-in" not in page  # linked once
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "data-queue-wait>A-001 · menunggu 7\xa0menit" in detail  # the application's page says how long the visitor waited
    # Finished: the ticket's page offers the application's survey (one answer per application) and says the wait.
    actions.finish_service(ticket, mall.counter_a, world.counter_officer_a)
    shown = client.get(reverse("queueing:ticket", args=["banyuwangi", ticket.code])).content.decode()
    assert "/skm/isi/a/" in shown  # the application's own survey link
    assert 'data-waited="7"' in shown
    from pendopo.surveys.links import application_survey_url

    assert application_survey_url(world.region_a, application.code, birth, mall.mall_a) in shown


def test_a_ticket_is_linked_only_when_it_fits(client, world, mall, birth, monday):
    other = actions.issue_ticket(mall.pool_a, service=mall.kk)  # another service
    waiting = actions.issue_ticket(mall.pool_a, service=birth)  # not called
    actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    client.force_login(world.counter_officer_a)
    base = reverse("applications:walk_in", args=["banyuwangi", birth.code])
    for code in (other.code, waiting.code, "BWI-0000-0000"):
        assert _register(client, f"{base}?tiket={code}", mall.counter_a).status_code == 302
    assert Application.objects.count() == 3
    other.refresh_from_db()
    waiting.refresh_from_db()
    assert other.case_id is None and waiting.case_id is None
    assert (other.state, waiting.state) == (TicketState.CALLED, TicketState.WAITING)
    # Without an application the ticket's own code keys the survey: still one answer for the visit.
    actions.start_service(other, mall.counter_a, world.counter_officer_a)
    actions.finish_service(other, mall.counter_a, world.counter_officer_a)
    client.logout()
    shown = client.get(reverse("queueing:ticket", args=["banyuwangi", other.code])).content.decode()
    link = re.search(r'href="(/r/banyuwangi/skm/isi/a/[^"]+)"', shown).group(1)
    answers = {f"u{n}": "4" for n in range(1, 10)} | {
        "sex": "female",
        "age": "30-39",
        "education": "sma",
        "occupation": "self_employed",
    }
    assert client.post(link, answers).status_code == 302
    assert client.post(link, answers).status_code == 200  # already answered: one answer for the visit
    assert SurveyResponse.objects.filter(service=mall.kk).count() == 1
