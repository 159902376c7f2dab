"""Two officers act on one case at the same moment, each on their own database connection.

On PostgreSQL the second blocks on SELECT ... FOR UPDATE until the first commits, then sees the
version it loaded is gone. On SQLite the IMMEDIATE transaction serialises the writers (or the
second finds the database locked); either way exactly one succeeds and the other gets a conflict.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from pendopo.workflow.engine import apply_action
from pendopo.workflow.errors import WorkflowError
from pendopo.workflow.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_transitions():
    """Hold the row lock a little inside the winner's transaction, so the two really overlap."""
    from pendopo.workflow import engine

    original = engine.append_event

    def slow(case, *args, **kwargs):
        event = original(case, *args, **kwargs)
        if event.seq > 2:
            time.sleep(0.3)
        return event

    engine.append_event = slow
    yield
    engine.append_event = original


def race(*attempts):
    """Run each (user, action, note, how) in its own thread and connection, released together."""
    barrier = threading.Barrier(len(attempts))
    results: dict[str, str] = {}

    def run(name, user, action, note, how):
        try:
            loaded = Case.objects.get(pk=race.case_id)
            barrier.wait(timeout=10)
            if how == "instance":
                apply_action(loaded, action, user, note=note)
            elif how == "expected_version":
                apply_action(loaded.pk, action, user, note=note, expected_version=loaded.lock_version)
            else:
                apply_action(loaded.pk, action, user, note=note)
            results[name] = "ok"
        except WorkflowError as exc:
            results[name] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(str(n), *attempt)) for n, attempt in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("how", ["instance", "expected_version"])
def test_exactly_one_of_two_officers_wins(world, open_application, slow_transitions, how):
    case = open_application()
    case = apply_action(case, "receive", world.officer_a1).case
    race.case_id = case.pk
    results = race(
        (world.officer_a1, "verify", "", how),
        (world.head_a1, "return_for_revision", "Berkas kurang.", how),
    )
    assert sorted(results.values()) == ["conflict", "ok"], results
    fresh = Case.objects.get(pk=case.pk)
    winner = "verify" if results["0"] == "ok" else "return_for_revision"
    assert fresh.state == {"verify": "processing", "return_for_revision": "revision"}[winner]
    assert fresh.lock_version == 3
    assert list(fresh.events.values_list("action", flat=True)) == ["start", "receive", winner]


def test_the_same_action_twice_happens_once(world, open_application, slow_transitions):
    """Without a version to compare, the lock still serialises: the second finds the step moved on."""
    case = open_application()
    case = apply_action(case, "receive", world.officer_a1).case
    race.case_id = case.pk
    results = race((world.officer_a1, "verify", "", "id"), (world.head_a1, "verify", "", "id"))
    outcome = sorted(results.values())
    # PostgreSQL: the second waits for the lock, then the step is no longer "verification".
    # SQLite's in-memory test database reports the lock at once: a conflict.
    assert outcome in (["ok", "wrong_state"], ["conflict", "ok"]), results
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == "processing" and fresh.events.count() == 3
