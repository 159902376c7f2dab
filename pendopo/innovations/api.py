"""Regional innovations API under /api/v1/innovations/{code}/… (code: the regency code, e.g. 35.10).

Reads follow the pages' permissions (selectors, through the permission resolver): anyone reads
published innovations, their accepted rows, the verified index and the replications of published
copies; an agency's staff also read their agency's innovations and rows; the region's innovation
team (its administrators) reads everything of the region, including the claimed index and the
difference per agency. Figures are strings with 2 decimals, half up ("47.04"); the category is
the ministry's Bahasa Indonesia name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from pendopo.innovations import catalogue, own_data, scoring, selectors
from pendopo.innovations.models import Innovation, Replication, Score
from pendopo.regions.api import Paged
from pendopo.regions.links import absolute
from pendopo.regions.models import Region
from pendopo.regions.permissions import get_for_user, visible_to

router = Router(tags=["regional innovations (IID)"])


class InnovationOut(Schema):
    code: str
    name: str
    period: int = Field(description="The year of the index report it is entered in")
    agency: str = Field(description="The agency's code")
    agency_name: str
    form: str = Field(description="governance, public_service or other")
    stage: str = Field(description="initiative, trial or implementation")
    initiated_on: str | None
    trial_on: str | None
    implemented_on: str | None
    developed_on: str | None
    kind: str = Field(description="digital or non_digital")
    initiator: str
    theme: str
    affair: str = Field(description="The government affair it serves")
    is_basic_service: bool = Field(description="One of the six basic-service affairs")
    status: str = Field(description="draft, submitted, returned or verified")
    published: bool
    video_url: str
    budget: int = Field(description="Whole Rupiah")
    location: str
    url: str = Field(description="The public page")


class InnovationDetailOut(InnovationOut):
    design: str
    goals: str
    benefits: str
    results: str
    services: list[str] = Field(description="Codes of the catalogue services it changed")
    replicated_from: ReplicationOut | None = Field(description="Provenance, when this is a copy")


class ScoreOut(Schema):
    innovation: str | None = Field(description="The innovation's code; null for a region (SPD) row")
    period: int
    aspect: str = Field(description="spd (the region) or sid (an innovation)")
    indicator: str
    level: int | None
    basis: str
    value: str | None
    score: str = Field(description="weight × level, as claimed (0.00 without evidence)")
    has_evidence: bool
    evidence_url: str
    document_number: str
    document_date: str | None
    verdict: str = Field(description="waiting, accepted or rejected; `pendopo` for a row read from Pendopo's own data")
    note: str
    source: str = Field("", description="For rows 28, 29 and 34 read from Pendopo's own data: what they were read from")


class ReplicationOut(Schema):
    source: str = Field(description="The original innovation's code")
    source_name: str
    source_region: str = Field(description="The original region's regency code")
    region: str = Field(description="The adopting region's regency code")
    adopted: str = Field(description="The adopting region's innovation code")
    adopted_published: bool
    inspiration: str
    process: str
    difference: str
    agreement: str
    agreed_on: str | None


class IndexFiguresOut(Schema):
    period: int
    spd: str
    innovations: int
    divisor: int
    empty_seats: int
    rows_total: str
    rows_score: str
    basic_services: int
    basic_services_required: int
    count_score: str
    sid: str
    total: str
    maximum: str
    iid: str
    category: str
    empty_seats_cost: str
    coverage_cost: str


class AgencyLineOut(Schema):
    agency: str
    reported: int
    verified: int
    claimed_points: str
    verified_points: str
    difference: str


class InnovationEntryOut(Schema):
    innovation: str
    name: str
    agency: str
    claimed: str = Field(description="Σ SID row scores as claimed (replication included)")
    verified: str
    replications: int = Field(description="Different regions whose published copy names it (row 31)")
    counts_verified: bool
    reasons: list[str] = Field(description="Why it does not count in the verified index")


class InnovationIndexOut(Schema):
    region: str
    period: int
    verified: IndexFiguresOut
    claimed: IndexFiguresOut | None = Field(description="The agencies' claims: the region's innovation team only")
    difference: str | None = Field(description="Claimed − verified IID: the team only")
    agencies: list[AgencyLineOut] | None = Field(description="Per agency: the team only")
    missing_basic_services: list[str] = Field(description="Basic-service affairs the verified innovations miss")
    entries: list[InnovationEntryOut] = Field(description="The innovations counted (the team: every reported one)")


InnovationDetailOut.model_rebuild()


def _region(request: HttpRequest, code: str) -> Region:
    return get_for_user(request.user, Region.objects.select_related("regency"), regency_id=code)


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _innovation(item: Innovation) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "period": item.period,
        "agency": item.agency.code,
        "agency_name": item.agency.name,
        "form": item.form,
        "stage": item.stage,
        "initiated_on": _day(item.initiated_on),
        "trial_on": _day(item.trial_on),
        "implemented_on": _day(item.implemented_on),
        "developed_on": _day(item.developed_on),
        "kind": item.kind,
        "initiator": item.initiator,
        "theme": item.theme,
        "affair": item.affair,
        "is_basic_service": item.is_basic_service,
        "status": item.status,
        "published": item.is_published,
        "video_url": item.video_url,
        "budget": item.budget,
        "location": item.location,
        "url": item.get_absolute_url(),
    }


def _replication(item: Replication) -> dict[str, Any]:
    return {
        "source": item.source.code,
        "source_name": item.source.name,
        "source_region": item.source_region.regency_id,
        "region": item.region.regency_id,
        "adopted": item.adopted.code,
        "adopted_published": item.adopted.is_published,
        "inspiration": item.inspiration,
        "process": item.process,
        "difference": item.difference,
        "agreement": item.agreement,
        "agreed_on": _day(item.agreed_on),
    }


def _score(item: Score) -> dict[str, Any]:
    period = catalogue.period(item.period)
    points = period.indicator(item.aspect, item.indicator).score(item.level) if item.counts_claimed else 0
    return {
        "innovation": item.innovation.code if item.innovation is not None else None,
        "period": item.period,
        "aspect": item.aspect,
        "indicator": item.indicator,
        "level": item.level,
        "basis": item.basis,
        "value": None if item.value is None else f"{item.value:.2f}",
        "score": f"{points:.2f}",
        "has_evidence": item.has_evidence,
        "evidence_url": item.evidence_url,
        "document_number": item.document_number,
        "document_date": _day(item.document_date),
        "verdict": item.verdict,
        "note": item.note,
    }


@router.get("/innovations/{code}/register", response=list[InnovationOut], summary="A region's innovation register")
@paginate(Paged)
def register(request: HttpRequest, code: str, period: int | None = None, q: str = "", agency: str = "", status: str = ""):
    """What the caller may see: the public sees published innovations; agency staff add their agency's, the team all.

    Filters: `period` (year), `q` (every word in the name, goals or benefits), `agency` (code), `status`."""
    region = _region(request, code)
    rows = selectors.innovations_of(request.user, region)
    if period is not None:
        rows = rows.filter(period=period)
    for term in q.split()[:5]:
        rows = rows.filter(Q(name__icontains=term) | Q(goals__icontains=term) | Q(benefits__icontains=term))
    if agency:
        rows = rows.filter(agency__code=agency)
    if status:
        rows = rows.filter(status=status)
    return [_innovation(item) for item in rows.order_by("-period", "name", "pk")]


@router.get("/innovations/{code}/register/{innovation}", response=InnovationDetailOut, summary="One innovation")
def detail(request: HttpRequest, code: str, innovation: str) -> dict[str, Any]:
    region = _region(request, code)
    item = selectors.get_innovation(request.user, region, innovation)
    provenance = Replication.objects.filter(adopted=item).select_related("source", "source_region", "region", "adopted")
    found = provenance.first()
    return {
        **_innovation(item),
        "design": item.design,
        "goals": item.goals,
        "benefits": item.benefits,
        "results": item.results,
        "services": list(item.services.order_by("code").values_list("code", flat=True)),
        "replicated_from": _replication(found) if found else None,
    }


@router.get("/innovations/{code}/register/{innovation}/scores", response=list[ScoreOut], summary="An innovation's rows")
def innovation_scores(request: HttpRequest, code: str, innovation: str) -> list[dict[str, Any]]:
    """The public sees accepted rows of a published innovation; its agency and the team see every row."""
    region = _region(request, code)
    item = selectors.get_innovation(request.user, region, innovation)
    own = own_data.for_innovation(item)
    period = catalogue.period(item.period)
    rows = [
        _score(s)
        for s in selectors.scores_of(request.user, item).select_related("innovation").order_by("pk")
        if s.indicator not in own
    ]
    # Rows 28, 29 and 34 read from Pendopo's own data replace a hand entry; their page is the evidence.
    rows += [
        {
            "innovation": item.code,
            "period": item.period,
            "aspect": "sid",
            "indicator": figure.code,
            "level": figure.level,
            "basis": "",
            "value": str(figure.value) if figure.value is not None else None,
            "score": f"{period.indicator('sid', figure.code).score(figure.level):.2f}",
            "has_evidence": True,
            "evidence_url": absolute(figure.url, request),
            "document_number": "",
            "document_date": None,
            "verdict": "pendopo",
            "note": "",
            "source": figure.source,
        }
        for figure in own.values()
    ]
    return rows


@router.get("/innovations/{code}/scores/{year}", response=list[ScoreOut], summary="The region's SPD rows for a period")
def region_scores(request: HttpRequest, code: str, year: int) -> list[dict[str, Any]]:
    """The region's own rows (SPD): the public sees accepted rows, the team every row."""
    region = _region(request, code)
    _period(year)
    rows = selectors.spd_scores(region, year)
    if not selectors.is_team(request.user, region):
        rows = rows.filter(verdict="accepted")
    return [_score(s) for s in rows.order_by("pk")]


def _period(year: int) -> catalogue.Period:
    try:
        return catalogue.period(year)
    except catalogue.CatalogueError:
        raise Http404 from None


def _figures(result: Any) -> dict[str, Any]:
    return result.display()


@router.get(
    "/innovations/{code}/index/{year}", response=InnovationIndexOut, summary="The region's innovation index (IID) for a period"
)
def region_index(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    """The verified index for everyone; the claimed index, the difference per agency and every entry for the team."""
    region = _region(request, code)
    _period(year)
    team = selectors.is_team(request.user, region)
    result = scoring.region_index(region, year)
    entries = result.entries if team else [e for e in result.entries if e.counts_verified and e.innovation.is_published]
    return {
        "region": region.regency_id,
        "period": year,
        "verified": _figures(result.verified),
        "claimed": _figures(result.claimed) if team else None,
        "difference": f"{result.difference:.2f}" if team else None,
        "agencies": (
            [
                {
                    "agency": row.agency.code,
                    "reported": row.reported,
                    "verified": row.verified,
                    "claimed_points": f"{row.claimed_points:.2f}",
                    "verified_points": f"{row.verified_points:.2f}",
                    "difference": f"{row.difference:.2f}",
                }
                for row in result.agencies
            ]
            if team
            else None
        ),
        "missing_basic_services": result.missing_affairs_verified,
        "entries": [
            {
                "innovation": e.innovation.code,
                "name": e.innovation.name,
                "agency": e.innovation.agency.code,
                "claimed": f"{e.claimed:.2f}" if team else f"{e.verified:.2f}",
                "verified": f"{e.verified:.2f}",
                "replications": e.replications,
                "counts_verified": e.counts_verified,
                "reasons": e.verified_problems if team else [],
            }
            for e in entries
        ],
    }


@router.get("/innovations/{code}/replications", response=list[ReplicationOut], summary="Replications from and by a region")
def replications(request: HttpRequest, code: str, direction: str = "both") -> list[dict[str, Any]]:
    """`direction`: `from` (others adopting this region's innovations), `by` (this region adopting), or `both`.

    The public sees replications whose copy and original are both published."""
    region = _region(request, code)
    if direction not in ("from", "by", "both"):
        message = _("Give from, by or both.")
        raise ValidationError({"direction": [ValidationError(message, code="direction")]})
    rows = visible_to(request.user, Replication.objects.all())
    if direction == "from":
        rows = rows.filter(source_region=region)
    elif direction == "by":
        rows = rows.filter(region=region)
    else:
        rows = rows.filter(Q(source_region=region) | Q(region=region))
    rows = rows.select_related("source", "source_region", "region", "adopted").order_by("created_at", "pk")
    return [_replication(r) for r in rows]
