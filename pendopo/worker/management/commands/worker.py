"""`pendopo worker`: run background tasks and enqueue the periodic jobs that are due.

The task loop is django_tasks_db's own worker; the scheduler runs in a thread of the same process
and checks the periodic jobs every `--schedule-interval` seconds. Any number of workers may run
side by side: tasks and periodic runs are each claimed by exactly one of them.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, close_old_connections, connections
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker, valid_interval, valid_max_tasks, validate_worker_id
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from pendopo.worker.scheduler import run_due_jobs

logger = logging.getLogger("pendopo.worker")

SCHEDULER_THREAD_NAME = "pendopo-scheduler"
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name))


class PendopoWorker(Worker):
    """django_tasks_db's worker that also stops the scheduler thread and counts the tasks it ran."""

    def __init__(self, *, stopping: threading.Event, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stopping = stopping
        self.tasks_run = 0

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        # django_tasks_db's handling: the first signal lets a running task finish (and exits at
        # once when idle, with SystemExit(0)); a second one interrupts the task.
        self.stopping.set()
        super().shutdown(signum, frame)

    def run(self) -> None:
        # django_tasks_db keeps polling when claiming a task meets a locked SQLite database, but
        # not when the lock is met by the BEGIN that opens the claim's transaction (another
        # thread or process is writing, e.g. the scheduler thread enqueuing a periodic job).
        # That is as temporary as the other case: wait and poll again instead of exiting.
        while True:
            try:
                super().run()
                return
            except OperationalError as exc:
                if not is_locked_database_exception(exc) or not self.running:
                    raise
                logger.info("The database was locked when claiming a task; trying again in %s s.", self.interval)
                self.startup_delay = False
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        finally:
            self.tasks_run += 1


def schedule_until(stopping: threading.Event, interval: float) -> None:
    """Check the periodic jobs now and every `interval` seconds until `stopping` is set."""
    try:
        while not stopping.is_set():
            close_old_connections()
            try:
                run_due_jobs()
            except Exception:
                # A broken check (database restarting, a bad job) must not end scheduling for good.
                logger.exception("Checking the periodic jobs failed; trying again in %s s.", interval)
            close_old_connections()
            stopping.wait(interval)
    finally:
        connections.close_all()


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"[-64:]


class Command(BaseCommand):
    help = "Run background tasks and enqueue the periodic jobs that are due (see docs/worker.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Queues to process, separated by commas; '*' for all (default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait for new tasks when the queue is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--schedule-interval",
            type=valid_interval,
            default=10.0,
            help="Seconds between two checks of the periodic jobs (default: %(default)s).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="Only run tasks; leave the periodic jobs to other workers.",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue the due periodic jobs, run the tasks that are ready, then exit.",
        )
        parser.add_argument(
            "--max-tasks",
            type=valid_max_tasks,
            default=None,
            help="Exit after running this many tasks.",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=default_worker_id(),
            help="Identifier recorded on the tasks this worker runs; unique per worker (default: host-pid).",
        )

    def handle(
        self,
        *,
        queue_name: str,
        interval: float,
        schedule_interval: float,
        scheduler: bool,
        once: bool,
        max_tasks: int | None,
        worker_id: str,
        verbosity: int,
        **options: Any,
    ) -> None:
        self._configure_logging(verbosity)
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError(
                _("The task backend is not django_tasks_db.DatabaseBackend; tasks run elsewhere and there is nothing to work on.")
            )
        queue_names = [name.strip() for name in queue_name.split(",") if name.strip()]
        if not queue_names:
            raise CommandError(_("Name at least one queue (or '*' for all)."))
        stopping = threading.Event()
        worker = PendopoWorker(
            stopping=stopping,
            queue_names=queue_names,
            interval=interval,
            batch=once,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not once,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        previous_handlers = {signum: signal.getsignal(signum) for signum in _SIGNALS}
        worker.configure_signals()
        scheduler_thread = None
        enqueued = 0
        try:
            if once and scheduler:
                enqueued = len(run_due_jobs())
            elif scheduler:
                scheduler_thread = threading.Thread(
                    target=schedule_until, args=(stopping, schedule_interval), name=SCHEDULER_THREAD_NAME, daemon=True
                )
                scheduler_thread.start()
            worker.run()
        finally:
            stopping.set()
            if scheduler_thread is not None:
                scheduler_thread.join(timeout=30)
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)
        if once:
            summary = _("Enqueued %(enqueued)d periodic job(s), ran %(tasks)d task(s).")
            self.stdout.write(summary % {"enqueued": enqueued, "tasks": worker.tasks_run})

    def _configure_logging(self, verbosity: int) -> None:
        if verbosity == 1:
            return  # keep the levels of settings.LOGGING
        level = logging.WARNING if verbosity == 0 else logging.DEBUG
        for name in ("pendopo.worker", "django_tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)
