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
