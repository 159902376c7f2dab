"""Fixtures of the applications tests: a published service with a form and documents, files, a frozen clock."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from pendopo.applications import actions
from pendopo.applications.forms import application_form_class
from pendopo.catalog.tests.factories import make_service, standard_data
from pendopo.notifications import senders
from pendopo.regions.models import District, Regency

WIB = ZoneInfo("Asia/Jakarta")
# A NIK registered in district 35.10.01, born 12 March 1990, a woman (day 12 + 40 = 52).
NIK = "3510015203900001"
NIK_MAN = "3510011203900002"


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


# Monday 2 February 2026, 09:00 WIB: an ordinary working week (no holiday until 16 February).
MONDAY = wib(2026, 2, 2, 9, 0)


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes(width: int = 1, height: int = 1, padding: int = 0) -> bytes:
    """A real PNG; `padding` adds an ancillary chunk to make it as large as needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    extra = chunk(b"tEXt", b"c\x00" + b"x" * padding) if padding else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def exe_bytes() -> bytes:
    """The start of a Windows executable (MZ header with a PE signature)."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 44
        + b"\x80\x00\x00\x00"
        + b"\x00" * 64
        + b"PE\x00\x00"
        + b"\x00" * 200
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.senders.LocmemSender"
    settings.PENDOPO_WHATSAPP_BACKEND = "pendopo.notifications.senders.LocmemSender"
    settings.PENDOPO_BASE_URL = "https://layanan.example.id"
    senders.sent.clear()
    cache.clear()  # the tracking page's cache lives in the test process's memory


@pytest.fixture
def frozen():
    """Freeze the clock at a moment and move it: `frozen(wib(2026, 2, 2, 9, 0))`."""
    travellers: list = []

    def freeze(moment: dt.datetime) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield freeze
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def district(world):
    """Load one district so that the NIK's district prefix is checked (35.10.01)."""
    return District.objects.get_or_create(
        code="35.10.01", defaults={"regency": Regency.objects.get(code="35.10"), "name": "Pesanggaran"}
    )[0]


def service_standard(**overrides):
    data = standard_data(
        requirements=[
            {"text": "Fotokopi Kartu Keluarga", "required": True, "is_document_upload": True},
            {"text": "Surat pengantar RT/RW", "required": False, "is_document_upload": True},
            {"text": "Datang sendiri", "required": True, "is_document_upload": False},
        ],
        time_limit_value=3,
    )
    data["form"]["fields"].append(
        {"key": "children", "type": "number", "label_id": "Jumlah anak", "label_en": "Children", "required": False}
    )
    data.update(overrides)
    return data


@pytest.fixture
def service(world, frozen):
    """KTP-EL of agency A1 in Banyuwangi: 3 working days, offered online, at the mall and at village offices."""
    frozen(wib(2026, 1, 5, 9, 0))
    made = make_service(
        world.head_a1,
        world.agency_a1,
        standard=service_standard(),
        channels=["online", "service_mall", "village_office"],
        effective_from=dt.date(2026, 1, 6),
    )
    frozen(MONDAY)
    return made


def form_data(**overrides):
    data = {
        "applicant-name": "Siti Rahayu",
        "applicant-email": "siti@example.id",
        "applicant-notify": "whatsapp",
        "nik": NIK,
        "phone": "0812 3456 7890",
        "reason": "new",
        "children": "2",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def files(**overrides):
    out = {"doc-1": upload("kk.pdf", pdf_bytes())}
    out.update(overrides)
    return {k: v for k, v in out.items() if v is not None}


def valid_form(service, *, data=None, uploads=None, places=None, user=None):
    standard = service.published_standard
    form = application_form_class(standard, places=places)(
        form_data() if data is None else data, files() if uploads is None else uploads, user=user
    )
    assert form.is_valid(), form.errors
    return form


@pytest.fixture
def apply(world, service):
    """Submit an online application of the citizen (returns the Application)."""

    def make(user=None, **overrides):
        form = valid_form(service, data=form_data(**overrides))
        return actions.submit_application(user or world.citizen, service, form.to_input())

    return make
