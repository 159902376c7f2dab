"""A published standard never changes; editing makes a new draft; publishing supersedes from a date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pendopo.catalog import actions, selectors, versions
from pendopo.catalog.models import PublishedStandardError, ServiceEvent, ServiceStandard, StandardStatus
from pendopo.catalog.tests.factories import make_service

pytestmark = pytest.mark.django_db


def test_a_published_standard_cannot_be_changed_by_the_action_or_by_save(world):
    service = make_service(world.admin_a, world.agency_a1)
    published = service.published_standard
    with pytest.raises(ValidationError) as caught:
        actions.update_draft(world.admin_a, published, {"fee": 5000, "fee_basis": "Perda"})
    assert caught.value.code == "published"
    published.fee = 5000
    with pytest.raises(PublishedStandardError):
        published.save()
    published.refresh_from_db()
    assert published.fee == 0


def test_editing_starts_a_new_draft_copied_from_the_latest_version(world):
    service = make_service(world.admin_a, world.agency_a1)
    draft = actions.start_draft(world.officer_a1, service)
    assert (draft.version, draft.status) == (2, StandardStatus.DRAFT)
    assert draft.requirements == service.published_standard.requirements
    assert draft.form == service.published_standard.form
    assert draft.decree_number == service.published_standard.decree_number
    assert actions.start_draft(world.officer_a1, service).pk == draft.pk, "one draft at a time"
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceStandard.objects.create(region=world.region_a, service=service, version=3)


def test_publishing_supersedes_the_previous_version_from_its_effective_date(world):
    service = make_service(world.admin_a, world.agency_a1, effective_from=dt.date(2026, 1, 6))
    first = service.published_standard
    draft = actions.start_draft(world.officer_a1, service)
    actions.update_draft(
        world.officer_a1,
        draft,
        {"fee": 10000, "fee_basis": "Perda 2/2026", "decree_number": "188/9/2026", "decree_date": dt.date(2026, 6, 1)},
    )
    actions.publish_standard(world.head_a1, draft, effective_from=dt.date(2026, 7, 1))
    first.refresh_from_db()
    draft.refresh_from_db()
    service.refresh_from_db()
    assert first.status == StandardStatus.SUPERSEDED
    assert first.superseded_on == dt.date(2026, 7, 1)
    assert draft.status == StandardStatus.PUBLISHED
    assert draft.published_by == world.head_a1
    assert service.published_standard == draft
    # Until 1 July the first version stays in force; from then, the second.
    assert selectors.standard_in_force(service, dt.date(2026, 6, 30)) == first
    assert selectors.standard_in_force(service, dt.date(2026, 7, 1)) == draft
    assert first.in_force_on(dt.date(2026, 6, 30)) and not first.in_force_on(dt.date(2026, 7, 1))
    kinds = list(ServiceEvent.objects.filter(service=service).values_list("kind", flat=True))
    assert kinds == ["created", "published", "drafted", "draft_edited", "superseded", "published"]


def test_a_new_version_cannot_take_effect_before_the_one_it_replaces_or_its_decree(world):
    service = make_service(world.admin_a, world.agency_a1, effective_from=dt.date(2026, 3, 1))
    draft = actions.start_draft(world.admin_a, service)
    with pytest.raises(ValidationError) as caught:
        actions.publish_standard(world.admin_a, draft, effective_from=dt.date(2026, 2, 1))
    assert "effective_from" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.publish_standard(world.admin_a, draft, effective_from=dt.date(2026, 1, 1))  # decree is 5 January
    assert caught.value.message_dict["effective_from"] == ["A standard cannot take effect before the decree that adopts it."]
    draft.refresh_from_db()
    assert draft.status == StandardStatus.DRAFT
    assert service.standards.filter(status=StandardStatus.PUBLISHED).count() == 1


@time_machine.travel(dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC), tick=False)
def test_the_service_page_shows_the_version_in_force_and_announces_the_next(client, world):
    service = make_service(world.admin_a, world.agency_a1, effective_from=dt.date(2026, 1, 6))
    draft = actions.start_draft(world.admin_a, service)
    actions.update_draft(world.admin_a, draft, {"product": "KTP-el baru bertanda tangan elektronik"})
    actions.publish_standard(world.admin_a, draft, effective_from=dt.date(2026, 7, 1))
    page = client.get(service.get_absolute_url()).content.decode()
    assert "Kartu Tanda Penduduk Elektronik" in page
    assert "KTP-el baru bertanda tangan elektronik" not in page
    assert "Version 2 takes effect on 1 July 2026." in page
    with time_machine.travel(dt.datetime(2026, 7, 1, 1, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(service.get_absolute_url()).content.decode()
    assert "KTP-el baru bertanda tangan elektronik" in page


def test_history_lists_versions_and_diffs_the_changed_components(client, world):
    service = make_service(world.admin_a, world.agency_a1)
    draft = actions.start_draft(world.admin_a, service)
    requirements = [*draft.requirements, {"text": "Pas foto 3x4", "required": True, "is_document_upload": True}]
    actions.update_draft(world.admin_a, draft, {"requirements": requirements, "change_note": "Tambah pas foto"})
    actions.publish_standard(world.admin_a, draft, effective_from=dt.date(2026, 2, 1))

    diff = versions.diff_standards(service.standards.get(version=1), service.standards.get(version=2))
    assert [component.key for component in diff] == ["requirements"]
    assert ("add", "3. Pas foto 3x4 (required, document upload)") in diff[0].lines
    assert "+3. Pas foto 3x4 (required, document upload)" in versions.unified_diff(
        service.standards.get(version=1), service.standards.get(version=2)
    )

    page = client.get(f"{service.get_absolute_url()}riwayat/").content.decode()
    assert "Tambah pas foto" in page
    assert "<ins>+ 3. Pas foto 3x4 (required, document upload)</ins>" in page
    # Dates as the region writes them, the day spelled out: "6 January 2026", never "6 Jan 2026".
    assert "6 January 2026 — replaced on 1 February 2026" in page
    assert "Jan 2026" not in page and "Feb 2026" not in page.replace("February 2026", "")
    page = client.get(f"{service.get_absolute_url()}riwayat/?from=2&to=2").content.decode()
    assert "The two versions are the same." in page
    assert client.get(f"{service.get_absolute_url()}riwayat/?from=1&to=9").status_code == 404


def test_drafts_are_not_public_but_their_staff_see_them(client, world):
    service = make_service(world.admin_a, world.agency_a1)
    actions.start_draft(world.officer_a1, service)
    url = f"{service.get_absolute_url()}versi/2/"
    assert client.get(url).status_code == 404
    assert client.get(f"{service.get_absolute_url()}versi/1/").status_code == 200
    client.force_login(world.officer_a1)
    assert client.get(url).status_code == 200
    client.force_login(world.officer_a2)
    assert client.get(url).status_code == 404


def test_a_draft_can_be_discarded_but_not_the_only_version(world):
    service = make_service(world.admin_a, world.agency_a1, publish=False)
    with pytest.raises(ValidationError):
        actions.discard_draft(world.admin_a, service.standards.get())
    actions.publish_standard(world.admin_a, service.standards.get())
    draft = actions.start_draft(world.admin_a, service)
    actions.discard_draft(world.admin_a, draft)
    assert list(service.standards.values_list("version", flat=True)) == [1]


def test_the_deadline_counts_working_time_in_the_unit_of_the_standard(world):
    service = make_service(world.admin_a, world.agency_a1)
    standard = service.published_standard
    calendar = world.region_a.calendar()
    monday_morning = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB
    assert standard.deadline(monday_morning, calendar) == calendar.add_working_days(monday_morning, 3)
    minutes = ServiceStandard(time_limit_value=90, time_limit_unit="minutes")
    assert minutes.deadline(monday_morning, calendar) == calendar.add_working_minutes(monday_morning, 90)
