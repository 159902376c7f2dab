"""The outbox messages an erasure deletes: those of the person's cases and those sent to their addresses."""

from __future__ import annotations

import pytest

from pendopo.lib.files import delete_stored_file
from pendopo.notifications.models import Message
from pendopo.privacy.redaction import outbox_copies

pytestmark = pytest.mark.django_db


def test_the_outbox_copies_are_those_of_the_cases_and_addresses(world, apply):
    application = apply()
    other = apply(**{"applicant-name": "Budi"})
    assert Message.objects.filter(event_key__startswith=f"applications:{application.case.code}:").count() == 2

    deleted, _ = outbox_copies([application.case.code]).delete()

    assert deleted == 2
    assert not Message.objects.filter(event_key__startswith=f"applications:{application.case.code}:").exists()
    assert Message.objects.filter(event_key__startswith=f"applications:{other.case.code}:").exists()
    assert not outbox_copies([], emails=[""], phone_hashes=[""]).exists()  # an empty address matches nothing


def test_a_stored_name_without_its_folder_deletes_nothing_else():
    assert delete_stored_file("") == 0
    assert delete_stored_file("applications/none/missing.pdf") == 0
