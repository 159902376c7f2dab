"""Builders of services and standards for tests (through the actions, as real users would)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pendopo.catalog import actions
from pendopo.catalog.models import Service, ServiceStandard
from pendopo.regions.models import Agency, User


def standard_data(**overrides: Any) -> dict[str, Any]:
    """A complete standard: every one of the 14 components, the decree, a small form."""
    data: dict[str, Any] = {
        "decree_number": "188/123/KEP/429.011/2026",
        "decree_date": dt.date(2026, 1, 5),
        "requirements": [
            {"text": "Fotokopi Kartu Keluarga", "required": True, "is_document_upload": True},
            {"text": "Surat pengantar RT/RW", "required": False, "is_document_upload": True},
        ],
        "procedure": "1. Pemohon mengisi formulir.\n2. Petugas memverifikasi berkas.\n3. Dokumen diterbitkan.",
        "time_limit_value": 3,
        "time_limit_unit": "working_days",
        "fee": 0,
        "fee_basis": "Undang-Undang Nomor 24 Tahun 2013",
        "product": "Kartu Tanda Penduduk Elektronik",
        "complaint_handling": "SP4N-LAPOR!, kotak pengaduan, WhatsApp 0811 0000 000",
        "legal_basis": "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "facilities": "Ruang tunggu, loket, komputer, printer",
        "officer_competence": "Memahami administrasi kependudukan",
        "internal_supervision": "Atasan langsung dan Inspektorat",
        "officer_count": 4,
        "service_guarantee": "Pelayanan sesuai standar",
        "security_guarantee": "Data pemohon dijaga kerahasiaannya",
        "performance_evaluation": "Evaluasi setiap 6 bulan",
        "form": {
            "fields": [
                {"key": "nik", "type": "nik", "label_id": "NIK", "label_en": "NIK", "required": True},
                {"key": "phone", "type": "phone", "label_id": "Nomor HP", "label_en": "Mobile number", "required": True},
                {
                    "key": "reason",
                    "type": "choice",
                    "label_id": "Alasan",
                    "label_en": "Reason",
                    "required": True,
                    "validation": {
                        "choices": [
                            {"value": "new", "label_id": "Baru", "label_en": "New"},
                            {"value": "lost", "label_id": "Hilang", "label_en": "Lost"},
                        ]
                    },
                },
            ]
        },
    }
    data.update(overrides)
    return data


def make_service(
    actor: User,
    agency: Agency,
    code: str = "KTP-EL",
    name: str = "Penerbitan KTP Elektronik",
    *,
    publish: bool = True,
    publisher: User | None = None,
    effective_from: dt.date | None = dt.date(2026, 1, 6),
    standard: dict[str, Any] | None = None,
    **fields: Any,
) -> Service:
    fields.setdefault("category", "civil_registration")
    fields.setdefault("keywords", "ktp, kartu tanda penduduk, identitas")
    fields.setdefault("channels", ["online", "service_mall"])
    service = actions.create_service(
        actor, agency.region, agency=agency, code=code, name=name, standard=standard or standard_data(), **fields
    )
    if publish:
        draft = service.standards.get()
        actions.publish_standard(publisher or actor, draft, effective_from=effective_from)
        service.refresh_from_db()
    return service


def draft_of(service: Service) -> ServiceStandard:
    return service.standards.get(status="draft")
