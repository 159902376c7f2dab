"""Two people publishing the same draft at once: exactly one wins, the other gets a clear refusal."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import translation

from pendopo.catalog import actions
from pendopo.catalog.models import ServiceEvent, ServiceStandard, StandardStatus
from pendopo.catalog.tests.factories import make_service

pytestmark = pytest.mark.django_db(transaction=True)


def test_publishing_the_same_draft_twice_at_once(world):
    service = make_service(world.admin_a, world.agency_a1)
    draft = actions.start_draft(world.admin_a, service)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def publish(user) -> None:
        translation.activate("en")  # the active language is per thread
        try:
            start.wait(timeout=10)
            actions.publish_standard(user, draft)
            outcomes.append("published")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        except OperationalError:
            # SQLite's shared test database may be locked for the loser: refused too.
            outcomes.append("locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(user,)) for user in (world.admin_a, world.head_a1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[0] in ("This version is already published.", "locked")
    assert outcomes.count("published") == 1
    assert ServiceStandard.objects.filter(service=service, status=StandardStatus.PUBLISHED).count() == 1
    assert ServiceEvent.objects.filter(service=service, kind="published", version=2).count() == 1
