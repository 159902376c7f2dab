"""Fixtures of the privacy tests: the applications tests' service and clock, a complaint category."""

from __future__ import annotations

import pytest

from pendopo.applications.tests.conftest import (  # noqa: F401 -- fixtures shared with the applications tests
    _private_media,
    apply,
    frozen,
    service,
)
from pendopo.complaints import actions as complaint_actions
from pendopo.complaints.models import ComplaintCategory, Privacy
from pendopo.queueing.tests.conftest import mall  # noqa: F401 -- a fixture
from pendopo.workflow.models import Case


@pytest.fixture
def category(world):
    return ComplaintCategory.objects.create(region=world.region_a, code="JALAN", name="Jalan rusak", agency=world.agency_a1)


@pytest.fixture
def complain(world, category):
    def make(user=None, privacy=Privacy.IDENTIFIED, **fields):
        fields.setdefault("description", "Jalan berlubang di depan pasar.")
        filing = complaint_actions.Filing(category=category, privacy=privacy, **fields)
        return complaint_actions.file_complaint(world.region_a, filing, user=user).complaint

    return make


def close(case, at) -> None:
    """Close a case at a moment (the workflow's last step is not what these tests are about)."""
    Case.objects.filter(pk=case.pk).update(closed_at=at, state="done")
