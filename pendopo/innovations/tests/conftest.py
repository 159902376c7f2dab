"""Fixtures of the innovation tests: a frozen day in December 2026, evidence files, filled innovations."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pendopo.innovations import actions
from pendopo.innovations.catalogue import SID
from pendopo.innovations.models import Affair, Innovation, Stage

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
DESIGN = " ".join(["Rancang bangun inovasi pelayanan publik yang memudahkan warga."] * 40)  # 320 words
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MANDATORY = {"16": 3, "17": 2, "32": 3, "33": 2, "35": 3}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def pdf(name: str = "sk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def details(**overrides) -> dict:
    data = {
        "name": "Lahir Procot Pulang Bawa Akta",
        "period": 2026,
        "stage": Stage.IMPLEMENTATION,
        "trial_on": dt.date(2024, 3, 1),
        "implemented_on": dt.date(2024, 6, 1),
        "affair": Affair.CIVIL_REGISTRY,
        "design": DESIGN,
        "goals": "Akta kelahiran terbit sebelum ibu dan bayi pulang.",
    }
    data.update(overrides)
    return data


def evidence(level: int | None, **overrides) -> actions.Evidence:
    values: dict[str, Any] = {
        "level": level,
        "url": "https://jdih.banyuwangikab.go.id/sk-inovasi.pdf",
        "document_number": "188/123/KEP/429.011/2024",
        "document_date": dt.date(2024, 5, 2),
    }
    values.update(overrides)
    return actions.Evidence(**values)


def filled(actor, region, agency, rows: dict[str, int] | None = None, **overrides) -> Innovation:
    """A draft innovation with its mandatory rows (plus `rows`) filled with evidence."""
    innovation = actions.create_innovation(actor, region, agency, details(**overrides))
    for code, level in {**MANDATORY, **(rows or {})}.items():
        extra = {"basis": "a"} if code == "33" else {}
        actions.save_score(actor, innovation, innovation.period, SID, code, evidence(level, **extra))
    return innovation


def verified(actor, team, region, agency, **overrides) -> Innovation:
    """An innovation submitted by `actor` and fully accepted by `team`."""
    innovation = filled(actor, region, agency, **overrides)
    actions.submit(actor, innovation)
    for score in innovation.scores.all():
        actions.verify_row(team, score, "accepted")
    return actions.finish_verification(team, innovation, approve=True)
