"""The registry other apps use from AppConfig.ready(): `periodic(name=..., every=..., task=...)`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from pendopo.worker.periodic import periodic, registered
from pendopo.worker.tests import tasks
from pendopo.worker.tests.conftest import STARTUP_JOBS


def test_registering_with_a_task_returns_it_and_records_the_job():
    assert periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick) is tasks.tick

    spec = registered()["tests.tick"]
    assert (spec.task, spec.every, spec.every_seconds) == (tasks.tick, dt.timedelta(minutes=5), 300)
    assert spec.task_path == "pendopo.worker.tests.tasks.tick"


def test_decorator_form_registers_the_task_below_it():
    decorate = periodic(name="tests.tock", every=dt.timedelta(hours=1))

    assert decorate(tasks.tock) is tasks.tock
    assert registered()["tests.tock"].task is tasks.tock


def test_registering_the_same_job_twice_is_harmless():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)

    assert list(registered()) == ["tests.tick"]


@pytest.mark.parametrize(
    ("every", "task"),
    [(dt.timedelta(minutes=10), "tick"), (dt.timedelta(minutes=5), "tock")],
    ids=["other-interval", "other-task"],
)
def test_a_name_cannot_be_taken_twice(every, task):
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)

    with pytest.raises(ImproperlyConfigured, match="already registered"):
        periodic(name="tests.tick", every=every, task=getattr(tasks, task))
    assert registered()["tests.tick"].every == dt.timedelta(minutes=5)


@pytest.mark.parametrize("name", ["", "tick", "Tests.Tick", "tests.", "tests tick", "tests." + "x" * 100])
def test_names_look_like_app_dot_job(name):
    with pytest.raises(ImproperlyConfigured, match="must look like"):
        periodic(name=name, every=dt.timedelta(minutes=5), task=tasks.tick)


@pytest.mark.parametrize("every", [dt.timedelta(0), dt.timedelta(milliseconds=500), dt.timedelta(seconds=1.5), 300])
def test_the_interval_is_a_whole_number_of_seconds(every):
    with pytest.raises(ImproperlyConfigured, match="every"):
        periodic(name="tests.tick", every=every, task=tasks.tick)


def test_only_tasks_can_be_periodic():
    with pytest.raises(ImproperlyConfigured, match="django_tasks Task"):
        periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick.func)


def test_a_periodic_task_takes_no_arguments():
    with pytest.raises(ImproperlyConfigured, match="without arguments"):
        periodic(name="tests.needs_argument", every=dt.timedelta(minutes=5), task=tasks.needs_an_argument)
    assert registered() == {}


def test_the_worker_registers_its_own_pruning_job_at_startup():
    spec = STARTUP_JOBS["worker.prune_task_results"]
    assert spec.every == dt.timedelta(days=1)
    assert spec.task_path == "pendopo.worker.tasks.prune_task_results"
