"""Retries with exponential backoff for background tasks (django-tasks has none of its own).

Two ways to use it:

1. Decorate the task function (below `@task()`); a failed run enqueues the next attempt after a
   growing delay, until `max_attempts` runs have failed::

       @task()
       @retrying(max_attempts=5, base_delay=timedelta(seconds=30))
       def deliver(message_id: int) -> None: ...

   Each failed attempt is recorded as a FAILED task result (with its traceback) and the next
   attempt is a new READY result with `run_after` set. The attempt number travels in the reserved
   keyword argument `_retry_attempt`, which the decorator removes before calling the function.

2. Decide yourself, e.g. when an outbox row counts its own attempts::

       if enqueue_retry(deliver, attempt=message.attempts, args=[message.pk]) is None:
           mark_undeliverable(message)

Retries need a backend that can defer tasks (the database backend can).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.dispatch import receiver
from django_tasks.base import Task, TaskResult
from django_tasks.signals import task_finished, task_started

from pendopo.lib import dates

logger = logging.getLogger("pendopo.worker")

RETRY_ATTEMPT_KWARG = "_retry_attempt"

# The task result being run in this thread (set by the task_started signal every backend sends):
# retries happen only for runs of the task, not for direct calls of its function, and keep the
# queue, priority and backend the failed run was enqueued with (the worker passes the function
# only the arguments).
_running: ContextVar[TaskResult[Any] | None] = ContextVar("pendopo_worker_running_task", default=None)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff: after attempt n fails, wait base_delay × factor^(n-1), at most max_delay.

    `jitter` spreads the delays by ± that fraction so that many deliveries failing together do
    not all come back at the same second.
    """

    max_attempts: int = 5
    base_delay: dt.timedelta = dt.timedelta(seconds=30)
    factor: float = 2.0
    max_delay: dt.timedelta = dt.timedelta(hours=1)
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1.")
        if self.base_delay <= dt.timedelta(0) or self.max_delay < self.base_delay:
            raise ValueError("base_delay must be positive and max_delay at least base_delay.")
        if self.factor < 1:
            raise ValueError("factor must be at least 1.")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be a fraction between 0 and 1.")

    def delay(self, attempt: int) -> dt.timedelta:
        """How long to wait after attempt number `attempt` (1 = the first run) failed."""
        seconds = min(self.base_delay.total_seconds() * self.factor ** (attempt - 1), self.max_delay.total_seconds())
        if self.jitter:
            seconds *= 1 + random.uniform(-self.jitter, self.jitter)  # noqa: S311 -- spreading load, not security
        return dt.timedelta(seconds=seconds)


DEFAULT_BACKOFF = Backoff()


def enqueue_retry(
    task: Task[Any, Any],
    *,
    attempt: int,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> TaskResult[Any] | None:
    """Enqueue `task(*args, **kwargs)` again after the backoff delay for the failed `attempt`.

    `attempt` is the number of the attempt that just failed (1 for the first run). Returns the new
    task result, or None when `attempt` already reached `backoff.max_attempts` (give up).
    """
    if attempt >= backoff.max_attempts:
        return None
    run_after = dates.now() + backoff.delay(attempt)
    return task.using(run_after=run_after).enqueue(*args, **dict(kwargs or {}))


def retrying(
    *,
    max_attempts: int = DEFAULT_BACKOFF.max_attempts,
    base_delay: dt.timedelta = DEFAULT_BACKOFF.base_delay,
    factor: float = DEFAULT_BACKOFF.factor,
    max_delay: dt.timedelta = DEFAULT_BACKOFF.max_delay,
    jitter: float = DEFAULT_BACKOFF.jitter,
    retry_on: tuple[type[Exception], ...] = (Exception,),
) -> Callable[[F], F]:
    """Decorate a task function (below `@task()`) so that a run failing with `retry_on` is retried.

    The failed run still raises (its result is FAILED with the traceback); the next attempt is
    enqueued with the same arguments, queue, priority and backend after `Backoff.delay(attempt)`. After
    `max_attempts` failed runs, no more are enqueued and the failure is logged as an error.
    """
    backoff = Backoff(max_attempts=max_attempts, base_delay=base_delay, factor=factor, max_delay=max_delay, jitter=jitter)

    def decorator(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(RETRY_ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except retry_on as exc:
                _retry(wrapper, args, kwargs, attempt, backoff, exc)
                raise

        wrapper.backoff = backoff  # type: ignore[attr-defined]  # the retrying wrapper carries its backoff for the worker
        return wrapper  # type: ignore[return-value]  # the wrapper takes the wrapped function's arguments

    return decorator


@receiver(task_started, dispatch_uid="pendopo.worker.retry.started")
def _remember_running_task(sender: object, task_result: TaskResult[Any], **kwargs: Any) -> None:
    _running.set(task_result)


@receiver(task_finished, dispatch_uid="pendopo.worker.retry.finished")
def _forget_running_task(sender: object, task_result: TaskResult[Any], **kwargs: Any) -> None:
    _running.set(None)


def _retry(
    func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], attempt: int, backoff: Backoff, exc: Exception
) -> None:
    running = _running.get()
    if running is None or running.task.func is not func:
        return  # called directly, not run as a task: nothing to retry
    task = running.task
    name = task.module_path
    # Only the exception's class is logged: messages of mail or SMS errors may contain addresses.
    if attempt >= backoff.max_attempts:
        logger.error(
            "Task %s failed (%s) on attempt %d of %d; giving up.", name, type(exc).__name__, attempt, backoff.max_attempts
        )
        return
    if not task.get_backend().supports_defer:
        logger.error("Task %s failed (%s) and cannot be retried: its backend cannot defer tasks.", name, type(exc).__name__)
        return
    call_args = args[1:] if task.takes_context else args
    result = enqueue_retry(
        task, attempt=attempt, args=call_args, kwargs={**kwargs, RETRY_ATTEMPT_KWARG: attempt + 1}, backoff=backoff
    )
    if result is not None:
        logger.warning(
            "Task %s failed (%s) on attempt %d of %d; attempt %d runs after %s (task result %s).",
            name,
            type(exc).__name__,
            attempt,
            backoff.max_attempts,
            attempt + 1,
            result.task.run_after,
            result.id,
        )
