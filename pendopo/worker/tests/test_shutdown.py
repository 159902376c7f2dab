"""SIGTERM/SIGINT stop the worker gracefully: a running task finishes, nothing is left running."""

from __future__ import annotations

import io
import os
import signal
import threading
import time

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus

from pendopo.worker.management.commands.worker import SCHEDULER_THREAD_NAME
from pendopo.worker.tests import tasks


def scheduler_running() -> bool:
    return any(thread.name == SCHEDULER_THREAD_NAME for thread in threading.enumerate())


@pytest.mark.usefixtures("worker_db")
def test_sigterm_during_a_task_lets_it_finish_then_stops():
    stopping, waiting = tasks.stops_the_worker.enqueue(), tasks.record.enqueue("not started")
    handler_before = signal.getsignal(signal.SIGTERM)

    # Not --once: the worker would otherwise wait for tasks forever.
    call_command("worker", "--no-scheduler", "--interval", "0.05", stdout=io.StringIO())

    stopping.refresh()
    waiting.refresh()
    assert stopping.status == TaskResultStatus.SUCCESSFUL
    assert stopping.return_value == "finished"
    assert waiting.status == TaskResultStatus.READY
    assert tasks.CALLS == ["finished after SIGTERM"]
    assert signal.getsignal(signal.SIGTERM) is handler_before


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.django_db(transaction=True)
def test_a_signal_while_idle_exits_cleanly_and_stops_the_scheduler(signum):
    def send_when_started() -> None:
        deadline = time.monotonic() + 10
        while not scheduler_running() and time.monotonic() < deadline:
            time.sleep(0.01)
        # The handlers are installed before the scheduler thread starts. Should it never start,
        # SIGINT still ends the test (KeyboardInterrupt) instead of killing pytest.
        os.kill(os.getpid(), signum if scheduler_running() else signal.SIGINT)

    handler_before = signal.getsignal(signum)
    sender = threading.Thread(target=send_when_started)
    sender.start()
    with pytest.raises(SystemExit) as exited:
        call_command("worker", "--interval", "0.05", "--schedule-interval", "0.05", stdout=io.StringIO())
    sender.join()

    assert exited.value.code == 0
    assert not scheduler_running()
    assert signal.getsignal(signum) is handler_before
