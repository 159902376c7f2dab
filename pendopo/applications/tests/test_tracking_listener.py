"""Case changes announced by PostgreSQL (pendopo.workflow.changes), and the tracking page that relies on them.

These tests commit (transaction=True): PostgreSQL delivers a notification only when the writing
transaction commits. Changes are written from other threads, hence other connections, as
another server process would write them.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pendopo.applications import actions, caching
from pendopo.workflow import changes
from pendopo.workflow.models import Case

pytestmark = pytest.mark.django_db(transaction=True)
ON_POSTGRES = connection.vendor == "postgresql"


def eventually(check, seconds=10.0):
    """Wait for `check()` to be true: notifications cross threads and sockets."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def elsewhere(write):
    """Run `write` in another thread, on its own database connection, and commit it."""
    errors = []

    def run():
        try:
            write()
        except Exception as exc:  # noqa: BLE001 -- reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not errors, errors


@pytest.fixture
def listening(settings):
    settings.PENDOPO_CASE_LISTENER = True
    changes.install_trigger(connection)
    yield changes
    changes.stop()
    changes.remove_trigger(connection)


@pytest.fixture
def ready(listening):
    current = changes.listener()
    assert eventually(lambda: current.healthy), "the listener did not connect"
    return current


def test_on_sqlite_or_when_switched_off_every_read_asks_the_database(settings):
    if ON_POSTGRES:
        settings.PENDOPO_CASE_LISTENER = False
    assert changes.listener() is None
    changes.remember("BWI-AAAA-AAAA", "1|x", changes.token())
    assert changes.recall("BWI-AAAA-AAAA") is None


@pytest.mark.skipif(not ON_POSTGRES, reason="LISTEN/NOTIFY is PostgreSQL's; on SQLite every read asks the database")
class TestOnPostgres:
    def test_a_change_committed_by_another_connection_is_forgotten(self, ready, apply):
        application = apply()
        code = application.code
        changes.remember(code, "remembered", changes.token())
        assert changes.recall(code) == "remembered"

        elsewhere(lambda: Case.objects.filter(code=code).update(is_overdue=True))

        assert eventually(lambda: changes.recall(code) is None)

    def test_a_rolled_back_change_announces_nothing(self, ready, apply):
        from django.db import transaction

        application, other = apply(), apply()
        code = application.code
        changes.remember(code, "remembered", changes.token())
        changes.remember(other.code, "remembered", changes.token())

        def write_then_roll_back():
            with transaction.atomic():
                Case.objects.filter(code=code).update(is_overdue=True)
                transaction.set_rollback(True)

        elsewhere(write_then_roll_back)
        # Notifications arrive in commit order: once the later, committed change of the other
        # case is in, the rolled-back one would have been too.
        elsewhere(lambda: Case.objects.filter(code=other.code).update(is_overdue=True))
        assert eventually(lambda: changes.recall(other.code) is None)
        assert changes.recall(code) == "remembered"

    def test_a_value_read_while_a_notification_arrived_is_not_kept(self, ready, apply):
        application, other = apply(), apply()
        token = changes.token()
        before = ready.generation
        elsewhere(lambda: Case.objects.filter(code=other.code).update(is_overdue=True))
        assert eventually(lambda: ready.generation > before)

        changes.remember(application.code, "read before the notification", token)

        assert changes.recall(application.code) is None

    def test_without_the_trigger_the_listener_stays_down_and_pages_ask_the_database(self, settings, apply, caplog):
        settings.PENDOPO_CASE_LISTENER = True
        changes.remove_trigger(connection)
        try:
            current = changes.listener()
            assert eventually(lambda: "trigger pendopo_case_changed is missing" in caplog.text)
            application = apply()
            changes.remember(application.code, "remembered", changes.token())
            assert not current.healthy
            assert changes.recall(application.code) is None
        finally:
            changes.stop()

    def test_a_lost_connection_forgets_everything_and_reconnects(self, ready, apply):
        application = apply()
        changes.remember(application.code, "remembered", changes.token())
        generation = ready.generation

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s AND datname = current_database()",
                [changes.APPLICATION_NAME],
            )
            assert cursor.fetchall() == [(True,)]

        assert eventually(lambda: ready.generation > generation)
        assert changes.recall(application.code) is None
        assert eventually(lambda: ready.healthy), "the listener did not reconnect"

    def test_the_tracking_page_asks_nothing_while_unchanged_and_shows_a_step_taken_elsewhere(self, ready, world, apply):
        application = apply()
        client = Client()
        path = f"/lacak/{application.code}/"
        first = client.get(path, headers={"accept-language": "en"})
        assert first.status_code == 200
        with CaptureQueriesContext(connection) as captured:
            again = client.get(path, headers={"accept-language": "en"})
        assert len(captured) == 0, [q["sql"] for q in captured]
        assert again.content == first.content and "Receive for verification" not in again.content.decode()

        elsewhere(lambda: actions.take_action(application, "receive", world.officer_a1))

        assert eventually(lambda: changes.recall(application.code) is None)
        after = client.get(path, headers={"accept-language": "en"}).content.decode()
        assert "Receive for verification" in after
        assert caching.current_version(application.code) == changes.recall(application.code)
