"""The stages of a cooperation agreement as a data-defined workflow (reference §7, practice).

persiapan → penawaran → penyusunan KB → penandatanganan KB → penyusunan PKS → persetujuan DPRD
(when required) → penandatanganan PKS → pelaksanaan → pelaporan dan monev → berakhir or
perpanjangan; a memorandum with the central government goes penawaran → penyusunan NK →
penandatanganan NK → pelaksanaan. The engine checks roles and states; `actions.py` adds the
rules of each stage (the documents it needs, the council gate).
"""

from __future__ import annotations

from typing import Any

WORKFLOW_CODE = "kerja-sama"
WORKFLOW_NAME = "Tahapan kerja sama daerah"

STAFF = ["officer", "head", "region_admin"]
LEADERS = ["head", "region_admin"]


def _state(key: str, label_id: str, label_en: str, days: int | None = 250, **extra: Any) -> dict[str, Any]:
    state: dict[str, Any] = {"key": key, "label_id": label_id, "label_en": label_en, **extra}
    if days is not None:
        state["time_limit"] = {"value": days, "unit": "working_days"}
    return state


def _action(key: str, label_id: str, label_en: str, sources: list[str], to: str, roles: list[str], **extra: Any) -> dict:
    return {"key": key, "label_id": label_id, "label_en": label_en, "from": sources, "to": to, "roles": roles, **extra}


OPEN_BEFORE_IMPLEMENTATION = [
    "persiapan",
    "penawaran",
    "penyusunan_kb",
    "penandatanganan_kb",
    "penyusunan_pks",
    "persetujuan_dprd",
    "penandatanganan_pks",
    "penyusunan_nk",
    "penandatanganan_nk",
]


def agreement_workflow() -> dict[str, Any]:
    return {
        "states": [
            _state("persiapan", "Persiapan", "Preparation", kind="start"),
            _state("penawaran", "Penawaran", "Offer"),
            _state("penyusunan_kb", "Penyusunan KB", "Drafting the joint agreement"),
            _state("penandatanganan_kb", "Penandatanganan KB", "Signature of the joint agreement"),
            _state("penyusunan_pks", "Penyusunan PKS", "Drafting the cooperation agreement"),
            _state("persetujuan_dprd", "Persetujuan DPRD", "Council approval"),
            _state("penandatanganan_pks", "Penandatanganan PKS", "Signature of the cooperation agreement"),
            _state("penyusunan_nk", "Penyusunan Nota Kesepakatan", "Drafting the memorandum"),
            _state("penandatanganan_nk", "Penandatanganan Nota Kesepakatan", "Signature of the memorandum"),
            _state("pelaksanaan", "Pelaksanaan", "Implementation", days=1300),
            _state("pelaporan", "Pelaporan dan monev", "Reporting and evaluation", days=60),
            _state("berakhir", "Berakhir", "Ended", days=None, kind="terminal", outcome="completed"),
            _state("diperpanjang", "Diperpanjang", "Extended", days=None, kind="terminal", outcome="completed"),
            _state("batal", "Batal", "Cancelled", days=None, kind="terminal", outcome="withdrawn"),
        ],
        "actions": [
            _action("offer", "Kirim surat penawaran", "Send the offer letter", ["persiapan"], "penawaran", STAFF),
            _action("draft_kb", "Susun KB", "Draft the joint agreement", ["penawaran"], "penyusunan_kb", STAFF),
            _action("to_kb_signature", "Ajukan tanda tangan KB", "To signature", ["penyusunan_kb"], "penandatanganan_kb", STAFF),
            _action("draft_pks", "Susun PKS", "Draft the cooperation agreement", ["penandatanganan_kb"], "penyusunan_pks", STAFF),
            _action("to_council", "Ajukan ke DPRD", "Submit to the council", ["penyusunan_pks"], "persetujuan_dprd", STAFF),
            _action(
                "to_pks_signature",
                "Ajukan tanda tangan PKS",
                "To signature",
                ["penyusunan_pks", "persetujuan_dprd"],
                "penandatanganan_pks",
                STAFF,
            ),
            _action("draft_nk", "Susun Nota Kesepakatan", "Draft the memorandum", ["penawaran"], "penyusunan_nk", STAFF),
            _action("to_nk_signature", "Ajukan tanda tangan NK", "To signature", ["penyusunan_nk"], "penandatanganan_nk", STAFF),
            _action(
                "implement",
                "Mulai pelaksanaan",
                "Start implementation",
                ["penandatanganan_pks", "penandatanganan_nk"],
                "pelaksanaan",
                LEADERS,
            ),
            _action("report", "Pelaporan dan monev", "Report and evaluate", ["pelaksanaan"], "pelaporan", STAFF),
            _action("resume", "Lanjutkan pelaksanaan", "Resume implementation", ["pelaporan"], "pelaksanaan", STAFF),
            _action("end", "Akhiri", "End", ["pelaksanaan", "pelaporan"], "berakhir", LEADERS, requires_note=True),
            _action("extend", "Perpanjang", "Extend", ["pelaksanaan", "pelaporan"], "diperpanjang", LEADERS),
            _action("cancel", "Batalkan", "Cancel", OPEN_BEFORE_IMPLEMENTATION, "batal", LEADERS, requires_note=True),
        ],
        "escalation": [],
    }
