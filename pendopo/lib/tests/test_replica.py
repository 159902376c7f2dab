"""The replica router (pendopo/lib/replica.py): which database each read goes to, and the pin after a write.

The whole arrangement with a real hot standby is proven by scripts/drills/replica.py (tests/test_drills.py);
these tests pin the rules without a second cluster, on both databases."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory

from pendopo.complaints.models import Complaint
from pendopo.lib import replica
from pendopo.regions.models import Region, User

ROUTER = replica.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch, settings):
    monkeypatch.setattr(replica, "configured", lambda: True)
    settings.DATABASE_REPLICA_PIN_SECONDS = 15


def _where_reads_go(request) -> dict[str, str]:
    seen: dict[str, str] = {}

    @replica.replica_reads
    def view(request):
        seen.update(
            complaint=ROUTER.db_for_read(Complaint),
            region=ROUTER.db_for_read(Region),
            user=ROUTER.db_for_read(User),
            session=ROUTER.db_for_read(Session),
            write=ROUTER.db_for_write(Complaint),
        )
        return HttpResponse("ok")

    view(request)
    return seen


def test_a_heavy_page_reads_the_replica_except_sessions_and_users_and_writes_the_primary(with_replica):
    assert _where_reads_go(RequestFactory().get("/r/x/pengaduan/")) == {
        "complaint": "replica",
        "region": "replica",
        "user": "default",
        "session": "default",
        "write": "default",
    }
    # Outside the heavy page, everything is the primary again.
    assert ROUTER.db_for_read(Complaint) == "default"
    assert ROUTER.allow_migrate("replica", "complaints") is False and ROUTER.allow_migrate("default", "complaints")


def test_a_browser_that_just_wrote_and_a_post_read_the_primary(with_replica):
    pinned = RequestFactory().get("/r/x/pengaduan/")
    pinned.COOKIES[replica.PIN_COOKIE] = "1"
    assert _where_reads_go(pinned)["complaint"] == "default"
    assert _where_reads_go(RequestFactory().post("/r/x/pengaduan/"))["complaint"] == "default"


def test_without_a_replica_nothing_changes():
    assert replica.configured() is False  # the test settings have no DATABASE_REPLICA_URL
    assert _where_reads_go(RequestFactory().get("/r/x/pengaduan/"))["complaint"] == "default"
    response = replica.ReadYourWritesMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().post("/x/"))
    assert replica.PIN_COOKIE not in response.cookies


def test_a_write_pins_the_browser_for_the_set_seconds_and_a_read_does_not(with_replica):
    middleware = replica.ReadYourWritesMiddleware(lambda request: HttpResponse("ok"))
    cookie = middleware(RequestFactory().post("/r/x/pengaduan/ABC/verifikasi/")).cookies[replica.PIN_COOKIE]
    assert cookie["max-age"] == 15 and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert replica.PIN_COOKIE not in middleware(RequestFactory().get("/r/x/pengaduan/")).cookies


def test_a_template_response_is_rendered_while_reading_the_replica(with_replica):
    seen = []

    class Probe:
        def __str__(self) -> str:
            seen.append(ROUTER.db_for_read(Complaint))
            return "probe"

    @replica.replica_reads
    def view(request):
        return TemplateResponse(request, engines["django"].from_string("{{ probe }}"), {"probe": Probe()})

    response = view(RequestFactory().get("/"))
    assert response.is_rendered and response.content == b"probe"
    assert seen == ["replica"]  # the template's reads ran inside the heavy page
    assert ROUTER.db_for_read(Complaint) == "default"
