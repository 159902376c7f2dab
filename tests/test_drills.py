"""The quick fault drills of scripts/drills/ (issue #18, item 4), run by CI on every `make test`.

Each drill starts real processes (`pendopo worker`, gunicorn, a throwaway PostgreSQL cluster) and
prints what it did and found; the tests assert those findings. They use no test database: the
worker drill makes its own (a SQLite file, or a new database on the PostgreSQL server of
DATABASE_URL), the restart drill its own cluster on a free port.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

DRILLS = Path(__file__).resolve().parents[1] / "scripts" / "drills"


def drill(name: str) -> ModuleType:
    sys.path.insert(0, str(DRILLS))
    try:
        spec = importlib.util.spec_from_file_location(f"drill_{name}", DRILLS / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(DRILLS))


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice_under_one_key(capsys):
    kill_worker = drill("kill_worker")
    findings = kill_worker.run(12, server_url=os.environ.get("DATABASE_URL", ""))

    assert findings["kills"] == 2  # once on an SMS, once on a WhatsApp message, after the provider accepted it
    assert (findings["scheduled"], findings["delivered"], findings["marked_sent"], findings["lost"]) == (12, 12, 12, 0)
    # The SMS interrupted by the kill was sent again with its key: a gateway that honours it sends once.
    assert findings["sms_resent_same_key"] >= 1
    assert (findings["duplicates_by_key"], findings["unknown_keys"]) == (0, 0)
    # WhatsApp has no key: at most once more per interrupted message.
    assert findings["whatsapp_most_copies"] <= 2
    # The delivery tasks the killed workers left RUNNING were re-queued and ran.
    assert findings["tasks_abandoned"] >= 2
    assert findings["tasks_requeued_and_finished"] == findings["tasks_abandoned"]
    assert findings["tasks_still_running"] == 0
    assert kill_worker.problems(findings) == []
    out = capsys.readouterr().out
    assert "drill: lost: 0" in out
    assert "duplicates by idempotency key: 0" in out


def test_a_postgresql_restart_under_load_fails_only_the_requests_in_flight(capsys):
    pg_restart = drill("pg_restart")
    findings = pg_restart.run(seconds_before=2, seconds_after=3)

    assert findings["before_ok"] > 0 and findings["before_failed"] == 0
    assert findings["after_ok"] > 0 and findings["after_failed"] == 0
    assert findings["same_server"] is True
    assert findings["failed"] == findings["in_flight_failed"]
    assert pg_restart.problems(findings) == []
    out = capsys.readouterr().out
    assert "after the database was back:" in out and ", 0 failed" in out
    assert "recovered by itself (same process, not restarted): yes" in out


def test_a_streaming_replica_serves_the_heavy_reads_and_the_writer_reads_its_own_writes(capsys):
    replica = drill("replica")
    findings = replica.run(pin_seconds=3)

    assert findings["standby_in_recovery"] is True  # a real hot standby made with pg_basebackup
    assert findings["hidden_before"] and findings["verified"] and findings["pinned"]
    # Replay paused: what the standby serves lags; what the primary serves does not.
    assert findings["writer_reads_own_write"] is True  # the administrator's next page: the primary
    assert findings["visitor_list_from_standby"] is True  # a visitor's public list: the standby
    assert findings["visitor_detail_from_primary"] is True  # a page that is not a heavy read: the primary
    assert findings["writer_after_pin_from_standby"] is True  # the pin lasts a few seconds, not for ever
    assert findings["visitor_after_replay"] is True
    assert findings["server_errors"] == 0
    assert replica.problems(findings) == []
    assert "replay resumed and caught up" in capsys.readouterr().out
