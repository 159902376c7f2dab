"""Demo cooperation data (a `pendopo demo` step after every other app's; idempotent).

The seed's own event: Mamuju Tengah's delegation in Banyuwangi on 8–9 March 2022 (reference
§8) — the request, the host's agenda, the participants, six lessons, eight commitments in
several states (two adopted, their results measured on the copied services' survey answers),
and the cooperation on human-resource development in implementation with one evaluation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from pendopo.lib import dates
from pendopo.regions.demo import register_demo_step
from pendopo.regions.models import Membership, Region, Role

VISIT_DAY = dt.date(2022, 3, 8)

AGENDA = [
    (VISIT_DAY, (9, 0), (10, 0), "reception", "Penyambutan di Pendopo Sabha Swagata Blambangan", None, None, "Bupati dan Sekda"),
    (VISIT_DAY, (10, 30), (12, 30), "site", "Mal Pelayanan Publik Banyuwangi", "MPP", "DPMPTSP", "Kepala DPMPTSP"),
    (VISIT_DAY, (13, 30), (15, 30), "site", "Pelayanan di kantor desa (Smart Kampung)", "DESA", "DPMD", "Kepala DPMD"),
    (
        VISIT_DAY + dt.timedelta(days=1),
        (8, 30),
        (11, 30),
        "meeting",
        "Diskusi tata kelola inovasi daerah",
        None,
        "BAGORG",
        "Bagian Organisasi",
    ),
    (
        VISIT_DAY + dt.timedelta(days=1),
        (13, 0),
        (15, 0),
        "meeting",
        "Pengembangan SDM aparatur dan pariwisata",
        None,
        "DISKOMINFO",
        "Asisten Administrasi Umum",
    ),
]
PARTICIPANTS = [
    ("Aras Tammauni", "Bupati Mamuju Tengah", False),
    ("Askari", "Sekretaris Daerah", False),
    ("Arsal Aras Tammauni", "Ketua DPRD", True),
    ("Anggota Komisi I DPRD", "Anggota DPRD", True),
    ("Asisten Pemerintahan dan Kesra", "Asisten I", False),
    ("Kepala Disdukcapil", "Kepala Dinas", False),
    ("Kepala DPMPTSP", "Kepala Dinas", False),
]
TOPICS = ["Tata kelola pelayanan publik", "Inovasi daerah", "Pengembangan SDM dan pariwisata"]
# (topic index, title, what was learnt, host service code or None, host place code or None)
LESSONS = [
    (
        0,
        "Semua layanan di satu gedung",
        "MPP menyatukan loket perangkat daerah, bank dan instansi vertikal; warga cukup datang sekali.",
        None,
        "MPP",
    ),
    (
        0,
        "Antrean dengan nomor dan target waktu tunggu",
        "Nomor antrean per loket dengan target waktu tunggu yang diumumkan dan dipantau.",
        None,
        "MPP",
    ),
    (
        0,
        "Akta kelahiran langsung dari fasilitas kesehatan",
        "Akta lahir, KK dan KIA terbit sebelum ibu dan bayi pulang.",
        "AKTA-LAHIR",
        None,
    ),
    (
        0,
        "Standar pelayanan yang diumumkan",
        "Setiap layanan memasang persyaratan, waktu dan biaya; survei kepuasan dijalankan di loket.",
        "KIA",
        None,
    ),
    (
        1,
        "Inovasi lahir dari perangkat daerah",
        "Setiap perangkat daerah wajib mengusulkan inovasi tiap tahun, dinilai tim inovasi dengan bukti.",
        None,
        None,
    ),
    (
        2,
        "Kerja sama pengembangan SDM",
        "Magang aparatur di perangkat daerah Banyuwangi, dijajaki juga untuk sektor pariwisata.",
        None,
        None,
    ),
]
# (title, kind, owner code, priority, stage, due, state, service code, note)
COMMITMENTS = [
    (
        "Salin layanan akta kelahiran Banyuwangi",
        "service",
        "DISDUKCAPIL",
        1,
        "2022-Q3",
        dt.date(2022, 9, 30),
        "adopted",
        "AKTA-LAHIR",
        "ikm",
    ),
    (
        "Salin layanan Kartu Identitas Anak",
        "service",
        "DISDUKCAPIL",
        1,
        "2022-Q4",
        dt.date(2022, 12, 31),
        "adopted",
        "KIA",
        "ikm",
    ),
    ("Bangun Mal Pelayanan Publik", "other", "DPMPTSP", 1, "2023", dt.date(2023, 12, 31), "in_progress", None, ""),
    ("Antrean bernomor di MPP", "queue", "DPMPTSP", 2, "2023", dt.date(2023, 12, 31), "planned", None, ""),
    ("Survei kepuasan di setiap loket", "survey", "DISKOMINFO", 2, "2023-Q2", dt.date(2023, 6, 30), "in_progress", None, ""),
    ("Replikasi inovasi pelayanan di desa", "innovation", "DPMD", 2, "2024", dt.date(2024, 12, 31), "proposed", None, ""),
    ("Perizinan NIB satu pintu", "service", "DPMPTSP", 3, "2024", dt.date(2024, 6, 30), "planned", "NIB", ""),
    ("Aplikasi pariwisata daerah", "other", "DISKOMINFO", 3, "2024", dt.date(2024, 12, 31), "dropped", None, ""),
]


def _admin(region: Region):
    membership = Membership.objects.filter(region=region, role=Role.REGION_ADMIN, is_active=True).select_related("user").first()
    return membership.user if membership else None


def load_demo_cooperation() -> str | None:
    from pendopo.catalog.models import Service
    from pendopo.cooperation import actions
    from pendopo.cooperation.models import Capacity, DocumentKind, Visit
    from pendopo.regions.models import Agency, ServicePoint

    host = Region.objects.filter(slug="banyuwangi").select_related("regency").first()
    visitor = Region.objects.filter(slug="mamuju-tengah").select_related("regency").first()
    if host is None or visitor is None:
        return None
    if Visit.objects.filter(host=host, visitor=visitor, starts_on=VISIT_DAY).exists():
        return None
    host_admin, visitor_admin = _admin(host), _admin(visitor)
    if host_admin is None or visitor_admin is None:
        return None
    host_agencies = {a.code: a for a in Agency.objects.filter(region=host)}
    own_agencies = {a.code: a for a in Agency.objects.filter(region=visitor)}
    points = {p.code: p for p in ServicePoint.objects.filter(region=host)}
    village = next((p for code, p in sorted(points.items()) if code.startswith("DESA-")), None)
    host_services = {s.code: s for s in Service.objects.filter(region=host, published_standard__isnull=False)}
    own_services = {s.source_service_code or s.code: s for s in Service.objects.filter(region=visitor)}
    today = dates.today(visitor.time_zone)
    with transaction.atomic():
        visit = actions.request_visit(
            visitor_admin,
            visitor,
            host,
            purpose="Mempelajari tata kelola pelayanan publik dan bagaimana Banyuwangi bisa menelurkan banyak inovasi; "
            "menjajaki peluang kerja sama untuk pengembangan SDM maupun sektor lainnya seperti pariwisata.",
            starts_on=VISIT_DAY,
            ends_on=VISIT_DAY + dt.timedelta(days=1),
            delegation="\n".join(f"{name} ({position})" for name, position, _council in PARTICIPANTS),
            topics=TOPICS,
            places="Mal Pelayanan Publik\nKantor desa\nPerangkat daerah penggagas inovasi",
        )
        agenda = []
        for day, starts, ends, kind, title, place, agency, hosts in AGENDA:
            point = village if place == "DESA" else points.get(place or "")
            agenda.append(
                {
                    "day": day,
                    "starts_at": dt.time(*starts),
                    "ends_at": dt.time(*ends),
                    "kind": kind,
                    "title": title,
                    "service_point": point,
                    "agency": host_agencies.get(agency or ""),
                    "hosts": hosts,
                }
            )
        actions.schedule_visit(host_admin, visit, agenda, note="Rombongan diterima Bupati Banyuwangi.")
        actions.record_held(visitor_admin, visit)
        for name, position, council in PARTICIPANTS:
            actions.add_participant(visitor_admin, visit, name=name, position=position, is_council_member=council)
        topics = list(visit.topics.order_by("order"))
        for topic, title, learnt, service, place in LESSONS:
            actions.add_lesson(
                visitor_admin,
                visit,
                title=title,
                learnt=learnt,
                topic=topics[topic],
                service=host_services.get(service or ""),
                service_point=points.get(place or ""),
            )
        hr = own_agencies.get("DISKOMINFO") or next(iter(own_agencies.values()))
        agreement = actions.create_agreement(
            visitor_admin,
            visitor,
            agency=hr,
            title="Kerja sama pengembangan sumber daya manusia aparatur",
            partner_region=host,
            affair="Pengembangan SDM aparatur; pariwisata",
            objective="Magang dan pendampingan aparatur Mamuju Tengah di perangkat daerah Banyuwangi.",
            visit=visit,
        )
        head: dict[str, Any] = {"signatory_name": "H. Aras Tammauni", "capacity": Capacity.REGIONAL_HEAD}
        actions.record_document(
            visitor_admin, agreement, kind=DocumentKind.OFFER, number="415.4/031/III/2022", signed_on=dt.date(2022, 3, 21), **head
        )
        for step in ("offer", "draft_kb", "to_kb_signature"):
            agreement = actions.advance(visitor_admin, agreement, step)
        actions.record_document(
            visitor_admin,
            agreement,
            kind=DocumentKind.KB,
            number="119/07/KB/2022",
            signed_on=dt.date(2022, 5, 10),
            partner_signatory="Bupati Banyuwangi",
            **head,
        )
        for step in ("draft_pks", "to_pks_signature"):
            agreement = actions.advance(visitor_admin, agreement, step)
        actions.record_document(
            visitor_admin,
            agreement,
            kind=DocumentKind.PKS,
            number="119/12/PKS/2022",
            signed_on=dt.date(2022, 6, 20),
            signatory_name="Askari",
            capacity=Capacity.KUASA,
            kuasa_number="800/045/VI/2022",
            partner_signatory="Sekretaris Daerah Kabupaten Banyuwangi",
            effective_on=dt.date(2022, 7, 1),
            ends_on=dt.date(2027, 6, 30),
        )
        agreement = actions.advance(visitor_admin, agreement, "implement")
        actions.record_evaluation(
            visitor_admin,
            agreement,
            held_on=dt.date(2022, 12, 15),
            findings="Dua belas aparatur selesai magang di MPP dan Dispendukcapil Banyuwangi; hasilnya dipakai menyiapkan MPP.",
            document_number="700/88/XII/2022",
        )
        adopted = 0
        for title, kind, owner, priority, stage, due, state, service_code, metric in COMMITMENTS:
            adopted_service = own_services.get(service_code or "")
            if state == "adopted":  # adopted half a year ago, so that its result covers the survey answers since
                adopted_on = today - dt.timedelta(days=183)
                stage, due = f"{adopted_on.year}-Q{(adopted_on.month - 1) // 3 + 1}", adopted_on
            commitment = actions.create_commitment(
                visitor_admin,
                visitor,
                title=title,
                kind=kind,
                owner=own_agencies.get(owner) or hr,
                priority=priority,
                stage=stage,
                due_on=due,
                visit=visit,
                agreement=agreement if kind == "other" and owner == "DISKOMINFO" else None,
                service=adopted_service,
                result_metric=metric if adopted_service is not None else "",
            )
            path = {"planned": ["planned"], "in_progress": ["planned", "in_progress"], "adopted": ["planned", "in_progress"]}
            for move in path.get(state, []):
                actions.move_commitment(visitor_admin, commitment, move)
            if state == "adopted":
                actions.move_commitment(
                    visitor_admin,
                    commitment,
                    "adopted",
                    evidence="Peraturan Bupati tentang standar pelayanan, salinan dari Banyuwangi",
                    adopted_on=adopted_on,
                )
                adopted += 1
            if state == "dropped":
                actions.move_commitment(
                    visitor_admin,
                    commitment,
                    "dropped",
                    reason="Sudah tersedia aplikasi pariwisata provinsi; tidak dibuat sendiri.",
                )
    return (
        f"cooperation: the visit of {visitor.name} to {host.name} (8–9 March 2022) with {len(LESSONS)} lessons, "
        f"{len(COMMITMENTS)} commitments ({adopted} adopted) and the agreement {agreement.code} in implementation."
    )


register_demo_step(90, "cooperation", load_demo_cooperation)


def load_demo_price_cooperation() -> str | None:
    """Mamuju Tengah's price team brings shallots in from Banyuwangi under the demo agreement
    (after both the prices and the cooperation steps)."""
    from pendopo.cooperation.models import Agreement, AgreementIntervention
    from pendopo.prices import actions as price_actions
    from pendopo.prices.models import Commodity, Intervention

    agreement = (
        Agreement.objects.filter(region__slug="mamuju-tengah", partner_region__slug="banyuwangi")
        .select_related("region", "case")
        .order_by("created_at")
        .first()
    )
    commodity = Commodity.objects.filter(code="bawang-merah").first()
    team = Membership.objects.filter(region__slug="mamuju-tengah", role=Role.HEAD, user__username="mtg.tpid").first()
    if (
        agreement is None
        or commodity is None
        or team is None
        or AgreementIntervention.objects.filter(agreement=agreement).exists()
    ):
        return None
    region = agreement.region
    intervention = Intervention(
        kind=Intervention.Kind.COOPERATION,
        date=dates.today(region.time_zone) - dt.timedelta(days=10),
        place="Pasar Tobadak",
        commodity=commodity,
        quantity="3 ton",
        partner="Kabupaten Banyuwangi",
        note="Pasokan bawang merah dari sentra Banyuwangi saat harga di Mamuju Tengah naik.",
    )
    price_actions.record_intervention(team.user, region, intervention, agreement=agreement.code)
    return f"cooperation: a shallot supply from Banyuwangi recorded under the agreement {agreement.code}."


register_demo_step(95, "cooperation-prices", load_demo_price_cooperation)
