"""The register's rules: fields, evidence, submission, verification, the double submit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pendopo.innovations import actions
from pendopo.innovations.catalogue import SID, SPD
from pendopo.innovations.models import Event, Innovation, Score, Status, Verdict

from .conftest import details, evidence, filled, pdf, verified


def errors_of(caught) -> dict:
    return caught.value.message_dict


def test_create_and_double_submit_makes_one(world):
    first = actions.create_innovation(world.officer_a1, world.region_a, world.agency_a1, details(), token="t-1")
    again = actions.create_innovation(world.officer_a1, world.region_a, world.agency_a1, details(), token="t-1")
    assert first.pk == again.pk
    assert Innovation.objects.count() == 1
    assert first.code.startswith("BWI-")
    assert Event.objects.filter(innovation=first, kind="created").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"implemented_on": dt.date(2026, 12, 4)}, "implemented_on"),
        ({"video_url": "youtube kami"}, "video_url"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"period": 2025}, "period"),
        ({"implemented_on": None}, "implemented_on"),
        ({"budget": -5}, "budget"),
    ],
)
def test_bad_fields_are_refused_and_nothing_saved(world, overrides, field):
    with pytest.raises(ValidationError) as caught:
        actions.create_innovation(world.officer_a1, world.region_a, world.agency_a1, details(**overrides))
    assert field in errors_of(caught)
    assert not Innovation.objects.exists()


def test_an_officer_adds_only_to_their_own_agency(world):
    with pytest.raises(PermissionDenied):
        actions.create_innovation(world.officer_a1, world.region_a, world.agency_a2, details())
    with pytest.raises(ValidationError):
        actions.create_innovation(world.officer_a1, world.region_a, world.agency_b1, details())


def test_a_score_without_evidence_is_refused(world):
    innovation = actions.create_innovation(world.officer_a1, world.region_a, world.agency_a1, details())
    with pytest.raises(ValidationError) as caught:
        actions.save_score(world.officer_a1, innovation, 2026, SID, "16", actions.Evidence(level=3))
    assert {"evidence_url", "document_number", "document_date"} <= set(errors_of(caught))
    assert not Score.objects.exists()


def test_level_outside_1_to_3_and_bad_basis(world):
    innovation = actions.create_innovation(world.officer_a1, world.region_a, world.agency_a1, details())
    with pytest.raises(ValidationError) as caught:
        actions.save_score(world.officer_a1, innovation, 2026, SID, "16", evidence(4))
    assert "level" in errors_of(caught)
    with pytest.raises(ValidationError) as caught:
        actions.save_score(world.officer_a1, innovation, 2026, SID, "33", evidence(2))
    assert "basis" in errors_of(caught)
    with pytest.raises(ValidationError):
        actions.save_score(world.officer_a1, innovation, 2026, SID, "31", evidence(2))


def test_level_is_read_from_a_value(world):
    innovation = actions.create_innovation(world.officer_a1, world.region_a, world.agency_a1, details())
    score = actions.save_score(world.officer_a1, innovation, 2026, SID, "33", evidence(None, basis="a", value=Decimal(350)))
    assert score.level == 2


def test_evidence_file_type_and_size_are_checked(world, settings):
    innovation = actions.create_innovation(world.officer_a1, world.region_a, world.agency_a1, details())
    exe = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError) as caught:
        actions.save_score(world.officer_a1, innovation, 2026, SID, "16", evidence(3, url="", file=exe))
    assert "file" in errors_of(caught)
    settings.PENDOPO_UPLOAD_MAX_KB = 1
    big = SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n" + b"0" * 3000)
    with pytest.raises(ValidationError) as caught:
        actions.save_score(world.officer_a1, innovation, 2026, SID, "16", evidence(3, url="", file=big))
    assert "KB" in " ".join(errors_of(caught)["file"])
    assert not Score.objects.exists()


def test_changing_evidence_returns_the_row_to_waiting(world):
    innovation = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    score = Score.objects.get(innovation=innovation, indicator="16")
    assert score.verdict == Verdict.ACCEPTED
    # The team returns it; the agency changes the document number.
    Innovation.objects.filter(pk=innovation.pk).update(status=Status.RETURNED)
    actions.save_score(world.officer_a1, innovation, 2026, SID, "16", evidence(3, document_number="188/999/2024"))
    score.refresh_from_db()
    assert score.verdict == Verdict.WAITING
    # The same evidence again changes nothing.
    Score.objects.filter(pk=score.pk).update(verdict=Verdict.ACCEPTED)
    actions.save_score(world.officer_a1, innovation, 2026, SID, "16", evidence(3, document_number="188/999/2024"))
    score.refresh_from_db()
    assert score.verdict == Verdict.ACCEPTED
    actions.save_score(world.officer_a1, innovation, 2026, SID, "16", evidence(3, document_number="188/999/2024", file=pdf()))
    score.refresh_from_db()
    assert score.verdict == Verdict.WAITING


def test_submission_needs_design_words_and_mandatory_rows(world):
    short = filled(world.officer_a1, world.region_a, world.agency_a1, design="terlalu pendek")
    with pytest.raises(ValidationError) as caught:
        actions.submit(world.officer_a1, short)
    assert "300" in " ".join(caught.value.messages)
    empty = actions.create_innovation(world.officer_a1, world.region_a, world.agency_a1, details(name="Kosong"))
    with pytest.raises(ValidationError) as caught:
        actions.submit(world.officer_a1, empty)
    assert "16, 17, 32, 33, 35" in " ".join(caught.value.messages)
    assert Innovation.objects.filter(status=Status.SUBMITTED).count() == 0


def test_verification_row_by_row(world):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1)
    actions.submit(world.officer_a1, innovation)
    with pytest.raises(ValidationError):
        actions.update_innovation(world.officer_a1, innovation, {"name": "Lain"})
    rows = list(innovation.scores.order_by("pk"))
    with pytest.raises(PermissionDenied):
        actions.verify_row(world.officer_a1, rows[0], "accepted")
    with pytest.raises(PermissionDenied):
        actions.verify_row(world.admin_b, rows[0], "accepted")
    with pytest.raises(ValidationError) as caught:
        actions.verify_row(world.admin_a, rows[0], "rejected")
    assert "note" in errors_of(caught)
    actions.verify_row(world.admin_a, rows[0], "rejected", "SK belum ditandatangani")
    with pytest.raises(ValidationError) as caught:
        actions.finish_verification(world.admin_a, innovation, approve=True)
    assert caught.value.code == "waiting"
    for row in rows[1:]:
        actions.verify_row(world.admin_a, row, "accepted")
    done = actions.finish_verification(world.admin_a, innovation, approve=True)
    assert done.status == Status.VERIFIED and done.is_published
    assert Event.objects.filter(innovation=innovation, kind="rejected", note="SK belum ditandatangani").exists()


def test_return_for_revision_needs_a_note(world):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1)
    actions.submit(world.officer_a1, innovation)
    with pytest.raises(ValidationError):
        actions.finish_verification(world.admin_a, innovation, approve=False)
    back = actions.finish_verification(world.admin_a, innovation, approve=False, note="Lengkapi video")
    assert back.status == Status.RETURNED and back.is_editable and not back.is_published


def test_spd_rows_are_the_teams(world):
    with pytest.raises(PermissionDenied):
        actions.save_score(world.officer_a1, world.region_a, 2026, SPD, "8", evidence(3))
    with pytest.raises(PermissionDenied):
        actions.save_score(world.admin_b, world.region_a, 2026, SPD, "8", evidence(3))
    score = actions.save_score(world.admin_a, world.region_a, 2026, SPD, "8", evidence(3))
    assert score.innovation is None and score.counts_claimed
