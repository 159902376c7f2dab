"""Case changes announced by PostgreSQL, so that a page cached per case needs no query to stay fresh.

A trigger on the case table (`install_trigger`, created by migration 0002) sends
`NOTIFY pendopo_case_changed` with the case's code for every UPDATE or DELETE of a case row,
whatever wrote it: the engine, the sweep, the admin, SQL typed by hand. PostgreSQL delivers a
notification when, and only if, the writing transaction commits.

Each server process keeps, for the cases it has read, the value a cached page depends on
(`remember`, `recall`: for the tracking page, `selectors.tracking_version`), and one thread per
process LISTENs on a connection of its own and forgets a case as soon as a notification names
it. A page read then costs no query while its case is unchanged, and a step taken in any
process reaches every process's pages as soon as PostgreSQL's notification arrives (well under
a millisecond on one host; a read that races the commit itself may show either state, as it
would from the database).

Nothing is served from memory unless the listener vouches for it:

- only while its connection is LISTENing and the trigger is in place (checked on connecting);
  until then, after a lost connection, and on SQLite, every read asks the database;
- a reconnection forgets everything, since notifications may have been missed meanwhile;
- a value read from the database is kept only if no notification arrived during the read
  (`token` before, `remember` after), so a read that raced a commit cannot pin the old value;
- the listener checks its connection every `HEARTBEAT_SECONDS`, and a remembered value is
  asked again after `MAX_AGE_SECONDS` whatever happens, which bounds the harm of anything unforeseen.

Switched off with `PENDOPO_CASE_LISTENER=false` (needed behind a pooler in transaction mode, such
as PgBouncer's, which cannot hold a LISTEN), and in the test suite, whose transactions never
commit (tests that need it switch it on: applications/tests/test_tracking_listener.py).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

CHANNEL = "pendopo_case_changed"
APPLICATION_NAME = "pendopo-case-listener"  # how the listener's connection shows in pg_stat_activity
TRIGGER = "pendopo_case_changed"
HEARTBEAT_SECONDS = 5.0
MAX_AGE_SECONDS = 300.0
MAX_ENTRIES = 50_000
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)

_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('{CHANNEL}', OLD.code);
  ELSE
    PERFORM pg_notify('{CHANNEL}', NEW.code);
  END IF;
  RETURN NULL;
END
$$
"""


def install_trigger(connection: Any) -> None:
    """Create (or replace) the trigger that announces case changes; nothing on other databases."""
    if connection.vendor != "postgresql":
        return
    from pendopo.workflow.models import Case

    table = connection.ops.quote_name(Case._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_FUNCTION_SQL)
        cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
        cursor.execute(f"CREATE TRIGGER {TRIGGER} AFTER UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()")


def remove_trigger(connection: Any) -> None:
    if connection.vendor != "postgresql":
        return
    from pendopo.workflow.models import Case

    table = connection.ops.quote_name(Case._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")


class _Listener:
    """The memory of one process, and the thread that keeps it honest."""

    def __init__(self, params: dict[str, Any]) -> None:
        django_only = ("cursor_factory", "context", "prepare_threshold")
        self.params = {key: value for key, value in params.items() if key not in django_only}
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.values: dict[str, tuple[str, float]] = {}
        self.healthy = False
        self.generation = 0  # moves on every notification and every (re)connection
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="pendopo-case-changes", daemon=True)

    # --- the page's side ---

    def recall(self, code: str) -> str | None:
        if not self.healthy:
            return None
        found = self.values.get(code)
        if found is None or time.monotonic() - found[1] > MAX_AGE_SECONDS:
            return None
        return found[0]

    def remember(self, code: str, value: str, token: int) -> None:
        with self.lock:
            if not self.healthy or token != self.generation:
                return
            if len(self.values) >= MAX_ENTRIES:
                self.values.pop(next(iter(self.values)))  # the oldest: dicts keep insertion order
            self.values[code] = (value, time.monotonic())

    # --- the listener's side ---

    def forget(self, code: str) -> None:
        with self.lock:
            self.generation += 1
            self.values.pop(code, None)

    def _set_health(self, healthy: bool) -> None:
        with self.lock:
            self.generation += 1
            self.values.clear()
            self.healthy = healthy

    def _connect(self) -> Any:
        import psycopg

        connection = psycopg.connect(**self.params, autocommit=True, connect_timeout=10, application_name=APPLICATION_NAME)
        try:
            installed = connection.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgenabled <> 'D' AND NOT tgisinternal", [TRIGGER]
            ).fetchone()
            if installed is None:
                raise RuntimeError(f"the trigger {TRIGGER} is missing: run `pendopo migrate`")
            connection.execute(f"LISTEN {CHANNEL}")
        except Exception:
            connection.close()
            raise
        return connection

    def _run(self) -> None:
        failures = 0
        while not self.stopping.is_set():
            connection = None
            try:
                connection = self._connect()
                self._set_health(True)
                failures = 0
                while not self.stopping.is_set():
                    for notice in connection.notifies(timeout=HEARTBEAT_SECONDS):
                        self.forget(notice.payload)
                    connection.execute("SELECT 1")  # the heartbeat: a dead connection raises here
            except Exception as exc:  # noqa: BLE001 -- any failure means: ask the database until reconnected
                self._set_health(False)
                delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                logger.warning("Case change listener down (%s); pages ask the database. Retrying in %s s.", exc, delay)
                self.stopping.wait(delay)
            finally:
                if connection is not None:
                    connection.close()
        self._set_health(False)

    def stop(self) -> None:
        self.stopping.set()


_listener: _Listener | None = None
_start_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "PENDOPO_CASE_LISTENER", True)) and connections["default"].vendor == "postgresql"


def listener() -> _Listener | None:
    """This process's listener, started on first use (and again in a forked child), or None when off."""
    global _listener  # one per process, by design
    if not enabled():
        return None
    current = _listener
    if current is not None and current.pid == os.getpid():
        return current
    with _start_lock:
        if _listener is None or _listener.pid != os.getpid():
            # The parameters of this thread's connection: the database the process works on.
            _listener = _Listener(connections["default"].get_connection_params())
            _listener.thread.start()
        return _listener


def stop() -> None:
    """Stop this process's listener (tests; a process about to exit needs nothing: the thread is a daemon)."""
    global _listener  # one per process, by design
    with _start_lock:
        if _listener is not None:
            _listener.stop()
            _listener.thread.join(timeout=HEARTBEAT_SECONDS + 5)
            _listener = None


def recall(code: str) -> str | None:
    """The value remembered for case `code`, if the listener vouches that the case has not changed since."""
    current = listener()
    return current.recall(code) if current is not None else None


def token() -> int:
    """Take before reading a value from the database; give it to `remember` after."""
    current = listener()
    return current.generation if current is not None else -1


def remember(code: str, value: str, token: int) -> None:
    """Keep `value` for case `code`, unless a notification arrived since `token` was taken."""
    current = listener()
    if current is not None:
        current.remember(code, value, token)
