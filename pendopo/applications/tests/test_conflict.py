"""Two officers act on one application at the same moment, each on their own database connection.

Exactly one step is written; the other officer gets the engine's conflict message. The first
transaction is held open (a slow hook) so that the second really meets its lock: on PostgreSQL
the second waits on the case's row lock, then finds the version it loaded gone; on SQLite the
IMMEDIATE transaction serialises the writers and the second finds the database locked.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections

from pendopo.applications import actions, hooks
from pendopo.applications.models import Application
from pendopo.notifications.models import Message
from pendopo.workflow.errors import Conflict
from pendopo.workflow.models import CaseEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_at_once_one_wins_the_other_gets_a_conflict(world, apply, monkeypatch):
    application = apply()
    version = application.case.lock_version
    slow = hooks.notify_applicant

    def notify_slowly(*args, **kwargs):
        time.sleep(0.4)  # inside the step's transaction, holding the case's row lock
        return slow(*args, **kwargs)

    monkeypatch.setattr(hooks, "notify_applicant", notify_slowly)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name, actor, action, note=""):
        try:
            mine = Application.objects.select_related("case").get(pk=application.pk)  # each thread loads it itself
            barrier.wait(timeout=5)
            actions.take_action(mine, action, actor, note=note, expected_version=version)
            outcomes[name] = "ok"
        except Conflict as exc:
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("officer", world.officer_a1, "receive")),
        threading.Thread(target=act, args=("head", world.head_a1, "reject", "Berkas palsu")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(type(o).__name__ if o != "ok" else "ok" for o in outcomes.values()) == ["Conflict", "ok"]
    loser = next(o for o in outcomes.values() if o != "ok")
    assert loser.code == "conflict" and loser.http_status == 409
    events = list(CaseEvent.objects.filter(case_id=application.case_id).order_by("seq").values_list("seq", "action"))
    assert len(events) == 2 and events[1][1] in ("receive", "reject")
    application.case.refresh_from_db()
    assert application.case.lock_version == version + 1
    # Only the winner's step was announced.
    assert Message.objects.filter(event_key__startswith=f"applications:{application.code}:2:").count() == 2
    assert not Message.objects.filter(event_key__startswith=f"applications:{application.code}:3:").exists()


def test_twelve_officers_take_it_at_once_one_wins_the_others_are_told_who_holds_it(world, apply, client):
    """ "I take it" takes the case's version like every action (issue #18), on real concurrent connections."""
    from pendopo.regions.models import Role
    from pendopo.regions.tests.factories import UserFactory, member
    from pendopo.workflow.errors import AlreadyTaken

    application = apply()
    version = application.case.lock_version
    officers = []
    for number in range(12):
        officer = UserFactory(username=f"petugas_ambil_{number}", full_name=f"Petugas {number}")
        member(officer, world.region_a, Role.OFFICER, agency=world.agency_a1)
        officers.append(officer)
    barrier = threading.Barrier(len(officers))
    outcomes: dict[int, object] = {}

    def take(officer):
        try:
            mine = Application.objects.select_related("case").get(pk=application.pk)
            barrier.wait(timeout=60)
            actions.assign(mine, officer, officer, expected_version=version)
            outcomes[officer.pk] = "ok"
        except Exception as exc:  # noqa: BLE001 -- every outcome is checked below
            outcomes[officer.pk] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [pk for pk, outcome in outcomes.items() if outcome == "ok"]
    assert len(outcomes) == 12 and len(winners) == 1, outcomes
    holder = next(officer for officer in officers if officer.pk == winners[0])
    for pk, outcome in outcomes.items():
        if pk != holder.pk:
            assert isinstance(outcome, AlreadyTaken) and outcome.http_status == 409, (outcome, outcome.__cause__)
            assert str(holder) in str(outcome)
    application.case.refresh_from_db()
    assert application.case.assigned_to_id == holder.pk and application.case.lock_version == version + 1
    assert CaseEvent.objects.filter(case_id=application.case_id, action="assign").count() == 1

    # On the page: an officer who loaded it before is told who took it, in Indonesian.
    late = next(officer for officer in officers if officer.pk != holder.pk)
    client.force_login(late)
    response = client.post(f"/permohonan/{application.code}/tugaskan/", {"version": version}, headers={"HX-Request": "true"})
    assert f"{holder} baru saja mengambil" in response.content.decode()
