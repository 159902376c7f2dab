"""Demo SAKIP data (a `pendopo demo` step after the applications', complaints' and surveys'; idempotent).

Banyuwangi: an RPJMD of five years ending next year with 5 region goals (sasaran), one region
indicator each and 12 agency indicators across 4 agencies (Dispendukcapil, DPMPTSP, Dinkes,
Dinsos) cascading from them; yearly and quarterly targets for every year; 8 quarters of
realisations (the current quarter's waiting for the head's verification, the earlier ones
verified; one agency indicator left without this quarter's figure and one below target, so the
dashboards show indicators at risk); the live service indicators (IKM, applications on time,
complaints answered on time) computed from the demo's own cases and survey answers; signed
performance agreements for this year and last; completed, published LKE rounds for the last five
years, each graded A by the evaluator (the self-assessment a little more optimistic).

Mamuju Tengah: a first-year plan (its RPJMD begins this year) with 3 goals and 6 indicators
across 3 agencies, targets for the first year, this year's realisations so far, and an LKE round
in progress (self-assessment half done, not published).

Users: `<prefix>.bupati` (a leadership seat, read only) and `<prefix>.inspektorat` (the APIP
evaluator of the LKE). Nothing is added when the region already has a plan. No random numbers:
the figures are fixed so that every machine shows the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from pendopo.lib import dates
from pendopo.performance.models import (
    Agreement,
    Criterion,
    EvaluationRound,
    EvaluatorSeat,
    Goal,
    Indicator,
    LeadershipSeat,
    Method,
    PlanningPeriod,
    Realisation,
    RoundStatus,
    Source,
    Status,
    Target,
)
from pendopo.regions.demo import _user, demo_password, register_demo_step
from pendopo.regions.models import Agency, Region, User

D = Decimal


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    unit: str
    polarity: str
    target: Decimal  # the first year's yearly target
    step: Decimal  # added each later year
    agency: str | None = None
    goal: str = ""
    parent: str | None = None
    source: str = Source.MANUAL
    high: Decimal | None = None  # a range target's upper end
    cumulative: bool = False  # quarterly targets are 25/50/75/100 % of the year's
    # achievement (%) of the realisations over the 8 quarters, oldest first (yes/no: ≥ 100 achieved)
    path: tuple[int, ...] = (96, 98, 100, 101, 99, 100, 102, 100)
    formula: str = ""
    data_source: str = ""
    is_key: bool = False


BWI_GOALS = [
    ("S1", "Meningkatnya kualitas pelayanan publik yang cepat, mudah dan terjangkau"),
    ("S2", "Meningkatnya derajat kesehatan masyarakat"),
    ("S3", "Meningkatnya iklim investasi dan kemudahan berusaha"),
    ("S4", "Menurunnya angka kemiskinan dan meningkatnya perlindungan sosial"),
    ("S5", "Meningkatnya akuntabilitas kinerja dan tata kelola pemerintahan"),
]

BWI_INDICATORS = [
    # The region's own indicators (RPJMD), one per goal.
    Spec("IKD-1", "Indeks Kepuasan Masyarakat (IKM) Kabupaten", "indeks", "higher", D(85), D(1), goal="S1",
         source=Source.IKM, formula="IKM terkonversi (25–100) seluruh layanan", data_source="Survei Kepuasan Masyarakat",
         is_key=True),
    Spec("IKD-2", "Prevalensi stunting balita", "%", "lower", D(16), D(-1.5), goal="S2",
         path=(97, 99, 100, 101, 98, 100, 103, 99), formula="balita stunting / balita diukur × 100",
         data_source="e-PPGBM", is_key=True),
    Spec("IKD-3", "Nilai realisasi investasi", "miliar Rp", "higher", D(4000), D(250), goal="S3", cumulative=True,
         path=(94, 97, 101, 104, 96, 99, 102, 105), data_source="LKPM DPMPTSP", is_key=True),
    Spec("IKD-4", "Persentase penduduk miskin", "%", "lower", D(7.5), D(-0.3), goal="S4",
         path=(99, 100, 100, 101, 100, 101, 101, 102), data_source="BPS Kabupaten Banyuwangi", is_key=True),
    Spec("IKD-5", "Predikat SAKIP Kabupaten minimal A", "ya/tidak", "yes_no", D(0), D(0), goal="S5",
         path=(100,) * 8, data_source="LHE SAKIP Kementerian PANRB", is_key=True),
    # Dispendukcapil
    Spec("DUK-1", "IKM pelayanan administrasi kependudukan", "indeks", "higher", D(86), D(1), "DISPENDUKCAPIL",
         "S1", "IKD-1", Source.IKM, formula="IKM terkonversi layanan Dispendukcapil", data_source="Survei Kepuasan Masyarakat",
         is_key=True),
    Spec("DUK-2", "Persentase permohonan dokumen kependudukan selesai tepat waktu", "%", "higher", D(90), D(2),
         "DISPENDUKCAPIL", "S1", "IKD-1", Source.ON_TIME, formula="selesai tepat waktu / (selesai + terbuka lewat batas) × 100",
         data_source="Pendopo (permohonan)", is_key=True),
    Spec("DUK-3", "Persentase penduduk wajib KTP-el yang telah memiliki KTP-el", "%", "higher", D(97), D(0.5),
         "DISPENDUKCAPIL", "S1", "IKD-1", path=(98, 99, 99, 100, 99, 100, 100, 99),
         formula="penduduk ber-KTP-el / penduduk wajib KTP-el × 100", data_source="SIAK"),
    # DPMPTSP
    Spec("DPM-1", "IKM pelayanan perizinan terpadu", "indeks", "higher", D(85), D(1), "DPMPTSP", "S3", "IKD-3", Source.IKM,
         formula="IKM terkonversi layanan DPMPTSP", data_source="Survei Kepuasan Masyarakat", is_key=True),
    Spec("DPM-2", "Persentase pengaduan perizinan dijawab tepat waktu", "%", "higher", D(90), D(2), "DPMPTSP", "S3",
         "IKD-3", Source.COMPLAINTS_ON_TIME, formula="dijawab tepat waktu / dijawab × 100", data_source="Pendopo (pengaduan)"),
    Spec("DPM-3", "Nilai investasi PMA dan PMDN yang difasilitasi", "miliar Rp", "higher", D(2500), D(150), "DPMPTSP",
         "S3", "IKD-3", cumulative=True, path=(92, 96, 100, 103, 95, 98, 101, 104), data_source="OSS RBA / LKPM"),
    # Dinkes
    Spec("KES-1", "Prevalensi stunting balita di wilayah puskesmas lokus", "%", "lower", D(17), D(-1.5), "DINKES", "S2",
         "IKD-2", path=(96, 98, 100, 101, 97, 99, 100, 88), formula="balita stunting / balita diukur × 100",
         data_source="e-PPGBM", is_key=True),
    Spec("KES-2", "Cakupan imunisasi dasar lengkap", "%", "higher", D(93), D(1), "DINKES", "S2", "IKD-2",
         path=(95, 97, 99, 101, 96, 98, 100, 97), data_source="ASIK Kemenkes"),
    Spec("KES-3", "Tingkat hunian tempat tidur (BOR) RSUD", "%", "range", D(60), D(0), "DINKES", "S2", "IKD-2",
         high=D(85), path=(100, 100, 104, 100, 100, 97, 100, 100), formula="hari perawatan / (tempat tidur × hari) × 100",
         data_source="SIMRS RSUD Blambangan"),
    # Dinsos
    Spec("SOS-1", "Persentase PPKS yang mendapat pelayanan kesejahteraan sosial", "%", "higher", D(80), D(3), "DINSOS",
         "S4", "IKD-4", path=(93, 96, 99, 102, 95, 98, 100, 99), data_source="SIKS-NG"),
    Spec("SOS-2", "Persentase keluarga penerima manfaat yang graduasi", "%", "higher", D(10), D(2), "DINSOS", "S4", "IKD-4",
         cumulative=True, path=(90, 95, 100, 105, 92, 97, 101, 0), data_source="Dinsos PPKB"),
    Spec("SOS-3", "Data Terpadu Kesejahteraan Sosial dimutakhirkan tiap triwulan", "ya/tidak", "yes_no", D(0), D(0),
         "DINSOS", "S4", "IKD-4", path=(100, 100, 0, 100, 100, 100, 100, 100), data_source="SIKS-NG"),
]  # fmt: skip

MTG_GOALS = [
    ("S1", "Meningkatnya kualitas pelayanan publik sampai ke desa"),
    ("S2", "Meningkatnya derajat kesehatan masyarakat"),
    ("S3", "Meningkatnya kemudahan berusaha"),
]

MTG_INDICATORS = [
    Spec("IKD-1", "Indeks Kepuasan Masyarakat (IKM) Kabupaten", "indeks", "higher", D(78), D(2), goal="S1",
         source=Source.IKM, is_key=True, data_source="Survei Kepuasan Masyarakat"),
    Spec("DUK-1", "Persentase permohonan dokumen kependudukan selesai tepat waktu", "%", "higher", D(80), D(3),
         "DISDUKCAPIL", "S1", "IKD-1", Source.ON_TIME, data_source="Pendopo (permohonan)", is_key=True),
    Spec("DUK-2", "Persentase anak 0–17 tahun yang memiliki Kartu Identitas Anak", "%", "higher", D(60), D(5),
         "DISDUKCAPIL", "S1", "IKD-1", path=(88, 93, 95, 97, 98, 99, 100, 100), data_source="SIAK"),
    Spec("DPM-1", "Rata-rata waktu penerbitan izin usaha", "hari", "lower", D(5), D(-0.5), "DPMPTSP", "S3",
         path=(80, 90, 96, 100, 100, 100, 100, 100), data_source="OSS RBA"),
    Spec("DPM-2", "Tersedianya standar pelayanan perizinan yang dipublikasikan", "ya/tidak", "yes_no", D(0), D(0),
         "DPMPTSP", "S3", path=(100,) * 8, data_source="Pendopo (katalog layanan)"),
    Spec("KES-1", "Prevalensi stunting balita", "%", "lower", D(30), D(-2.5), "DINKES", "S2", is_key=True,
         path=(90, 93, 95, 97, 98, 99, 100, 100), data_source="e-PPGBM"),
]  # fmt: skip

# Criteria the evaluator found not (fully) met, per round counted back from last year; the
# self-assessment answers every criterion met but the first of them.
BWI_EVALUATOR_GAPS = [
    ["1.c.2", "2.b.1", "4.c.1"],
    ["1.b.4", "2.c.3", "4.c.1"],
    ["1.c.3", "2.c.4", "4.b.2"],
    ["1.b.3", "2.c.2", "4.c.2"],
    ["1.c.4", "2.b.3", "4.c.1"],
]
RECOMMENDATIONS = {
    "1": "Agar target kinerja diturunkan sampai ke kinerja individu dan dipantau dalam rencana aksi.",
    "2": "Agar pengukuran kinerja berbasis data layanan harian dimanfaatkan dalam penyesuaian strategi.",
    "4": "Agar rekomendasi evaluasi internal ditindaklanjuti dengan rencana aksi yang terjadwal.",
}


def _quarters_back(today: dt.date, count: int) -> list[tuple[int, int]]:
    """The last `count` quarters that have begun, oldest first (the current one last)."""
    index = today.year * 4 + (today.month - 1) // 3
    return [(i // 4, i % 4 + 1) for i in range(index - count + 1, index + 1)]


def _target_of(spec: Spec, year_offset: int, quarter: int) -> tuple[Decimal | None, Decimal | None]:
    if spec.polarity == "yes_no":
        return None, None
    value = spec.target + spec.step * year_offset
    if spec.cumulative and quarter:
        value = value * quarter / 4
    return value.quantize(D("0.01")), spec.high


def _realised(spec: Spec, target: Decimal, percent: int) -> Decimal:
    """The realisation that gives `percent` achievement against `target` under the spec's polarity."""
    if spec.polarity == "lower":
        return (target * (2 - D(percent) / 100)).quantize(D("0.01"))
    if spec.polarity == "range":  # inside the range at 100, above its upper end or below its lower end otherwise
        high = spec.high or target
        if percent == 100:
            return ((target + high) / 2).quantize(D("0.01"))
        return ((high if percent > 100 else target) * D(percent) / 100).quantize(D("0.01"))
    return (target * D(percent) / 100).quantize(D("0.01"))


def _plan(
    region: Region,
    period: PlanningPeriod,
    goals: list[tuple[str, str]],
    specs: list[Spec],
    quarters: list[tuple[int, int]],
    entered_by: dict[str | None, User],
    verified_by: dict[str | None, User],
    now: dt.datetime,
) -> int:
    agencies = {agency.code: agency for agency in Agency.objects.filter(region=region)}
    goal_rows = {code: Goal.objects.create(region=region, period=period, code=code, statement=text) for code, text in goals}
    indicators: dict[str, Indicator] = {}
    for order, spec in enumerate(specs, start=1):
        indicators[spec.code] = Indicator.objects.create(
            region=region,
            period=period,
            goal=goal_rows.get(spec.goal),
            agency=agencies[spec.agency] if spec.agency else None,
            parent=indicators.get(spec.parent or ""),
            code=spec.code,
            name=spec.name,
            unit=spec.unit,
            formula=spec.formula,
            data_source=spec.data_source,
            polarity=spec.polarity,
            is_key=spec.is_key,
            source=spec.source,
            order=order,
        )
    targets = []
    for spec in specs:
        for year in period.years:
            for quarter in range(5):
                value, high = _target_of(spec, year - period.start_year, quarter)
                targets.append(
                    Target(
                        region=region, indicator=indicators[spec.code], year=year, quarter=quarter, value=value, value_high=high
                    )
                )
    Target.objects.bulk_create(targets)
    realisations = []
    current = quarters[-1]
    for spec in specs:
        if spec.source != Source.MANUAL:
            continue
        item = indicators[spec.code]
        path = spec.path[-len(quarters) :]
        for (year, quarter), percent in zip(quarters, path, strict=True):
            if year not in period.years or (percent == 0 and spec.polarity != "yes_no"):
                continue  # no figure entered yet
            waiting = (year, quarter) == current
            value, high = _target_of(spec, year - period.start_year, quarter)
            entered_at = now - dt.timedelta(days=3 if waiting else 10)
            realisations.append(
                Realisation(
                    region=region,
                    agency=item.agency,
                    indicator=item,
                    year=year,
                    quarter=quarter,
                    value=None if spec.polarity == "yes_no" else _realised(spec, value, percent),  # type: ignore[arg-type]  # a yes/no indicator has no value; the model field allows it
                    achieved=(percent >= 100) if spec.polarity == "yes_no" else None,
                    explanation=(
                        "Capaian sesuai rencana aksi triwulan."
                        if percent >= 100
                        else "Capaian di bawah target: kegiatan lapangan tertunda, dikejar pada triwulan berikutnya."
                    ),
                    status=Status.SUBMITTED if waiting else Status.VERIFIED,
                    entered_by=entered_by.get(spec.agency, entered_by[None]),
                    entered_at=entered_at,
                    verified_by=None if waiting else verified_by.get(spec.agency, verified_by[None]),
                    verified_at=None if waiting else entered_at + dt.timedelta(days=2),
                )
            )
    Realisation.objects.bulk_create(realisations)
    this_year = quarters[-1][0]
    for code, agency in agencies.items():
        chosen = [indicators[s.code] for s in specs if s.agency == code]
        if not chosen:
            continue
        for year in (this_year - 1, this_year):
            if year not in period.years:
                continue
            agreement = Agreement.objects.create(
                region=region, agency=agency, year=year, head_name=agency.head_name, signed_on=dt.date(year, 1, 31)
            )
            agreement.indicators.set(chosen)
    return len(realisations)


def _answer_round(round_: EvaluationRound, evaluator_gaps: list[str] | None, self_gaps: list[str], answered: int | None) -> None:
    """Set every criterion's self-assessment (and evaluator's value) in one update, with the notes."""
    criteria = list(Criterion.objects.filter(subcomponent__component__round=round_).order_by("code"))
    for position, criterion in enumerate(criteria):
        if answered is not None and position >= answered:
            break
        criterion.self_value = D(0) if criterion.code in self_gaps else D(1)
        criterion.self_note = "Dokumen tersedia dan diunggah." if criterion.self_value else "Belum sepenuhnya dilaksanakan."
        if evaluator_gaps is not None:
            met = criterion.code not in evaluator_gaps
            criterion.evaluator_value = D(1) if met else D(0)
            criterion.evaluator_note = "Sesuai bukti dukung." if met else "Bukti dukung belum menunjukkan pemanfaatan."
            if not met:
                criterion.recommendation = RECOMMENDATIONS.get(criterion.code.split(".")[0], "Agar kriteria ini dipenuhi.")
    Criterion.objects.bulk_update(criteria, ["self_value", "self_note", "evaluator_value", "evaluator_note", "recommendation"])


def _seats(region: Region, password: str) -> User:
    p = region.prefix.lower()
    leader = _user(f"{p}.bupati", f"Bupati {region.regency.name}", password)
    inspector = _user(f"{p}.inspektorat", f"Inspektur {region.regency.name}", password)
    LeadershipSeat.objects.get_or_create(region=region, user=leader, defaults={"title": "Bupati"})
    EvaluatorSeat.objects.get_or_create(region=region, user=inspector, defaults={"title": "Inspektorat Daerah (APIP)"})
    return leader


def _users(region: Region) -> dict[str, User | None]:
    p = region.prefix.lower()
    found = {u.username: u for u in User.objects.filter(username__in=[f"{p}.admin", f"{p}.kepala", f"{p}.petugas"])}
    return {role: found.get(f"{p}.{role}") for role in ("admin", "kepala", "petugas")}


def _banyuwangi(region: Region, password: str, today: dt.date, now: dt.datetime) -> str:
    from pendopo.performance import actions

    users = _users(region)
    admin = users["admin"] or User.objects.get(username=f"{region.prefix.lower()}.admin")
    _seats(region, password)
    period = PlanningPeriod.objects.create(
        region=region, name=f"RPJMD {today.year - 3}–{today.year + 1}", start_year=today.year - 3, end_year=today.year + 1,
        is_published=True,
    )  # fmt: skip
    officer, head = users["petugas"] or admin, users["kepala"] or admin
    count = _plan(
        region,
        period,
        BWI_GOALS,
        BWI_INDICATORS,
        _quarters_back(today, 8),
        {None: admin, "DISPENDUKCAPIL": officer},
        {None: admin, "DISPENDUKCAPIL": head},
        now,
    )
    for back, gaps in enumerate(BWI_EVALUATOR_GAPS, start=1):
        round_ = actions.start_round(admin, region.pk, today.year - back)
        _answer_round(round_, gaps, gaps[:1], None)
        EvaluationRound.objects.filter(pk=round_.pk).update(status=RoundStatus.COMPLETED, is_published=True, method=Method.MEAN)
    return f"banyuwangi {len(BWI_INDICATORS)} indicators, {count} realisations, {len(BWI_EVALUATOR_GAPS)} LKE rounds"


def _mamuju_tengah(region: Region, password: str, today: dt.date, now: dt.datetime) -> str:
    from pendopo.performance import actions

    users = _users(region)
    admin = users["admin"] or User.objects.get(username=f"{region.prefix.lower()}.admin")
    _seats(region, password)
    period = PlanningPeriod.objects.create(
        region=region, name=f"RPJMD {today.year}–{today.year + 4}", start_year=today.year, end_year=today.year + 4,
        is_published=True,
    )  # fmt: skip
    officer, head = users["petugas"] or admin, users["kepala"] or admin
    quarters = [(year, quarter) for year, quarter in _quarters_back(today, 4) if year == today.year]
    count = _plan(
        region,
        period,
        MTG_GOALS,
        MTG_INDICATORS,
        quarters,
        {None: admin, "DISDUKCAPIL": officer},
        {None: admin, "DISDUKCAPIL": head},
        now,
    )
    round_ = actions.start_round(admin, region.pk, today.year)
    _answer_round(round_, None, ["1.c.2", "2.c.1", "2.c.2", "3.c.1"], answered=24)
    return f"mamuju-tengah {len(MTG_INDICATORS)} indicators, {count} realisations, LKE {today.year} in self-assessment"


@transaction.atomic
def load_demo_performance() -> str | None:
    password = demo_password()
    now = dates.now()
    lines = []
    for slug, load in (("banyuwangi", _banyuwangi), ("mamuju-tengah", _mamuju_tengah)):
        region = Region.objects.filter(slug=slug).select_related("regency").first()
        if region is None or PlanningPeriod.objects.filter(region=region).exists():
            continue
        lines.append(load(region, password, dates.today(region.time_zone), now))
    return "performance: " + ("; ".join(lines) or "already loaded")


register_demo_step(90, "performance", load_demo_performance)
