"""Demo innovations (a `pendopo demo` step after the catalogue's; idempotent: nothing is added twice).

Banyuwangi reports 30 innovations for the 2026 index — the ones the reference names (Lahir
Procot Pulang Bawa Akta, Smart Kampung, Rantang Kasih, Siswa Asuh Sebaya, Banyuwangi Tanggap
Stunting, Garda Ampuh) and others of the regency's well-known programmes; their texts, figures and
document numbers are illustrative. 25 are verified (two with a row the team rejected, one verified
but implemented before the period's window, so it is left out of the verified index with its
reason), two are submitted and waiting, one was returned for revision and two are drafts. The
region's SPD rows are filled and accepted. Mamuju Tengah reports 5: three of its own and two
replicated from Banyuwangi (Lahir Procot Pulang Bawa Akta and Rantang Kasih) with the three KIPP
aspects and a cooperation agreement; four are verified, so Banyuwangi's two originals score row 31.

Speed: the innovations and their rows are written with `bulk_create` (about 600 rows), submission
and verification through the actions and the workflow engine; about 3 s on a loaded SQLite machine.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from pendopo.catalog.models import Service
from pendopo.innovations import actions, catalogue
from pendopo.innovations.catalogue import SID, SPD
from pendopo.innovations.models import Affair, Event, Form, Initiator, Innovation, Kind, Score, Stage, Theme, Verdict
from pendopo.lib import codes
from pendopo.regions.demo import register_demo_step
from pendopo.regions.models import Agency, Membership, Region, Role, User

YEAR = 2026
D = dt.date

# Agencies the innovations need that the regions' own demo does not have (heads: illustrative names).
EXTRA_AGENCIES = {
    "banyuwangi": [
        ("DISPENDIK", "Dinas Pendidikan", "Dispendik", "Dr. Suratno, M.Pd."),
        ("SATPOLPP", "Satuan Polisi Pamong Praja", "Satpol PP", "Drs. Heru Wahyudi, M.Si."),
    ],
}


@dataclass(frozen=True)
class Spec:
    name: str
    agency: str
    affair: str
    goal: str
    implemented: dt.date
    form: str = Form.PUBLIC_SERVICE
    kind: str = Kind.DIGITAL
    theme: str = Theme.NONE
    initiator: str = Initiator.AGENCY
    developed: dt.date | None = None
    beneficiaries: int = 650
    budget: int = 150_000_000
    state: str = "verified"  # verified | submitted | returned | draft
    rejected: tuple[str, ...] = ()  # rows the team rejects
    levels: dict[str, int] = field(default_factory=dict)  # overrides of the computed levels
    services: tuple[str, ...] = ()


BANYUWANGI = [
    Spec(
        "Lahir Procot Pulang Bawa Akta",
        "DISPENDUKCAPIL",
        Affair.CIVIL_REGISTRY,
        "Akta kelahiran, kartu keluarga dan KIA terbit sebelum ibu dan bayi pulang dari fasilitas kesehatan.",
        D(2024, 2, 5),
        theme=Theme.DIGITAL_SERVICES,
        beneficiaries=14_200,
        services=("AKTA-LAHIR",),
    ),
    Spec(
        "Smart Kampung",
        "DISKOMINFO",
        Affair.COMMUNICATION,
        "Layanan administrasi, informasi dan ekonomi desa terhubung jaringan internet di setiap desa.",
        D(2016, 3, 1),
        developed=D(2025, 2, 10),
        form=Form.GOVERNANCE,
        theme=Theme.DIGITAL_SERVICES,
        initiator=Initiator.REGIONAL_HEAD,
        beneficiaries=52_000,
        levels={"16": 3, "30": 3},
    ),
    Spec(
        "Rantang Kasih",
        "DINSOS",
        Affair.SOCIAL,
        "Makanan bergizi setiap hari diantar ke rumah lansia miskin yang hidup sebatang kara.",
        D(2024, 1, 15),
        kind=Kind.NON_DIGITAL,
        theme=Theme.POVERTY,
        beneficiaries=3_400,
    ),
    Spec(
        "Siswa Asuh Sebaya",
        "DISPENDIK",
        Affair.EDUCATION,
        "Siswa yang mampu membantu biaya dan perlengkapan sekolah teman sebaya yang kurang mampu.",
        D(2024, 7, 15),
        kind=Kind.NON_DIGITAL,
        theme=Theme.POVERTY,
        beneficiaries=9_800,
    ),
    Spec(
        "Banyuwangi Tanggap Stunting",
        "DINKES",
        Affair.HEALTH,
        "Pendampingan ibu hamil dan balita berisiko stunting dari desa sampai puskesmas.",
        D(2024, 3, 4),
        theme=Theme.PRESIDENTIAL,
        beneficiaries=6_100,
    ),
    Spec(
        "Garda Ampuh",
        "DISPENDIK",
        Affair.EDUCATION,
        "Gerakan daerah angkat anak muda putus sekolah kembali ke bangku sekolah atau kejar paket.",
        D(2024, 9, 2),
        kind=Kind.NON_DIGITAL,
        theme=Theme.POVERTY,
        beneficiaries=1_250,
    ),
    Spec(
        "Mal Pelayanan Publik Desa",
        "DPMPTSP",
        Affair.INVESTMENT,
        "Perizinan dan layanan dokumen dapat diurus di kantor desa tanpa ke kota.",
        D(2024, 4, 22),
        theme=Theme.INVESTMENT,
        beneficiaries=8_300,
    ),
    Spec(
        "Bunga Desa (Bupati Ngantor di Desa)",
        "BAGORG",
        Affair.GOVERNANCE,
        "Bupati dan kepala perangkat daerah berkantor di desa untuk melayani keluhan warga langsung.",
        D(2016, 5, 9),
        form=Form.GOVERNANCE,
        kind=Kind.NON_DIGITAL,
        initiator=Initiator.REGIONAL_HEAD,
        beneficiaries=4_000,
    ),
    Spec(
        "Jemput Bola Perekaman KTP-el",
        "DISPENDUKCAPIL",
        Affair.CIVIL_REGISTRY,
        "Perekaman KTP-el di sekolah, pondok pesantren dan rumah warga lansia atau disabilitas.",
        D(2024, 8, 1),
        beneficiaries=11_500,
        rejected=("19",),
    ),
    Spec(
        "e-Village Budgeting",
        "DPMD",
        Affair.VILLAGES,
        "Perencanaan dan penganggaran desa secara daring yang dapat dipantau warga.",
        D(2024, 2, 19),
        form=Form.GOVERNANCE,
        theme=Theme.DIGITAL_SERVICES,
        beneficiaries=189,
    ),
    Spec(
        "Warung Naik Kelas",
        "DISKOPUMP",
        Affair.SMALL_BUSINESS,
        "Pendampingan dan pembiayaan warung tradisional agar mampu bersaing dengan toko modern.",
        D(2024, 5, 13),
        kind=Kind.NON_DIGITAL,
        theme=Theme.POVERTY,
        beneficiaries=2_100,
    ),
    Spec(
        "Sabuk Mas (Sayangi Ibu Hamil dan Balita)",
        "DINKES",
        Affair.HEALTH,
        "Kelompok masyarakat mendampingi ibu hamil risiko tinggi sampai persalinan.",
        D(2024, 10, 7),
        kind=Kind.NON_DIGITAL,
        beneficiaries=2_900,
    ),
    Spec(
        "Ojek Sekolah Gratis",
        "DISHUB",
        Affair.TRANSPORT,
        "Antar jemput gratis bagi siswa di daerah tanpa angkutan umum.",
        D(2025, 1, 13),
        kind=Kind.NON_DIGITAL,
        beneficiaries=1_700,
    ),
    Spec(
        "Bedah Rumah Bersama Masyarakat",
        "DPUCKPP",
        Affair.HOUSING,
        "Perbaikan rumah tidak layak huni dengan gotong royong warga dan dunia usaha.",
        D(2024, 6, 3),
        kind=Kind.NON_DIGITAL,
        theme=Theme.POVERTY,
        beneficiaries=720,
    ),
    Spec(
        "Jalan Mulus Desa (Jamu Desa)",
        "DPUCKPP",
        Affair.PUBLIC_WORKS,
        "Pelaporan jalan rusak oleh warga dengan foto dan lokasi, ditindaklanjuti dalam 14 hari.",
        D(2024, 11, 4),
        beneficiaries=5_400,
    ),
    Spec(
        "Satpol PP Sahabat Warga",
        "SATPOLPP",
        Affair.PUBLIC_ORDER,
        "Patroli dialogis dan penanganan gangguan ketertiban lewat aduan daring.",
        D(2025, 2, 3),
        beneficiaries=3_100,
    ),
    Spec(
        "Pajak Daerah Online (e-Pajak)",
        "BAPENDA",
        Affair.GOVERNANCE,
        "Pendaftaran, pelaporan dan pembayaran pajak daerah secara daring.",
        D(2024, 3, 18),
        form=Form.GOVERNANCE,
        theme=Theme.DIGITAL_SERVICES,
        beneficiaries=15_300,
        rejected=("21",),
    ),
    Spec(
        "Banyuwangi Bersih Sampah (Bank Sampah Digital)",
        "DLH",
        Affair.ENVIRONMENT,
        "Warga menabung sampah terpilah dan menerima saldo yang dapat dibayarkan untuk layanan.",
        D(2024, 9, 16),
        beneficiaries=4_800,
    ),
    Spec(
        "Kampung KB Tangguh",
        "DINSOS",
        Affair.FAMILY_PLANNING,
        "Layanan keluarga berencana dan ketahanan keluarga terpadu di kampung percontohan.",
        D(2024, 4, 8),
        kind=Kind.NON_DIGITAL,
        beneficiaries=2_400,
    ),
    Spec(
        "Layanan Kesehatan Pesan Antar (Dokter Datang)",
        "DINKES",
        Affair.HEALTH,
        "Dokter dan perawat puskesmas datang ke rumah warga lansia dan disabilitas yang memesan lewat telepon.",
        D(2024, 12, 2),
        beneficiaries=1_900,
    ),
    Spec(
        "Sekolah Siaga Bencana",
        "DISPENDIK",
        Affair.EDUCATION,
        "Kurikulum dan latihan evakuasi bencana rutin di sekolah rawan gempa dan tsunami.",
        D(2025, 3, 10),
        kind=Kind.NON_DIGITAL,
        beneficiaries=7_600,
    ),
    Spec(
        "Pasar Rakyat Sehat",
        "DISKOPUMP",
        Affair.TRADE,
        "Penataan pasar tradisional yang bersih, tertib dan ramah pembeli dengan timbangan tera ulang.",
        D(2024, 7, 1),
        kind=Kind.NON_DIGITAL,
        beneficiaries=3_900,
    ),
    Spec(
        "Surat Keterangan Usaha dari Rumah",
        "DPMD",
        Affair.VILLAGES,
        "Surat keterangan usaha dari desa diajukan daring dan ditandatangani secara elektronik.",
        D(2025, 4, 14),
        theme=Theme.INVESTMENT,
        beneficiaries=2_600,
        services=("SKU",),
    ),
    Spec(
        "Banyuwangi Siaga Kebakaran 24 Jam",
        "SATPOLPP",
        Affair.PUBLIC_ORDER,
        "Pos pemadam kebakaran kecamatan dengan panggilan darurat satu nomor.",
        D(2024, 5, 27),
        beneficiaries=900,
    ),
    Spec(
        "Beasiswa Banyuwangi Cerdas",
        "DISPENDIK",
        Affair.EDUCATION,
        "Beasiswa kuliah bagi lulusan SMA dari keluarga miskin dengan ikatan kembali membangun desa.",
        D(2024, 8, 19),
        theme=Theme.POVERTY,
        beneficiaries=1_100,
    ),
    # Waiting for the team.
    Spec(
        "Perizinan Usaha dalam Satu Jam",
        "DPMPTSP",
        Affair.INVESTMENT,
        "Nomor induk berusaha dan izin usaha mikro terbit dalam satu jam di mal pelayanan publik.",
        D(2025, 5, 5),
        theme=Theme.INVESTMENT,
        state="submitted",
        services=("NIB",),
    ),
    Spec(
        "Posyandu Lansia Digital",
        "DINKES",
        Affair.HEALTH,
        "Pencatatan kesehatan lansia di posyandu dengan kartu digital dan pengingat jadwal.",
        D(2025, 6, 9),
        state="submitted",
    ),
    # Returned for revision, and drafts still being filled in.
    Spec(
        "Kartu Disabilitas Terpadu",
        "DINSOS",
        Affair.SOCIAL,
        "Satu kartu bagi penyandang disabilitas untuk bantuan sosial, kesehatan dan transportasi.",
        D(2025, 7, 7),
        state="returned",
        rejected=("33",),
    ),
    Spec(
        "Uji KIR Keliling",
        "DISHUB",
        Affair.TRANSPORT,
        "Pengujian kendaraan bermotor keliling ke kecamatan yang jauh dari tempat uji.",
        D(2025, 8, 4),
        state="draft",
        services=("UJI-KIR",),
    ),
    Spec(
        "Ruang Terbuka Hijau Ramah Anak",
        "DLH",
        Affair.ENVIRONMENT,
        "Taman kota dengan permainan anak dan ruang baca yang dikelola bersama warga.",
        D(2025, 9, 1),
        kind=Kind.NON_DIGITAL,
        state="draft",
    ),
]

MAMUJU_TENGAH = [
    Spec(
        "Sipakatau Desa Sehat",
        "DINKES",
        Affair.HEALTH,
        "Kader desa mendampingi keluarga dengan balita gizi kurang sampai pulih.",
        D(2024, 9, 9),
        kind=Kind.NON_DIGITAL,
        beneficiaries=840,
    ),
    Spec(
        "Izin Usaha Mikro Keliling",
        "DPMPTSP",
        Affair.INVESTMENT,
        "Petugas perizinan berkeliling ke pasar desa menerbitkan izin usaha mikro di tempat.",
        D(2025, 2, 17),
        theme=Theme.INVESTMENT,
        beneficiaries=430,
    ),
    Spec(
        "Sekolah Lapang Desa Membangun",
        "DPMD",
        Affair.VILLAGES,
        "Pelatihan perencanaan desa bagi aparat dan warga dengan praktik langsung di desa.",
        D(2025, 5, 12),
        kind=Kind.NON_DIGITAL,
        beneficiaries=260,
        state="submitted",
    ),
]

# Mamuju Tengah adopts these two Banyuwangi innovations (adopting agency, the KIPP aspects).
REPLICATIONS = [
    (
        "Lahir Procot Pulang Bawa Akta",
        "DISDUKCAPIL",
        "Kunjungan belajar ke Dispendukcapil Banyuwangi: akta kelahiran terbit sebelum ibu pulang dari rumah sakit.",
        "Perjanjian kerja sama, pelatihan petugas rumah sakit dan puskesmas oleh tim Banyuwangi, uji coba di RSUD.",
        "Petugas desa menjemput berkas kelahiran di rumah bagi persalinan di luar fasilitas kesehatan.",
    ),
    (
        "Rantang Kasih",
        "DINSOS",
        "Paparan Rantang Kasih Banyuwangi pada Innovative Government Award.",
        "Pendataan lansia sebatang kara bersama desa, dapur umum kecamatan, pengantaran oleh karang taruna.",
        "Bahan pangan lokal (sagu dan ikan) dan pemeriksaan kesehatan bulanan oleh puskesmas.",
    ),
]

# The region's SPD rows (level per row): Banyuwangi's almost full, Mamuju Tengah's the mandatory ones.
SPD_LEVELS = {
    "banyuwangi": {
        "1": 3,
        "2a": 3,
        "2b": 3,
        "3": 2,
        "4": 2,
        "5a": 2,
        "5b": 2,
        "6": 2,
        "7": 2,
        "8": 3,
        "9": 3,
        "10a": 2,
        "10b": 2,
        "11a": 2,
        "11b": 2,
        "12": 3,
        "13a": 3,
        "13b": 2,
        "14": 3,
        "15": 2,
    },
    "mamuju-tengah": {"1": 2, "3": 2, "4": 1, "5a": 1, "5b": 2, "6": 2, "7": 1, "8": 3, "9": 2, "10a": 1, "10b": 1},
}


def design_text(spec: Spec, region: Region, agency: Agency) -> str:
    """A design text (rancang bangun) of a little over 300 words, as the period asks."""
    parts = [
        f"Latar belakang. {spec.name} lahir dari keluhan warga {region.name} yang disampaikan dalam forum "
        "musyawarah desa, media sosial dan kanal pengaduan daerah. Sebelum inovasi ini, warga harus datang "
        "berkali-kali ke kantor perangkat daerah, menunggu lama, dan menanggung biaya perjalanan yang tidak kecil, "
        "terutama warga di desa yang jauh dari pusat kabupaten.",
        f"Permasalahan. Data {agency.name} menunjukkan bahwa layanan belum menjangkau kelompok rentan, waktu "
        "penyelesaian belum pasti, dan koordinasi antarperangkat daerah masih berjalan sendiri-sendiri tanpa "
        "data bersama yang dapat dipantau pimpinan.",
        f"Tujuan. {spec.goal} Inovasi ini juga menargetkan kepastian waktu layanan, biaya yang terjangkau, dan "
        "keterbukaan informasi kepada masyarakat.",
        "Metode dan cara kerja. Inovasi dirancang bersama warga, perangkat desa, akademisi, dunia usaha dan media. "
        "Setiap permohonan dicatat, diverifikasi oleh petugas yang ditunjuk dengan surat keputusan, diselesaikan "
        "sesuai standar pelayanan, lalu hasilnya dikabarkan kepada warga. Pimpinan memantau capaian setiap bulan "
        "dan memperbaiki langkah yang tersendat.",
        "Tahapan. Inisiatif disusun dalam rapat tim inovasi, diuji coba di beberapa desa atau kecamatan, "
        "dievaluasi bersama warga melalui survei kepuasan masyarakat, kemudian diterapkan di seluruh wilayah "
        "dengan dukungan anggaran daerah dan regulasi kepala daerah.",
        "Hasil dan keberlanjutan. Jumlah penerima manfaat terus bertambah, keluhan warga berkurang, dan inovasi "
        "menjadi bagian dari rencana kerja pemerintah daerah setiap tahun. Pengetahuan tim dibagikan kepada "
        "daerah lain yang berminat mereplikasi, sehingga manfaatnya tidak berhenti di satu daerah saja.",
        "Pembelajaran. Keberhasilan inovasi bergantung pada komitmen pimpinan, petugas yang terlatih, data yang "
        "rapi, dan keterlibatan warga sejak perencanaan sampai evaluasi, bukan pada teknologi semata.",
        "Pengukuran. Tim inovasi menetapkan indikator sebelum dan sesudah penerapan: jumlah penerima manfaat, "
        "waktu penyelesaian layanan, biaya yang ditanggung warga, dan nilai survei kepuasan masyarakat. Angka itu "
        "dilaporkan setiap triwulan kepada kepala daerah dan dibuka kepada publik melalui laman resmi daerah. "
        "Hasil pengukuran menjadi dasar perbaikan rancangan "
        "pada tahun berikutnya, termasuk perluasan ke desa dan kelurahan yang belum terjangkau.",
    ]
    return "\n\n".join(parts)


def _levels(spec: Spec, number: int, period: catalogue.Period) -> dict[str, int]:
    """Fixed levels per row: mostly 2 and 3, varying from one innovation to the next."""
    levels = {}
    for position, indicator in enumerate(period.sid):
        if indicator.code == "31":
            continue
        if indicator.code == "33":
            continue
        levels[indicator.code] = 3 if (number + position) % 3 else 2
        if not indicator.mandatory and (number + position) % 7 == 0:
            del levels[indicator.code]  # a few optional rows left unanswered
    levels.update(spec.levels)
    return levels


def _rows(region: Region, innovation: Innovation | None, aspect: str, levels: dict[str, int], number: int) -> list[Score]:
    prefix = "188" if region.slug == "banyuwangi" else "800"
    rows = []
    for code, level in levels.items():
        rows.append(
            Score(
                region=region,
                innovation=innovation,
                period=YEAR,
                aspect=aspect,
                indicator=code,
                key=secrets.token_hex(8),
                level=level,
                evidence_url=f"https://jdih.{region.slug}.go.id/inovasi/{YEAR}/{number:02d}-{code}.pdf",
                document_number=f"{prefix}/{number:02d}{code}/KEP/{region.prefix}/2025",
                document_date=D(2025, 1 + (number % 11), 10),
            )
        )
    return rows


def _team(region: Region) -> User:
    membership = Membership.objects.filter(region=region, role=Role.REGION_ADMIN, is_active=True).select_related("user").first()
    if membership is None:
        raise LookupError(f"{region} has no region administrator: run the regions' demo first.")
    return membership.user


def _agency(region: Region, code: str) -> Agency:
    agency = Agency.objects.filter(region=region, code=code).first()
    if agency is None:
        for extra_code, name, short, head in EXTRA_AGENCIES.get(region.slug, []):
            if extra_code == code:
                agency = Agency.objects.create(
                    region=region, code=code, name=name, short_name=short, head_title="Kepala", head_name=head
                )
    if agency is None:
        raise LookupError(f"{region} has no agency {code}.")
    return agency


def _load(region: Region, specs: list[Spec], team: User, *, offset: int = 0) -> dict[str, Innovation]:
    period = catalogue.period(YEAR)
    services = {s.code: s for s in Service.objects.filter(region=region)}
    made: dict[str, tuple[Spec, Innovation]] = {}
    for number, spec in enumerate(specs, start=offset + 1):
        agency = _agency(region, spec.agency)
        data = {
            "name": spec.name,
            "period": YEAR,
            "form": spec.form,
            "stage": Stage.IMPLEMENTATION,
            "initiated_on": spec.implemented - dt.timedelta(days=150),
            "trial_on": spec.implemented - dt.timedelta(days=60),
            "implemented_on": spec.implemented,
            "developed_on": spec.developed,
            "kind": spec.kind,
            "initiator": spec.initiator,
            "theme": spec.theme,
            "affair": spec.affair,
            "design": design_text(spec, region, agency),
            "goals": spec.goal,
            "benefits": f"{spec.beneficiaries:,} penerima manfaat".replace(",", "."),
            "results": "Waktu layanan lebih singkat dan kepuasan warga meningkat.",
            "budget": spec.budget,
            "location": region.name,
            "video_url": f"https://www.youtube.com/watch?v=demo{region.prefix}{number:02d}",
        }
        innovation = Innovation(region=region, agency=agency, code=codes.new_code(region.prefix), created_by=team, **data)
        made[spec.name] = (spec, innovation)
    # One insert for the register (the actions' checks hold for these fixed figures: tests/test_demo.py).
    Innovation.objects.bulk_create([innovation for _spec, innovation in made.values()])
    links = Innovation.services.through
    links.objects.bulk_create(
        links(innovation_id=innovation.pk, service_id=services[code].pk)
        for spec, innovation in made.values()
        for code in spec.services
        if code in services
    )
    Event.objects.bulk_create(
        Event(region=region, innovation=innovation, kind=Event.Kind.CREATED, actor=team) for _spec, innovation in made.values()
    )
    rows: list[Score] = []
    for number, (spec, innovation) in enumerate(made.values(), start=offset + 1):
        levels = _levels(spec, number, period)
        rows += _rows(region, innovation, SID, levels, number)
        benefit = period.indicator(SID, "33")
        rows.append(
            Score(
                region=region,
                innovation=innovation,
                period=YEAR,
                aspect=SID,
                indicator="33",
                key=secrets.token_hex(8),
                basis="a",
                value=Decimal(spec.beneficiaries),
                level=benefit.level_for(Decimal(spec.beneficiaries), "a"),
                evidence_url=f"https://jdih.{region.slug}.go.id/inovasi/{YEAR}/{number:02d}-33.pdf",
                document_number=f"LAP/{number:02d}/{region.prefix}/2025",
                document_date=D(2025, 11, 28),
            )
        )
    Score.objects.bulk_create(rows)
    for spec, innovation in made.values():
        _advance(spec, innovation, team)
    return {name: innovation for name, (_spec, innovation) in made.items()}


def _advance(spec: Spec, innovation: Innovation, team: User) -> None:
    """Submit, verify row by row (bulk), and approve or return, as the spec says."""
    if spec.state == "draft":
        return
    actions.submit(team, innovation)
    if spec.state == "submitted":
        return
    rows = Score.objects.filter(innovation=innovation)
    rows.exclude(indicator__in=spec.rejected).update(
        verdict=Verdict.ACCEPTED, verified_by=team, verified_at=innovation.submitted_at
    )
    note = "Bukti tidak sesuai dengan tingkat yang dipilih."
    rows.filter(indicator__in=spec.rejected).update(
        verdict=Verdict.REJECTED, note=note, verified_by=team, verified_at=innovation.submitted_at
    )
    Event.objects.bulk_create(
        Event(
            region=innovation.region,
            innovation=innovation,
            kind=Event.Kind.REJECTED if code in spec.rejected else Event.Kind.ACCEPTED,
            indicator=code,
            actor=team,
            note=note if code in spec.rejected else "",
        )
        for code in rows.values_list("indicator", flat=True)
    )
    if spec.state == "returned":
        actions.finish_verification(team, innovation, approve=False, note="Perbaiki bukti kemanfaatan (baris 33).")
    else:
        actions.finish_verification(team, innovation, approve=True)


def _spd(region: Region, team: User) -> None:
    rows = _rows(region, None, SPD, SPD_LEVELS[region.slug], 0)
    for row in rows:
        row.verdict = Verdict.ACCEPTED
        row.verified_by = team
    Score.objects.bulk_create(rows)


def load_demo_innovations() -> str | None:
    regions = {r.slug: r for r in Region.objects.filter(slug__in=["banyuwangi", "mamuju-tengah"])}
    banyuwangi, mamuju = regions.get("banyuwangi"), regions.get("mamuju-tengah")
    if banyuwangi is None or mamuju is None:
        return None
    if Innovation.objects.filter(region=banyuwangi).exists():
        return None
    with transaction.atomic():
        bwi_team, mtg_team = _team(banyuwangi), _team(mamuju)
        originals = _load(banyuwangi, BANYUWANGI, bwi_team)
        _spd(banyuwangi, bwi_team)
        own = _load(mamuju, MAMUJU_TENGAH, mtg_team)
        _spd(mamuju, mtg_team)
        copies = []
        for number, (name, agency_code, inspiration, process, difference) in enumerate(REPLICATIONS, start=len(own) + 1):
            replication = actions.replicate(
                mtg_team,
                Innovation.objects.get(pk=originals[name].pk),
                mamuju,
                _agency(mamuju, agency_code),
                inspiration=inspiration,
                process=process,
                difference=difference,
                agreement=f"119/{number:02d}/PKS/MTG-BWI/2025",
                agreed_on=D(2025, 3, 3 + number),
                period=YEAR,
            )
            adopted = replication.adopted
            adopted.stage = Stage.IMPLEMENTATION
            adopted.trial_on = D(2025, 4, 1)
            adopted.implemented_on = D(2025, 6, 2)
            adopted.save(update_fields=["stage", "trial_on", "implemented_on"])
            if name == "Lahir Procot Pulang Bawa Akta":
                akta = Service.objects.filter(region=mamuju, code="AKTA-LAHIR").first()
                if akta is not None:
                    adopted.services.add(akta)
            spec = Spec(name, agency_code, adopted.affair, adopted.goals, adopted.implemented_on, beneficiaries=380)
            copies.append((spec, adopted))
            benefit = Score(
                region=mamuju,
                innovation=adopted,
                period=YEAR,
                aspect=SID,
                indicator="33",
                key=secrets.token_hex(8),
                basis="a",
                value=Decimal(380),
                level=2,
                evidence_url=f"https://jdih.mamuju-tengah.go.id/inovasi/{YEAR}/{number:02d}-33.pdf",
                document_number=f"LAP/{number:02d}/MTG/2025",
                document_date=D(2025, 11, 28),
            )
            Score.objects.bulk_create(
                [*_rows(mamuju, adopted, SID, _levels(spec, number, catalogue.period(YEAR)), number), benefit]
            )
        for spec, adopted in copies:
            _advance(spec, adopted, mtg_team)
    return (
        f"Innovations: {len(originals)} for Banyuwangi, {len(own) + len(copies)} for Mamuju Tengah "
        f"({len(copies)} replicated from Banyuwangi), index period {YEAR}."
    )


register_demo_step(95, "innovations", load_demo_innovations)
