#!/usr/bin/env python3
"""Drill: `kill -9` the worker in the middle of deliveries; nothing is lost, nothing keyed is sent twice.

What it does:
1. makes a throwaway database (a SQLite file in a temporary folder; with DATABASE_URL=postgres://…
   a new database on that server, dropped at the end) and schedules N messages, half SMS and half
   WhatsApp, to a local HTTP server that speaks the protocols of the SMS gateway sender
   (`HttpSmsSender`: JSON with the idempotency key as `ref`) and of the WhatsApp Cloud API
   (`WhatsAppCloudSender`, which has no idempotency key);
2. starts a real `pendopo worker`; when the provider has ACCEPTED an SMS (the worst moment: sent,
   not yet marked sent), the drill `kill -9`s the worker before the provider answers; a second
   worker is killed in the same way on a WhatsApp message;
3. starts a third worker and waits until every message is sent.

What it finds (and checks): messages scheduled, delivered (lost must be 0); for SMS, requests
repeated with the same key and SMS delivered twice by a gateway that honours the key (must be
0), requests whose key belongs to no message (must be 0); for WhatsApp, messages delivered more
than once (at most once more per kill, as documented); the tasks the killed workers left RUNNING
and whether they were re-queued; how long after each kill the interrupted message was sent.
Exit status 0 when every check holds, 1 otherwise.

    .venv/bin/python scripts/drills/kill_worker.py [--messages 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python scripts/drills/kill_worker.py
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import drill_env, fail, free_port, pendopo, query, say, start, throwaway_database

LEASE_SECONDS = 2  # PENDOPO_NOTIFICATIONS_LEASE_SECONDS of the drill (60 in production)
TASK_LEASE_SECONDS = 3  # PENDOPO_WORKER_TASK_LEASE_SECONDS of the drill (600 in production)

SCHEDULE = """
from django.db import transaction
from pendopo.notifications.outbox import schedule

with transaction.atomic():
    for i in range({n}):
        channel = "sms" if i % 2 == 0 else "whatsapp"
        schedule(event_key=f"drill:{{i}}:{{channel}}", channel=channel, to=f"0812{{i:08d}}", body_text=f"Drill message {{i}}")
"""


class Provider(ThreadingHTTPServer):
    """The SMS gateway and WhatsApp API of the drill; records every request, answers like the real ones."""

    daemon_threads = True

    def __init__(self, port: int, kill_plan: list[tuple[str, int]]) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, str]] = []  # (channel, idempotency key or "", text)
        self.kill_plan = list(kill_plan)  # (channel, after this many requests)
        self.kill_now = threading.Event()
        self.killed = threading.Event()
        self.interrupted: list[tuple[str, str]] = []  # (channel, text)

    def record(self, channel: str, key: str, text: str) -> bool:
        """Record a request; True if the worker sending it is to be killed now (before the answer)."""
        with self.lock:
            self.requests.append((channel, key, text))
            if self.kill_plan and not self.kill_now.is_set():
                wanted, after = self.kill_plan[0]
                if channel == wanted and len(self.requests) > after:
                    self.kill_plan.pop(0)
                    self.interrupted.append((channel, text))
                    self.killed.clear()
                    self.kill_now.set()
                    return True
        return False


class Handler(BaseHTTPRequestHandler):
    server: Provider

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        answer: dict[str, Any]
        if self.path.startswith("/sms"):
            key, text = str(body.get("ref", "")), str(body.get("message", ""))
            channel, answer = "sms", {"id": f"sms-{key}"}
        else:
            key, text = "", str(body.get("text", {}).get("body", ""))
            channel, answer = "whatsapp", {"messages": [{"id": f"wamid.{len(self.server.requests)}"}]}
        if self.server.record(channel, key, text):
            self.server.killed.wait(30)  # the worker dies while waiting for this answer
        try:
            payload = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass


def statuses(url: str) -> Counter[str]:
    return Counter(dict(query(url, "SELECT status, COUNT(*) FROM notifications_message GROUP BY status")))


def running_tasks(url: str) -> set[str]:
    return {str(row[0]) for row in query(url, "SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")}


def task_status(url: str, ids: set[str]) -> Counter[str]:
    rows = query(url, "SELECT id, status FROM django_tasks_database_dbtaskresult")
    return Counter(status for task_id, status in rows if str(task_id).replace("-", "") in {i.replace("-", "") for i in ids})


def run(messages: int = 20, *, server_url: str = "", timeout: float = 90) -> dict[str, Any]:
    """Run the drill; returns the findings (also printed)."""
    findings: dict[str, Any] = {"scheduled": messages}
    with tempfile.TemporaryDirectory(prefix="pendopo-drill-kill-") as tmp:
        workdir = Path(tmp)
        port = free_port()
        kill_plan = [("sms", messages // 4), ("whatsapp", messages // 2)]
        provider = Provider(port, kill_plan)
        threading.Thread(target=provider.serve_forever, daemon=True).start()
        with throwaway_database(workdir, server_url) as url:
            env = drill_env(
                workdir,
                url,
                PENDOPO_SMS_BACKEND="pendopo.notifications.senders.HttpSmsSender",
                PENDOPO_SMS_URL=f"http://127.0.0.1:{port}/sms",
                PENDOPO_WHATSAPP_BACKEND="pendopo.notifications.senders.WhatsAppCloudSender",
                PENDOPO_WHATSAPP_API_URL=f"http://127.0.0.1:{port}/wa",
                PENDOPO_WHATSAPP_PHONE_NUMBER_ID="100200300",
                PENDOPO_WHATSAPP_TOKEN="drill-token",  # noqa: S106 -- the drill's own fake provider
                PENDOPO_SENDER_TIMEOUT="1",
                PENDOPO_NOTIFICATIONS_LEASE_SECONDS=str(LEASE_SECONDS),
                PENDOPO_NOTIFICATIONS_SWEEP_SECONDS="1",
                PENDOPO_WORKER_TASK_LEASE_SECONDS=str(TASK_LEASE_SECONDS),
                PENDOPO_WORKER_RECOVERY_SECONDS="1",
            )
            say(f"database {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}, provider on 127.0.0.1:{port}")
            pendopo(env, "migrate", "--run-syncdb", "-v", "0")
            pendopo(env, "shell", "-c", SCHEDULE.format(n=messages))
            sms_count, whatsapp_count = (messages + 1) // 2, messages // 2
            say(f"scheduled {messages} messages ({sms_count} SMS with an idempotency key, {whatsapp_count} WhatsApp without)")
            worker_args = ["worker", "--interval", "0.2", "--schedule-interval", "0.5"]
            log = workdir / "worker.log"
            abandoned: set[str] = set()
            kill_times: list[float] = []
            deadline = time.monotonic() + timeout
            for number, (channel, _after) in enumerate(kill_plan, start=1):
                worker = start(env, *worker_args, "--worker-id", f"drill-{number}", log=log)
                if not provider.kill_now.wait(max(deadline - time.monotonic(), 1)):
                    worker.kill()
                    raise RuntimeError(f"the worker never sent a {channel} message ({log.read_text()[-2000:]})")
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait()
                kill_times.append(time.monotonic())
                left = running_tasks(url)
                abandoned |= left
                counts = statuses(url)
                say(
                    f"kill -9 of worker {number} (pid {worker.pid}) while the provider held a {channel} message it had "
                    f"accepted: {counts['sending']} message(s) now 'sending', {len(left)} task(s) left RUNNING"
                )
                provider.kill_now.clear()
                provider.killed.set()
            say("started worker 3; waiting for every message to be sent")
            worker = start(env, *worker_args, "--worker-id", "drill-3", log=log)
            try:
                while time.monotonic() < deadline:
                    counts = statuses(url)
                    # Done when every message is sent and every abandoned task has run again: a task
                    # re-queued (READY) but not yet claimed is not done, only a finished one is.
                    finished_tasks = task_status(url, abandoned)
                    if counts["sent"] == messages and finished_tasks["SUCCESSFUL"] + finished_tasks["FAILED"] == len(abandoned):
                        break
                    time.sleep(0.3)
                finished = time.monotonic()
            finally:
                worker.send_signal(signal.SIGTERM)
                worker.wait(30)
            counts = statuses(url)
            abandoned_now = task_status(url, abandoned)
        provider.shutdown()
        with provider.lock:
            requests = list(provider.requests)
            interrupted = list(provider.interrupted)
    sms = Counter(key for channel, key, _text in requests if channel == "sms")
    keys_of_text: dict[str, set[str]] = {}
    for channel, key, text in requests:
        if channel == "sms":
            keys_of_text.setdefault(text, set()).add(key)
    whatsapp = Counter(text for channel, _key, text in requests if channel == "whatsapp")
    sms_keys = {f"drill:{i}:sms" for i in range(0, messages, 2)}
    whatsapp_texts = {f"Drill message {i}" for i in range(1, messages, 2)}
    delivered = len(sms_keys & set(sms)) + len(whatsapp_texts & set(whatsapp))
    findings.update(
        {
            "delivered": delivered,
            "marked_sent": counts["sent"],
            "lost": messages - delivered,
            "sms_requests": sum(sms.values()),
            "sms_resent_same_key": sum(count - 1 for count in sms.values()),
            # A gateway that honours the key delivers one SMS per key: a message is delivered
            # twice only if it was resent under another key.
            "duplicates_by_key": sum(len(keys) - 1 for keys in keys_of_text.values()),
            "unknown_keys": len(set(sms) - sms_keys),
            "whatsapp_requests": sum(whatsapp.values()),
            "whatsapp_delivered_twice": sum(1 for count in whatsapp.values() if count > 1),
            "whatsapp_most_copies": max(whatsapp.values(), default=0),
            "kills": len(kill_times),
            "tasks_abandoned": len(abandoned),
            "tasks_requeued_and_finished": abandoned_now["SUCCESSFUL"],
            "tasks_still_running": abandoned_now["RUNNING"],
            "seconds_to_all_sent_after_last_kill": round(finished - kill_times[-1], 1) if kill_times else None,
            "interrupted": [text for _channel, text in interrupted],
        }
    )
    report(findings)
    return findings


def problems(findings: dict[str, Any]) -> list[str]:
    found = []
    if findings["lost"] or findings["marked_sent"] != findings["scheduled"]:
        found.append(f"{findings['lost']} message(s) lost, {findings['marked_sent']} marked sent")
    if findings["duplicates_by_key"] or findings["unknown_keys"]:
        found.append("an SMS was sent twice under different keys")
    if findings["whatsapp_most_copies"] > 2:
        found.append("a WhatsApp message was sent more than once more")
    if findings["kills"] != 2:
        found.append("the workers were not killed mid-delivery")
    if findings["tasks_still_running"] or findings["tasks_requeued_and_finished"] != findings["tasks_abandoned"]:
        found.append("a task left RUNNING by a killed worker was not run again")
    return found


def report(findings: dict[str, Any]) -> None:
    say(f"messages scheduled: {findings['scheduled']}")
    say(f"delivered: {findings['delivered']} (marked sent: {findings['marked_sent']})")
    say(f"lost: {findings['lost']}")
    say(
        f"SMS (idempotency key): {findings['sms_requests']} requests, {findings['sms_resent_same_key']} resent with the "
        f"same key, duplicates by idempotency key: {findings['duplicates_by_key']}, unknown keys: {findings['unknown_keys']}"
    )
    say(
        f"WhatsApp (no key): {findings['whatsapp_requests']} requests, delivered twice: "
        f"{findings['whatsapp_delivered_twice']} (at most once more per kill)"
    )
    say(
        f"tasks left RUNNING by the killed workers: {findings['tasks_abandoned']}, re-queued and finished: "
        f"{findings['tasks_requeued_and_finished']}, still running: {findings['tasks_still_running']}"
    )
    say(f"all sent {findings['seconds_to_all_sent_after_last_kill']} s after the last kill (lease {LEASE_SECONDS} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20, help="how many messages to schedule (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=90, help="seconds before the drill gives up (default: %(default)s)")
    options = parser.parse_args(argv)
    findings = run(max(options.messages, 8), server_url=os.environ.get("DATABASE_URL", ""), timeout=options.timeout)
    found = problems(findings)
    for problem in found:
        fail(problem)
    if not found:
        say("OK — nothing lost, nothing sent twice under one key, abandoned tasks ran again")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
