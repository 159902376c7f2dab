#!/usr/bin/env python3
"""Drill: a streaming replica serves the heavy reads; writes and the writer's next pages use the primary.

What it does:
1. makes a throwaway PostgreSQL primary (`initdb`, a free port of 127.0.0.1) and a hot standby of
   it (`pg_basebackup -R` into a second folder, started on another free port) — never the shared
   cluster;
2. creates Pendopo's schema on the primary (the standby replays it) and a region with an
   administrator, a complaint category and one complaint waiting for verification;
3. starts gunicorn (2 workers × 4 threads) with `DATABASE_URL` on the primary and
   `DATABASE_REPLICA_URL` on the standby, the read-your-writes pin set to a few seconds;
4. pauses the standby's replay (`pg_wal_replay_pause()`: the standby is now behind by whatever the
   primary writes next), and the administrator verifies the complaint through the web pages;
5. reads the public complaint list (a heavy read, `@replica_reads`) as the administrator and as a
   visitor, and the complaint's own page (not a heavy read) as the visitor; waits for the pin to
   expire and reads the list as the administrator again; resumes the replay and reads it as the
   visitor once more.

What it finds (and checks): the standby is in recovery; the administrator's next page after the
write shows the verified complaint (read on the primary: read your own writes); the visitor's list
does not while the standby is paused (it was read on the standby) but the complaint's own page
does (read on the primary); once the pin has expired the administrator's list is read on the
standby too; after the replay resumes the visitor's list shows it; no server error in the log.
Exit status 0 when every check holds, 1 otherwise.

    .venv/bin/python scripts/drills/replica.py [--pin-seconds 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PG_BIN, Cluster, drill_env, fail, free_port, gunicorn, pendopo, query, say, stop

SEED = """
from pendopo.complaints import actions
from pendopo.complaints.models import ComplaintCategory, Privacy
from pendopo.regions.models import Role
from pendopo.regions.tests.factories import AgencyFactory, UserFactory, banyuwangi, member

region = banyuwangi()
agency = AgencyFactory(region=region, code="DPUPR", name="Dinas Pekerjaan Umum dan Penataan Ruang")
admin = UserFactory(username="admin.replika")
member(admin, region, Role.REGION_ADMIN)
category = ComplaintCategory.objects.create(region=region, code="JALAN", name="Jalan rusak", agency=agency)
filing = actions.Filing(category=category, description="Jalan berlubang di depan pasar.", privacy=Privacy.ANONYMOUS)
filed = actions.file_complaint(region, filing)
print(region.slug, filed.complaint.code)
"""
PASSWORD = "password"  # noqa: S105 -- the test factory's password of a throwaway account


def caught_up(primary: str, replica: str, timeout: float = 60) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    (target,) = query(primary, "SELECT pg_current_wal_lsn()::text")[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (done,) = query(replica, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]
        if done:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the standby did not replay up to {target} within {timeout} s")


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def run(*, pin_seconds: int = 3) -> dict[str, Any]:
    """Run the drill; returns the findings (also printed)."""
    findings: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="pendopo-drill-replica-") as tmp:
        workdir = Path(tmp)
        primary = Cluster(workdir / "primary", free_port())
        standby = Cluster(workdir / "standby", free_port())
        server = None
        try:
            primary.init()
            primary.pg_ctl("start")
            primary.run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "pendopo_drill")
            standby.replicate(primary)
            standby.pg_ctl("start")
            findings["standby_in_recovery"] = query(standby.url, "SELECT pg_is_in_recovery()")[0][0] is True
            say(
                f"primary on 127.0.0.1:{primary.port}, hot standby made with pg_basebackup -R on 127.0.0.1:{standby.port}"
                f" (in recovery: {'yes' if findings['standby_in_recovery'] else 'NO'})"
            )
            env = drill_env(
                workdir,
                primary.url,
                DATABASE_REPLICA_URL=standby.url,
                DATABASE_REPLICA_PIN_SECONDS=str(pin_seconds),
                SESSION_COOKIE_SECURE="false",
                CSRF_COOKIE_SECURE="false",
            )
            pendopo(env, "migrate", "--run-syncdb", "-v", "0")
            slug, code = pendopo(env, "shell", "-v", "0", "-c", SEED).stdout.split()
            caught_up(primary.url, standby.url)
            say(f"schema and a region made on the primary, replayed by the standby; complaint {code} waits for verification")

            port = free_port()
            server = gunicorn(env, workdir, port)
            base = f"http://127.0.0.1:{port}"
            public_list = f"{base}/r/{slug}/pengaduan/"
            detail = f"{base}/r/{slug}/pengaduan/{code}/"
            visitor, admin = requests.Session(), requests.Session()
            findings["hidden_before"] = code not in visitor.get(public_list, timeout=30).text

            query(standby.url, "SELECT pg_wal_replay_pause()")
            say("standby replay paused: from now on it lags behind every write")
            login = admin.get(f"{base}/masuk/", timeout=30)
            admin.post(
                f"{base}/masuk/",
                data={"username": "admin.replika", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(login.text)},
                timeout=30,
            )
            page = admin.get(detail, timeout=30)
            verified = admin.post(
                f"{detail}verifikasi/", data={"csrfmiddlewaretoken": csrf_token(page.text)}, timeout=30, allow_redirects=False
            )
            findings["verified"] = verified.status_code == 302
            findings["pinned"] = bool(admin.cookies.get("pendopo_primary"))
            say(
                f"the administrator logged in and verified {code} (HTTP {verified.status_code});"
                f" pin cookie set: {findings['pinned']}"
            )

            findings["writer_reads_own_write"] = code in admin.get(public_list, timeout=30).text
            findings["visitor_list_from_standby"] = code not in visitor.get(public_list, timeout=30).text
            findings["visitor_detail_from_primary"] = code in visitor.get(detail, timeout=30).text
            say(f"the administrator's next list shows {code} (primary): {findings['writer_reads_own_write']}")
            say(f"a visitor's list does not show it yet (standby, paused): {findings['visitor_list_from_standby']}")
            say(f"the visitor's view of the complaint's own page shows it (primary): {findings['visitor_detail_from_primary']}")

            time.sleep(pin_seconds + 1)  # the browser drops the expired cookie, as a browser does
            findings["writer_after_pin_from_standby"] = code not in admin.get(public_list, timeout=30).text
            say(
                f"after {pin_seconds} s the pin expired: the administrator's list is read on the standby:"
                f" {findings['writer_after_pin_from_standby']}"
            )

            query(standby.url, "SELECT pg_wal_replay_resume()")
            caught_up(primary.url, standby.url)
            findings["visitor_after_replay"] = code in visitor.get(public_list, timeout=30).text
            say(f"replay resumed and caught up: the visitor's list shows {code}: {findings['visitor_after_replay']}")
        finally:
            stop(server)
            standby.stop()
            primary.stop()
        log = (workdir / "web.log").read_text(encoding="utf-8", errors="replace") if (workdir / "web.log").exists() else ""
        findings["server_errors"] = log.count("Traceback")
        say(f"server errors in the web log: {findings['server_errors']}")
    say("stopped gunicorn, the standby and the primary; the temporary folder is removed")
    return findings


def problems(findings: dict[str, Any]) -> list[str]:
    expected = {
        "standby_in_recovery": "the standby is not in recovery",
        "hidden_before": "the waiting complaint was public before verification",
        "verified": "the administrator could not verify the complaint",
        "pinned": "the write did not pin the administrator to the primary",
        "writer_reads_own_write": "the administrator did not see their own write on the next page",
        "visitor_list_from_standby": "the visitor's public list was not read on the standby",
        "visitor_detail_from_primary": "the complaint's own page was not read on the primary",
        "writer_after_pin_from_standby": "the administrator's list still read the primary after the pin expired",
        "visitor_after_replay": "the visitor's list did not show the complaint after the standby caught up",
    }
    found = [text for key, text in expected.items() if not findings.get(key)]
    if findings.get("server_errors"):
        found.append(f"{findings['server_errors']} server error(s) in the web log")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pin-seconds", type=int, default=3, help="read-your-writes pin (default: %(default)s)")
    options = parser.parse_args(argv)
    found = problems(run(pin_seconds=options.pin_seconds))
    for problem in found:
        fail(problem)
    if not found:
        say("OK — heavy reads on the standby, writes and the writer's next pages on the primary")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
