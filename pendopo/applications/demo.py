"""Demo applications for Banyuwangi (a `pendopo demo` step, after the catalogue's; idempotent).

A handful of applications of the demo citizen `warga` and two walk-ins at counter 1 of the MPP,
in every kind of state: just submitted, in verification, in processing, returned for revision
(the clock paused), awaiting approval, completed, rejected, and one received long enough ago
to be overdue. Running the demo again adds nothing: the step stops if demo applications exist.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from pendopo.lib import dates
from pendopo.regions.demo import register_demo_step

logger = logging.getLogger(__name__)

DEMO_EMAIL_DOMAIN = "demo.pendopo.id"
# NIKs registered in Kecamatan Pesanggaran (35.10.01), valid birth dates (women: day + 40).
PEOPLE = [
    ("Siti Rahayu", "3510015203900001", "081234500001"),
    ("Bambang Setiawan", "3510011508850002", "081234500002"),
    ("Dewi Lestari", "3510014711920003", "081234500003"),
    ("Agus Prasetyo", "3510010101800004", "081234500004"),
    ("Rina Marlina", "3510016506950005", "081234500005"),
    ("Joko Susilo", "3510012012780006", "081234500006"),
    ("Wulan Sari", "3510015509990007", "081234500007"),
    ("Hendra Gunawan", "3510010303880008", "081234500008"),
]
# (steps after receipt with who takes them, days ago it was received)
PLAN: list[tuple[list[tuple[str, str]], int, bool]] = [
    ([], 0, False),
    ([("receive", "officer")], 1, False),
    ([("receive", "officer"), ("verify", "officer")], 2, False),
    ([("receive", "officer"), ("return_for_revision", "officer")], 2, False),
    ([("receive", "officer"), ("verify", "officer"), ("submit_for_approval", "officer")], 3, False),
    ([("receive", "officer"), ("verify", "officer"), ("submit_for_approval", "officer"), ("approve", "head")], 4, False),
    ([("receive", "officer"), ("reject", "officer")], 3, True),
    ([], 12, True),
]
NOTES = {
    "return_for_revision": "Foto Kartu Keluarga tidak terbaca. Mohon unggah ulang dengan jelas.",
    "reject": "Pemohon bukan penduduk Kabupaten Banyuwangi.",
    "approve": "Dokumen dapat diambil di loket 1 MPP.",
}


def _demo_pdf(name: str) -> SimpleUploadedFile:
    """A one-page A4 PDF that says it is a demo document (so that the officer's preview shows a page)."""
    text = f"Dokumen contoh (demo Pendopo): {name}".encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    content, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(content))
        content += f"{number} 0 obj".encode() + body + b"endobj\n"
    xref = len(content)
    content += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    content += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    content += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _answer(spec: dict[str, Any], nik: str, phone: str) -> Any:
    kind = spec["type"]
    if kind == "nik":
        return nik
    if kind == "phone":
        return phone
    if kind == "choice":
        return spec["validation"]["choices"][0]["value"]
    if kind == "number":
        return max(1, int(spec.get("validation", {}).get("min", 1) or 1))
    if kind == "date":
        return "2026-01-15"
    if kind == "email":
        return f"demo@{DEMO_EMAIL_DOMAIN}"
    if kind == "village":
        return "35.10.01.2001"
    if kind == "file":
        return None
    return "Contoh isian"


def _input(standard: Any, person: tuple[str, str, str], email: str) -> Any:
    from pendopo.applications.forms import Applicant, ApplicationInput, Upload, requirement_slots
    from pendopo.applications.models import Document
    from pendopo.applications.uploads import check_upload

    name, nik, phone = person
    form_data: dict[str, Any] = {}
    protected: dict[str, str] = {}
    for spec in (standard.form or {}).get("fields", []):
        value = _answer(spec, nik, phone)
        if value is None:
            continue
        if spec["type"] in ("nik", "phone"):
            if spec["key"] not in ("nik", "phone"):
                protected[spec["key"]] = value
            continue
        form_data[spec["key"]] = value
    uploads = [
        Upload(Document.Kind.REQUIREMENT, slot.replace("doc-", "req-"), item["text"], check_upload(_demo_pdf(f"{slot}.pdf")))
        for slot, item in requirement_slots(standard)
        if item.get("required", True)
    ]
    return ApplicationInput(Applicant(name, email, nik, phone, "whatsapp"), form_data, protected, uploads)


def _mark_a_document_invalid(application: Any, officer: Any) -> None:
    """The returned application's first uploaded requirement is marked invalid, as the revision note says."""
    from pendopo.applications import actions
    from pendopo.applications.selectors import requirement_rows

    for row in requirement_rows(application):
        if row.document is not None:
            actions.check_requirement(application, row.slot, "invalid", officer, note="Foto tidak terbaca; unggah ulang.")
            return


def load_demo_applications() -> str | None:
    from pendopo.applications import actions
    from pendopo.applications.models import Application
    from pendopo.catalog.models import Service
    from pendopo.regions.models import Region, ServicePoint, User
    from pendopo.workflow.errors import WorkflowError

    region = Region.objects.filter(slug="banyuwangi").first()
    if region is None:
        return None
    if Application.objects.filter(region=region, applicant_email__endswith="@" + DEMO_EMAIL_DOMAIN).exists():
        return None
    services = list(
        Service.objects.filter(region=region, is_active=True, published_standard__isnull=False, agency__code="DISPENDUKCAPIL")
        .select_related("region__regency", "agency", "published_standard")
        .order_by("code")
    )
    online = [s for s in services if s.channel_online]
    users = {name: User.objects.filter(username=f"bwi.{name}").first() for name in ("petugas", "kepala", "loket")}
    citizen = User.objects.filter(username="warga").first()
    if not online or citizen is None or users["petugas"] is None or users["kepala"] is None:
        return None
    actors = {"officer": users["petugas"], "head": users["kepala"]}
    counter = ServicePoint.objects.filter(region=region, code="MPP-L01").first()
    now = dates.now()
    made = 0
    with transaction.atomic():
        for number, (steps, days_ago, walk_in) in enumerate(PLAN):
            service = online[number % len(online)]
            standard = service.published_standard
            person = PEOPLE[number % len(PEOPLE)]
            email = f"pemohon{number + 1}@{DEMO_EMAIL_DOMAIN}"
            received = now - dt.timedelta(days=days_ago)
            data = _input(standard, person, email)
            try:
                if walk_in and users["loket"] is not None and counter is not None and service.channel_service_mall:
                    data.service_point_id = counter.pk
                    application = actions.register_walk_in(users["loket"], service, data, received_at=received)
                else:
                    application = actions.submit_application(citizen, service, data, received_at=received)
                for action, who in steps:
                    if action == "return_for_revision":
                        _mark_a_document_invalid(application, actors[who])
                    actions.take_action(application, action, actors[who], note=NOTES.get(action, ""))
            except WorkflowError as exc:  # a region that changed the default workflow: keep what worked
                logger.warning("Demo application %s stopped at a step: %s", number + 1, exc.code)
            made += 1
    return f"Applications: {made} demo applications for {region.name} (log in as warga, bwi.petugas or bwi.kepala)."


register_demo_step(60, "applications", load_demo_applications)
