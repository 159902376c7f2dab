"""Every write of the cooperation app: visits, agreements and their stages, the roadmap.

Each action checks who may do it, validates everything before it writes, and writes in one
transaction: bad input raises a ValidationError (field → message in the active language) and
leaves nothing half-saved; a double submit with the same token returns the first record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from pendopo.cooperation import rules
from pendopo.cooperation.models import (
    AgendaItem,
    Agreement,
    Capacity,
    Commitment,
    CommitmentKind,
    CommitmentState,
    Document,
    DocumentKind,
    Evaluation,
    Form,
    Lesson,
    Participant,
    ResultMetric,
    Topic,
    Visit,
    VisitState,
)
from pendopo.cooperation.workflows import WORKFLOW_CODE, WORKFLOW_NAME, agreement_workflow
from pendopo.lib import codes, dates
from pendopo.regions.models import Agency, Region, Role, ServicePoint
from pendopo.regions.permissions import Action, can, role_in
from pendopo.workflow import engine
from pendopo.workflow.models import CaseKind, WorkflowDefinition

if TYPE_CHECKING:
    from pendopo.regions.models import User

AGREEMENT_KIND = CaseKind.AGREEMENT
ADMINS = (Role.REGION_ADMIN, Role.PLATFORM_ADMIN)
STAFF = (Role.OFFICER, Role.HEAD, Role.REGION_ADMIN, Role.PLATFORM_ADMIN)
STAGE_PATTERN = re.compile(r"^(20\d\d)(?:-Q([1-4]))?$")


def evaluations_per_year() -> int:
    return int(getattr(settings, "PENDOPO_COOPERATION_EVALUATIONS_PER_YEAR", 2))


def expiry_notice_days() -> int:
    return int(getattr(settings, "PENDOPO_COOPERATION_EXPIRY_NOTICE_DAYS", 90))


# --- set-up ---------------------------------------------------------------------------------------


def ensure_agreement_workflow(region: Region) -> WorkflowDefinition:
    """The region's agreement workflow, created (active) with its first agreement; later versions are the region's."""
    from pendopo.workflow.actions import create_definition

    active = WorkflowDefinition.objects.filter(region=region, code=WORKFLOW_CODE, status=WorkflowDefinition.Status.ACTIVE).first()
    return active or create_definition(region, WORKFLOW_CODE, WORKFLOW_NAME, agreement_workflow())


# --- helpers --------------------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _is_admin(actor: User | None, region: Region) -> bool:
    return role_in(actor, region) in ADMINS


def _is_staff(actor: User | None, region: Region) -> bool:
    return role_in(actor, region) in STAFF


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _once(model: type[models.Model], actor: User | None, token: str) -> Any:
    if token and actor is not None and actor.is_authenticated:
        return model._default_manager.filter(created_by=actor, idempotency_key=token[:64]).first()
    return None


def _lines(value: str | Iterable[str]) -> list[str]:
    items = value.splitlines() if isinstance(value, str) else list(value)
    return [" ".join(item.split()) for item in items if item and item.strip()]


# --- study visits ---------------------------------------------------------------------------------


def request_visit(
    actor: User,
    visitor: Region,
    host: Region,
    *,
    purpose: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    delegation: str,
    topics: str | Iterable[str],
    places: str = "",
    kind: str = "study",
    token: str = "",
) -> Visit:
    """The visiting region asks the host for a visit (purpose, dates, delegation, topics, places)."""
    _require(_is_staff(actor, visitor), _("Only the staff of the visiting region may request its visit."))
    existing = Visit.objects.filter(requested_by=actor, idempotency_key=token[:64]).first() if token else None
    if existing is not None:
        return existing
    errors: dict[str, str] = {}
    if host.pk == visitor.pk:
        errors["host"] = _("A region does not visit itself: choose another host region.")
    if not _text(purpose):
        errors["purpose"] = _("Say what the visit is for.")
    if starts_on is None:
        errors["starts_on"] = _("Give the first day of the visit.")
    if ends_on is None:
        errors["ends_on"] = _("Give the last day of the visit.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The last day comes before the first day.")
    if starts_on and ends_on and (ends_on - starts_on).days > 30:
        errors["ends_on"] = _("A visit lasts at most 31 days.")
    topic_list = _lines(topics)
    if not topic_list:
        errors["topics"] = _("Name at least one topic to learn about.")
    if not _lines(delegation):
        errors["delegation"] = _("Say who is in the delegation.")
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None and ends_on is not None  # noqa: S101 -- refused above when missing
    visit = Visit(
        host=host,
        visitor=visitor,
        code=codes.new_code(visitor.prefix),
        kind=kind,
        purpose=purpose.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        delegation="\n".join(_lines(delegation)),
        places="\n".join(_lines(places)),
        requested_by=actor,
        idempotency_key=token[:64],
    )
    visit.full_clean(exclude=["code", "host", "visitor", "requested_by"])
    try:
        with transaction.atomic():
            visit.save()
            Topic.objects.bulk_create(Topic(visit=visit, title=title[:200], order=n) for n, title in enumerate(topic_list))
    except IntegrityError:
        existing = Visit.objects.filter(requested_by=actor, idempotency_key=token[:64]).first() if token else None
        if existing is None:
            raise
        return existing
    return visit


def schedule_visit(actor: User, visit: Visit, agenda: Iterable[Mapping[str, Any]], *, note: str = "") -> Visit:
    """The host sets the agenda (sites, agencies to meet, hosts); it replaces an earlier one."""
    _require(_is_admin(actor, visit.host), _("Only the host region's administrator schedules the visit."))
    if visit.state not in (VisitState.REQUESTED, VisitState.SCHEDULED):
        raise ValidationError({"state": _("This visit can no longer be scheduled.")})
    items: list[AgendaItem] = []
    errors: list[str] = []
    for n, row in enumerate(agenda, start=1):
        day, starts_at, ends_at, title = row.get("day"), row.get("starts_at"), row.get("ends_at"), _text(row.get("title"))
        point, agency = row.get("service_point"), row.get("agency")
        if not title or day is None or starts_at is None or ends_at is None:
            errors.append(_("Agenda line %(n)s: give the day, the times and what happens.") % {"n": n})
            continue
        if not visit.starts_on <= day <= visit.ends_on:
            errors.append(_("Agenda line %(n)s: the day is outside the visit's dates.") % {"n": n})
        if starts_at >= ends_at:
            errors.append(_("Agenda line %(n)s: it ends before it starts.") % {"n": n})
        if any(place is not None and place.region_id != visit.host_id for place in (point, agency)):
            errors.append(_("Agenda line %(n)s: the place or agency is not the host region's.") % {"n": n})
        items.append(
            AgendaItem(
                visit=visit,
                day=day,
                starts_at=starts_at,
                ends_at=ends_at,
                kind=row.get("kind") or "site",
                title=title[:200],
                service_point=point,
                agency=agency,
                hosts=_text(row.get("hosts"))[:300],
            )
        )
    if not items and not errors:
        errors.append(_("An agenda has at least one item."))
    if errors:
        raise ValidationError({"agenda": errors})
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        locked.agenda.all().delete()
        AgendaItem.objects.bulk_create(items)
        locked.state = VisitState.SCHEDULED
        locked.host_note = note.strip()
        locked.updated_at = dates.now()
        locked.save(update_fields=["state", "host_note", "updated_at"])
    visit.refresh_from_db()
    return visit


def decline_visit(actor: User, visit: Visit, *, note: str) -> Visit:
    _require(_is_admin(actor, visit.host), _("Only the host region's administrator answers the request."))
    if visit.state != VisitState.REQUESTED:
        raise ValidationError({"state": _("Only a request not yet scheduled can be declined.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the visit is declined.")})
    Visit.objects.filter(pk=visit.pk).update(state=VisitState.DECLINED, host_note=note.strip(), updated_at=dates.now())
    visit.refresh_from_db()
    return visit


def record_held(actor: User, visit: Visit, *, today: dt.date | None = None) -> Visit:
    """Host or visitor records that the visit took place (on or after its first day)."""
    _require(
        _is_admin(actor, visit.host) or _is_staff(actor, visit.visitor), _("Only the two regions record that the visit was held.")
    )
    today = today or dates.today(visit.host.time_zone)
    if visit.state != VisitState.SCHEDULED:
        raise ValidationError({"state": _("Only a scheduled visit can be recorded as held.")})
    if visit.starts_on > today:
        raise ValidationError({"state": _("The visit has not started yet.")})
    Visit.objects.filter(pk=visit.pk).update(state=VisitState.HELD, updated_at=dates.now())
    visit.refresh_from_db()
    return visit


def _visitor_writes(actor: User, visit: Visit) -> None:
    _require(_is_staff(actor, visit.visitor), _("Only the visiting region records its participants and lessons."))
    if visit.state not in (VisitState.SCHEDULED, VisitState.HELD):
        raise ValidationError({"state": _("Participants and lessons are recorded for a scheduled or held visit.")})


def add_participant(actor: User, visit: Visit, *, name: str, position: str, is_council_member: bool = False) -> Participant:
    _visitor_writes(actor, visit)
    errors = {}
    if not _text(name):
        errors["name"] = _("Give the participant's name.")
    if not _text(position):
        errors["position"] = _("Give the participant's position.")
    if errors:
        raise ValidationError(errors)
    participant, _created = Participant.objects.get_or_create(
        visit=visit, name=_text(name)[:150], position=_text(position)[:200], defaults={"is_council_member": is_council_member}
    )
    return participant


def add_lesson(
    actor: User,
    visit: Visit,
    *,
    title: str,
    learnt: str,
    topic: Topic | None = None,
    service: Any = None,
    innovation: Any = None,
    service_point: ServicePoint | None = None,
    document_url: str = "",
    photo: Any = None,
) -> Lesson:
    """What the visitors learnt on a topic, with links to the host's service, innovation, place, document."""
    _visitor_writes(actor, visit)
    errors: dict[str, str] = {}
    if not _text(title):
        errors["title"] = _("Give the lesson a short title.")
    if not learnt.strip():
        errors["learnt"] = _("Write what was learnt.")
    if topic is not None and topic.visit_id != visit.pk:
        errors["topic"] = _("The topic is not one of this visit's.")
    if service is not None and (service.region_id != visit.host_id or service.published_standard_id is None):
        errors["service"] = _("Link a published service of the host region.")
    if innovation is not None and (innovation.region_id != visit.host_id or innovation.published_at is None):
        errors["innovation"] = _("Link a published innovation of the host region.")
    if service_point is not None and service_point.region_id != visit.host_id:
        errors["service_point"] = _("Link a place of the host region.")
    if photo:
        errors.update(_photo_problem(photo))
    if errors:
        raise ValidationError(errors)
    lesson = Lesson(
        visit=visit,
        topic=topic,
        title=_text(title)[:200],
        learnt=learnt.strip(),
        service=service,
        innovation=innovation,
        service_point=service_point,
        document_url=document_url.strip(),
        order=visit.lessons.count(),
    )
    lesson.full_clean(exclude=["visit", "topic", "service", "innovation", "service_point", "photo"])
    if photo:
        lesson.photo = photo
    lesson.save()
    return lesson


def _photo_problem(photo: Any) -> dict[str, str]:
    from PIL import Image, UnidentifiedImageError

    from pendopo.lib.images import check_pixels

    try:
        check_pixels(photo)  # before decoding: a small file can claim a huge image
        with Image.open(photo) as image:
            image.verify()
            if image.format not in ("JPEG", "PNG", "WEBP"):
                return {"photo": _("The photo must be a JPEG, PNG or WebP image.")}
    except ValidationError as exc:
        return {"photo": exc.messages[0]}
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return {"photo": _("This photo cannot be read; it may be damaged.")}
    photo.seek(0)
    return {}


# --- agreements ---------------------------------------------------------------------------------


def create_agreement(
    actor: User,
    region: Region,
    *,
    agency: Agency | None,
    title: str,
    form: str = Form.KSDD,
    nature: str = "voluntary",
    partner_region: Region | None = None,
    partner_name: str = "",
    affair: str = "",
    objective: str = "",
    visit: Visit | None = None,
    burdens_public: bool = False,
    budgeted_this_year: bool = True,
    evaluations_per_year: int | None = None,
    extends: Agreement | None = None,
    token: str = "",
) -> Agreement:
    """A new agreement in preparation, its stages a case on the region's agreement workflow."""
    existing = _once(Agreement, actor, token)
    if existing is not None:
        return existing
    errors: dict[str, str] = {}
    if agency is None or agency.region_id != region.pk:
        errors["agency"] = _("Choose the agency of the region that initiates the cooperation.")
    elif not can(actor, Action.ACT, agency):
        raise PermissionDenied(_("Only the initiating agency's staff or the region's administrator start an agreement."))
    if not _text(title):
        errors["title"] = _("Give the agreement a title.")
    if form not in Form.values:
        errors["form"] = _("Choose the form of the cooperation.")
    if form == Form.KSDD and partner_region is None and not _text(partner_name):
        errors["partner_region"] = _("Name the partner region.")
    if form != Form.KSDD and not _text(partner_name) and partner_region is None:
        errors["partner_name"] = _("Name the partner.")
    if partner_region is not None and partner_region.pk == region.pk:
        errors["partner_region"] = _("A region does not cooperate with itself.")
    if visit is not None and region.pk not in (visit.host_id, visit.visitor_id):
        errors["visit"] = _("The visit is not one of this region's.")
    if evaluations_per_year is not None and not 1 <= evaluations_per_year <= 12:
        errors["evaluations_per_year"] = _("Between 1 and 12 evaluations a year.")
    if errors:
        raise ValidationError(errors)
    assert agency is not None  # noqa: S101 -- refused above when missing
    definition = ensure_agreement_workflow(region)
    try:
        with transaction.atomic():
            case = engine.start_case(AGREEMENT_KIND, region, definition, agency=agency, actor=actor)
            agreement = Agreement.objects.create(
                region=region,
                case=case,
                agency=agency,
                title=_text(title)[:300],
                form=form,
                nature=nature,
                partner_region=partner_region,
                partner_name=_text(partner_name)[:300],
                affair=_text(affair)[:300],
                objective=objective.strip(),
                visit=visit,
                burdens_public=burdens_public,
                budgeted_this_year=budgeted_this_year,
                evaluations_per_year=evaluations_per_year,
                extends=extends,
                created_by=actor if actor is not None and actor.is_authenticated else None,
                idempotency_key=token[:64],
            )
    except IntegrityError:
        existing = _once(Agreement, actor, token)
        if existing is None:
            raise
        return existing
    return agreement


def council_required(agreement: Agreement) -> bool:
    return rules.council_required(
        agreement.form, burdens_public=agreement.burdens_public, budgeted_this_year=agreement.budgeted_this_year
    )


def _documents(agreement: Agreement) -> dict[str, Document]:
    return {doc.kind: doc for doc in agreement.documents.order_by("signed_on", "pk")}


def record_document(
    actor: User,
    agreement: Agreement,
    *,
    kind: str,
    number: str,
    signed_on: dt.date | None,
    signatory_name: str = "",
    capacity: str = "",
    kuasa_number: str = "",
    partner_signatory: str = "",
    file: Any = None,
    effective_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    special_law_basis: str = "",
) -> Document:
    """A document with its number and date; a signed one is checked against who may sign it,
    the offer's date, and (for the agreement that starts implementation) the 5-year term."""
    _require(
        can(actor, Action.ACT, agreement), _("Only the agreement's agency or the region's administrator records its documents.")
    )
    docs = _documents(agreement)
    errors: dict[str, str] = {}
    allowed = {*rules.DOCUMENTS_OF[agreement.form], DocumentKind.WORK_PLAN, DocumentKind.KUASA, DocumentKind.OTHER}
    allowed |= {DocumentKind.COUNCIL, DocumentKind.CENTRAL_APPROVAL, DocumentKind.EVALUATION}
    if kind not in allowed:
        errors["kind"] = _("This document is not one of this form of cooperation.")
    if not _text(number):
        errors["number"] = _("Give the document's number.")
    if signed_on is None:
        errors["signed_on"] = _("Give the document's date.")
    signed = kind in rules.SIGNED_KINDS
    if signed:
        if not _text(signatory_name):
            errors["signatory_name"] = _("Name who signed for the region.")
        if capacity not in Capacity.values:
            errors["capacity"] = _("Say in what capacity they signed.")
        elif not rules.may_sign(kind, capacity, kuasa_number=kuasa_number):
            if capacity == Capacity.KUASA and kind == DocumentKind.PKS:
                errors["kuasa_number"] = _("Give the number of the regional head's power of attorney.")
            elif kind == DocumentKind.OFFER:
                errors["capacity"] = _("The offer letter is signed by the regional head.")
            else:
                errors["capacity"] = _(
                    "Only the regional head signs this document; a holder of the power of attorney signs only the PKS."
                )
    offer = docs.get(DocumentKind.OFFER)
    if kind != DocumentKind.OFFER and kind in rules.SIGNED_KINDS:
        if offer is None:
            errors["kind"] = _("Record the offer letter first.")
        elif signed_on is not None and signed_on < offer.signed_on:
            errors["signed_on"] = _("The signature date comes before the offer letter (%(date)s).") % {
                "date": offer.signed_on.isoformat()
            }
    starts_implementation = kind == rules.DOCUMENTS_OF[agreement.form][-1]
    if starts_implementation:
        if effective_on is None:
            errors["effective_on"] = _("Give the date the cooperation comes into force.")
        if ends_on is None:
            errors["ends_on"] = _("Give the last day of the cooperation.")
        if effective_on and ends_on:
            if ends_on < effective_on:
                errors["ends_on"] = _("The cooperation ends before it starts.")
            elif not rules.term_ok(effective_on, ends_on, special_law_basis=special_law_basis):
                errors["ends_on"] = _("A cooperation runs at most 5 years: the latest end is %(date)s.") % {
                    "date": rules.latest_end(effective_on).isoformat()
                }
    if not errors and Document.objects.filter(agreement=agreement, kind=kind, number=_text(number)).exists():
        errors["number"] = _("This document is already recorded.")
    if errors:
        raise ValidationError(errors)
    assert signed_on is not None  # noqa: S101 -- refused above when missing
    with transaction.atomic():
        document = Document.objects.create(
            region_id=agreement.region_id,
            agreement=agreement,
            kind=kind,
            number=_text(number)[:120],
            signed_on=signed_on,
            signatory_name=_text(signatory_name)[:150],
            capacity=capacity if signed else "",
            kuasa_number=_text(kuasa_number)[:120],
            partner_signatory=_text(partner_signatory)[:200],
            file=file or "",
            recorded_by=actor,
        )
        if starts_implementation:
            agreement.effective_on, agreement.ends_on = effective_on, ends_on
            agreement.special_law_basis = special_law_basis.strip()[:300]
            agreement.save(update_fields=["effective_on", "ends_on", "special_law_basis"])
    return document


def _stage_problem(agreement: Agreement, action: str, docs: Mapping[str, Document]) -> str | None:
    central = agreement.form == Form.CENTRAL
    foreign = agreement.form in (Form.KSDPL, Form.KSDLL)
    last = rules.DOCUMENTS_OF[agreement.form][-1]
    state = agreement.case.state
    if action == "offer" and DocumentKind.OFFER not in docs:
        return _("Record the signed offer letter first.")
    if action == "draft_kb" and central:
        return _("A memorandum with the central government has no joint agreement: draft the memorandum.")
    if action == "draft_nk" and not central:
        return _("Only a cooperation with the central government is a memorandum (Nota Kesepakatan).")
    if action == "draft_pks":
        joint = DocumentKind.LOI if foreign else DocumentKind.KB
        if joint not in docs:
            return _("Record the signed joint agreement first.")
    if action == "to_council" and not council_required(agreement):
        return _("This cooperation needs no council approval: send it to signature.")
    if action == "to_pks_signature":
        if state == "penyusunan_pks" and council_required(agreement):
            return _(
                "This cooperation needs the council's (DPRD) approval first: "
                "it burdens the community or is not in this year's budget."
            )
        if state == "persetujuan_dprd":
            if DocumentKind.COUNCIL not in docs:
                return _("Record the council's approval first.")
            if rules.central_approval_required(agreement.form) and DocumentKind.CENTRAL_APPROVAL not in docs:
                return _("Record the central government's approval first.")
    if action == "implement" and last not in docs:
        return _("Record the signed agreement with its term first.")
    return None


def advance(actor: User, agreement: Agreement, action: str, *, note: str = "", expected_version: int | None = None) -> Agreement:
    """Take the stage action `action` (engine roles and states, plus this stage's rules)."""
    agreement = Agreement.objects.select_related("case", "region", "agency").get(pk=agreement.pk)
    problem = _stage_problem(agreement, action, _documents(agreement))
    if problem:
        raise ValidationError({"action": problem})
    with transaction.atomic():
        engine.apply_action(agreement.case_id, action, actor, note=note, expected_version=expected_version)
        if action == "extend":
            create_agreement(
                actor,
                agreement.region,
                agency=agreement.agency,
                title=agreement.title,
                form=agreement.form,
                nature=agreement.nature,
                partner_region=agreement.partner_region,
                partner_name=agreement.partner_name,
                affair=agreement.affair,
                objective=agreement.objective,
                visit=agreement.visit,
                burdens_public=agreement.burdens_public,
                budgeted_this_year=agreement.budgeted_this_year,
                evaluations_per_year=agreement.evaluations_per_year,
                extends=agreement,
            )
    return Agreement.objects.select_related("case", "region", "agency").get(pk=agreement.pk)


def record_evaluation(
    actor: User,
    agreement: Agreement,
    *,
    held_on: dt.date | None,
    findings: str,
    document_number: str = "",
    file: Any = None,
    today: dt.date | None = None,
) -> Evaluation:
    _require(
        can(actor, Action.ACT, agreement), _("Only the agreement's agency or the region's administrator records evaluations.")
    )
    today = today or dates.today(agreement.region.time_zone)
    errors: dict[str, str] = {}
    if agreement.effective_on is None:
        errors["held_on"] = _("An agreement is evaluated once it is in force.")
    if held_on is None:
        errors["held_on"] = _("Give the date of the evaluation.")
    elif agreement.effective_on and held_on < agreement.effective_on:
        errors["held_on"] = _("The evaluation comes before the agreement came into force.")
    elif held_on > today:
        errors["held_on"] = _("The evaluation date is in the future.")
    if not findings.strip():
        errors["findings"] = _("Write the evaluation's findings.")
    if errors:
        raise ValidationError(errors)
    assert held_on is not None  # noqa: S101 -- refused above when missing
    evaluation, _created = Evaluation.objects.get_or_create(
        agreement=agreement,
        held_on=held_on,
        findings=findings.strip(),
        defaults={
            "region_id": agreement.region_id,
            "document_number": _text(document_number)[:120],
            "file": file or "",
            "recorded_by": actor,
        },
    )
    return evaluation


def cadence_of(agreement: Agreement) -> int:
    return agreement.evaluations_per_year or evaluations_per_year()


def evaluation_status(agreement: Agreement, as_of: dt.date | None = None) -> list[rules.EvaluationPeriod]:
    as_of = as_of or dates.today(agreement.region.time_zone)
    return rules.evaluation_status(
        effective_on=agreement.effective_on,
        ends_on=agreement.ends_on,
        per_year=cadence_of(agreement),
        held_on=[e.held_on for e in agreement.evaluations.all()],
        as_of=as_of,
    )


# --- the roadmap --------------------------------------------------------------------------------


NEXT_STATES: dict[str, tuple[str, ...]] = {
    CommitmentState.PROPOSED: (CommitmentState.PLANNED, CommitmentState.DROPPED),
    CommitmentState.PLANNED: (CommitmentState.IN_PROGRESS, CommitmentState.DROPPED),
    CommitmentState.IN_PROGRESS: (CommitmentState.ADOPTED, CommitmentState.DROPPED),
    CommitmentState.ADOPTED: (),
    CommitmentState.DROPPED: (),
}
# What each result indicator is measured on.
NEEDS_SERVICE = frozenset({ResultMetric.APPLICATIONS, ResultMetric.ON_TIME, ResultMetric.IKM})


def create_commitment(
    actor: User,
    region: Region,
    *,
    title: str,
    owner: Agency | None,
    stage: str,
    due_on: dt.date | None,
    kind: str = CommitmentKind.OTHER,
    priority: int = 2,
    visit: Visit | None = None,
    agreement: Agreement | None = None,
    service: Any = None,
    innovation: Any = None,
    service_point: ServicePoint | None = None,
    indicator: Any = None,
    result_metric: str = "",
    result_months: int = 6,
    token: str = "",
) -> Commitment:
    _require(_is_staff(actor, region), _("Only the region's staff add to its roadmap."))
    existing = _once(Commitment, actor, token)
    if existing is not None:
        return existing
    errors: dict[str, str] = {}
    if not _text(title):
        errors["title"] = _("Say what the region commits to.")
    if owner is None:
        errors["owner"] = _("A commitment needs an owner agency.")
    elif owner.region_id != region.pk:
        errors["owner"] = _("The owner agency must be one of the region's.")
    if not STAGE_PATTERN.match(stage or ""):
        errors["stage"] = _("Give the stage as a year or a quarter: 2022 or 2022-Q3.")
    if due_on is None:
        errors["due_on"] = _("Give the deadline.")
    if kind not in CommitmentKind.values:
        errors["kind"] = _("Choose what kind of commitment it is.")
    if priority not in (1, 2, 3):
        errors["priority"] = _("Choose a priority.")
    if visit is None and agreement is None:
        errors["visit"] = _("A commitment comes from a visit or an agreement.")
    if visit is not None and region.pk not in (visit.visitor_id, visit.host_id):
        errors["visit"] = _("The visit is not one of this region's.")
    if agreement is not None and agreement.region_id != region.pk:
        errors["agreement"] = _("The agreement is not one of this region's.")
    for field, obj in (
        ("service", service),
        ("innovation", innovation),
        ("service_point", service_point),
        ("indicator", indicator),
    ):
        if obj is not None and obj.region_id != region.pk:
            errors[field] = _("Link the region's own record (the adopted copy), not the host's.")
    if result_metric not in ResultMetric.values:
        errors["result_metric"] = _("This result indicator does not exist.")
    elif result_metric in NEEDS_SERVICE and service is None:
        errors["result_metric"] = _("This result indicator is measured on a service: link the adopted service.")
    if not 1 <= (result_months or 0) <= 36:
        errors["result_months"] = _("Measure the result over 1 to 36 months.")
    if errors:
        raise ValidationError(errors)
    assert owner is not None and due_on is not None  # noqa: S101 -- refused above when missing
    try:
        with transaction.atomic():
            return Commitment.objects.create(
                region=region,
                code=codes.new_code(region.prefix),
                visit=visit,
                agreement=agreement,
                title=_text(title)[:300],
                kind=kind,
                owner=owner,
                priority=priority,
                stage=stage,
                due_on=due_on,
                service=service,
                innovation=innovation,
                service_point=service_point,
                indicator=indicator,
                result_metric=result_metric,
                result_months=result_months,
                created_by=actor,
                idempotency_key=token[:64],
            )
    except IntegrityError:
        existing = _once(Commitment, actor, token)
        if existing is None:
            raise
        return existing


def move_commitment(
    actor: User,
    commitment: Commitment,
    state: str,
    *,
    reason: str = "",
    evidence: str = "",
    evidence_url: str = "",
    adopted_on: dt.date | None = None,
    service: Any = None,
    innovation: Any = None,
) -> Commitment:
    """Move a commitment on: proposed → planned → in progress → adopted, or dropped with a reason."""
    _require(can(actor, Action.ACT, commitment), _("Only the owner agency or the region's administrator moves the commitment."))
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if state == locked.state:
            return locked  # a double submit: already there
        errors: dict[str, str] = {}
        if state not in NEXT_STATES.get(locked.state, ()):
            errors["state"] = _("A commitment that is %(now)s cannot become %(next)s.") % {
                "now": CommitmentState(locked.state).label,
                "next": CommitmentState(state).label if state in CommitmentState.values else state,
            }
        if state == CommitmentState.DROPPED and not reason.strip():
            errors["reason"] = _("Say why the commitment is dropped.")
        for field, obj in (("service", service), ("innovation", innovation)):
            if obj is not None and obj.region_id != locked.region_id:
                errors[field] = _("Link the region's own record (the adopted copy), not the host's.")
        if state == CommitmentState.ADOPTED:
            if not (evidence.strip() or evidence_url.strip() or locked.evidence or locked.evidence_url):
                errors["evidence"] = _("An adopted commitment needs its evidence.")
            today = dates.today(locked.region.time_zone)
            if adopted_on is not None and adopted_on > today:
                errors["adopted_on"] = _("The adoption date is in the future.")
        if errors:
            raise ValidationError(errors)
        locked.state = state
        if state == CommitmentState.DROPPED:
            locked.dropped_reason = reason.strip()
        if evidence.strip():
            locked.evidence = evidence.strip()
        if evidence_url.strip():
            locked.evidence_url = evidence_url.strip()
        if service is not None:
            locked.service = service
        if innovation is not None:
            locked.innovation = innovation
        if state == CommitmentState.ADOPTED:
            locked.adopted_on = adopted_on or dates.today(locked.region.time_zone)
            if locked.result_metric in NEEDS_SERVICE and locked.service_id is None:
                raise ValidationError({"service": _("This result indicator is measured on a service: link the adopted service.")})
        locked.updated_at = dates.now()
        locked.save()
    return locked
