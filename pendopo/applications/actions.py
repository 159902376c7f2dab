"""Every write to applications: applying online, registering a walk-in, taking a step, assigning.

Each action runs in one transaction: the workflow engine opens or moves the case (row lock,
version check, append-only event, deadlines), this module writes the application and its
documents, and the notifications to the applicant go into the outbox in the same transaction
(pendopo.applications.hooks). Files are written to storage before the commit; if the
transaction fails, the files just written are removed again, so nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pendopo.applications import caching
from pendopo.applications.hooks import notify_applicant
from pendopo.applications.models import Application, Channel, Document, RequirementCheck, new_document_key
from pendopo.applications.received import count_received
from pendopo.applications.requirements import ANSWER_PREFIX, answer_slots_of, requirement_slots_of
from pendopo.applications.workflows import overall_time_limit, workflow_for
from pendopo.catalog.models import StandardStatus
from pendopo.catalog.selectors import standard_in_force
from pendopo.lib import dates
from pendopo.lib.files import delete_stored_file
from pendopo.regions import personal
from pendopo.regions.models import Role, ServicePoint
from pendopo.regions.permissions import Action, can
from pendopo.workflow import engine
from pendopo.workflow.definition import STAFF_ROLES, ActorRole, StateKind
from pendopo.workflow.errors import AlreadyTaken, Conflict, WorkflowError
from pendopo.workflow.models import Case, CaseEvent, CaseKind
from pendopo.workflow.permissions import roles_for

if TYPE_CHECKING:
    from pendopo.applications.forms import ApplicationInput, Upload
    from pendopo.applications.uploads import CheckedFile
    from pendopo.catalog.models import Service, ServiceStandard
    from pendopo.regions.models import User

logger = logging.getLogger(__name__)


class DocumentsToFix(WorkflowError):
    """The applicant sends a revision back while what the officer marked (documents, answers) is not fixed yet."""

    code = "documents_to_fix"
    http_status = 422


class Unavailable(ValidationError):
    """The service cannot be applied for (not published, not offered on this channel)."""


def _standard(service: Service, at: dt.datetime) -> ServiceStandard:
    if not (service.is_active and service.region.is_active):
        raise Unavailable(_("This service is not offered at the moment."), code="service_inactive")
    standard = standard_in_force(service, at.astimezone(ZoneInfo(service.region.time_zone)).date())
    if standard is None or standard.status == StandardStatus.DRAFT:
        raise Unavailable(_("This service has no published service standard yet."), code="no_standard")
    return standard


@contextmanager
def _cleanup_on_failure() -> Iterator[list[str]]:
    """Collects the names of files written; removes them if the block (and so the transaction) fails."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def _store(
    application: Application,
    upload: Upload,
    actor: User | None,
    written: list[str],
    key: str | None = None,
    event_seq: int | None = None,
) -> Document:
    checked = upload.file
    document = Document(
        key=key or new_document_key(),
        region_id=application.region_id,
        application=application,
        kind=upload.kind,
        slot=upload.slot,
        label=upload.label[:500],
        original_name=checked.original_name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        event_seq=event_seq,
    )
    document.region = application.region
    checked.upload.seek(0)
    document.file.save("upload", checked.upload, save=False)
    written.append(document.file.name or "")
    document.save(force_insert=True)
    return document


def _create(
    service: Service,
    data: ApplicationInput,
    *,
    actor: User | None,
    owner: User | None,
    channel: str,
    service_point: ServicePoint | None,
    registered_by: User | None,
    received_at: dt.datetime | None,
    token: str = "",
) -> Application:
    if token and (existing := _sent_before(service, token, actor)) is not None:
        return existing
    received_at = received_at or dates.now()
    standard = _standard(service, received_at)
    definition = workflow_for(service)
    try:
        return _write(
            service,
            data,
            standard=standard,
            definition=definition,
            actor=actor,
            owner=owner,
            channel=channel,
            service_point=service_point,
            registered_by=registered_by,
            received_at=received_at,
            token=token,
        )
    except IntegrityError:
        # The same form raced in twice: the other request wrote it first (the unique token).
        if token and (existing := _sent_before(service, token, actor)) is not None:
            return existing
        raise


def _sent_before(service: Service, token: str, actor: User | None) -> Application | None:
    """The application an earlier POST of the same form created, if it was this actor's."""
    existing = Application.objects.filter(region_id=service.region_id, idempotency_key=token).select_related("case").first()
    if existing is None:
        return None
    if actor is None or actor.pk not in (existing.case.owner_id, existing.registered_by_id):
        raise ValidationError(_("This form was already sent. Open the form again to start a new application."), code="token")
    return existing


def _write(
    service: Service,
    data: ApplicationInput,
    *,
    standard: ServiceStandard,
    definition: Any,
    actor: User | None,
    owner: User | None,
    channel: str,
    service_point: ServicePoint | None,
    registered_by: User | None,
    received_at: dt.datetime,
    token: str,
) -> Application:
    with _cleanup_on_failure() as written, transaction.atomic():
        case = engine.start_case(
            CaseKind.APPLICATION,
            service.region,
            definition,
            agency=service.agency,
            service_point=service_point,
            overall_time_limit=overall_time_limit(standard),
            actor=actor,
            received_at=received_at,
            owner=owner,
            data={"channel": channel, "service": service.code, "standard_version": standard.version},
        )
        application = Application(
            case=case,
            region=service.region,
            service=service,
            standard=standard,
            channel=channel,
            applicant_name=data.applicant.name,
            applicant_email=data.applicant.email,
            notify_by=data.applicant.notify_by if data.applicant.phone else "",
            form_data=data.form_data,
            protected_data={key: personal.protect(value)[0] for key, value in data.protected.items()},
            registered_by=registered_by,
            created_at=received_at,
            idempotency_key=token,
        )
        application.set_nik(data.applicant.nik)
        application.set_phone(data.applicant.phone)
        application.save(force_insert=True)
        count_received(application, service.region)
        for upload in data.uploads:
            _store(application, upload, actor, written, event_seq=1)
        start = CaseEvent.objects.get(case=case, seq=1)
        notify_applicant(application, start)
    logger.info("Application %s received (%s, service %s).", case.code, channel, service.code)
    return application


def submit_application(
    actor: User, service: Service, data: ApplicationInput, *, received_at: dt.datetime | None = None, token: str = ""
) -> Application:
    """A citizen applies online; they own the application. The same form `token` twice returns the first one."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Log in to apply online."))
    if not service.channel_online:
        raise Unavailable(_("This service cannot be applied for online; please visit a service counter."), code="channel")
    return _create(
        service,
        data,
        actor=actor,
        owner=actor,
        channel=Channel.ONLINE,
        service_point=None,
        registered_by=None,
        received_at=received_at,
        token=token,
    )


def walk_in_places(officer: User, service: Service) -> list[ServicePoint]:
    """The service points where `officer` may register a walk-in for `service` (their own counters and village offices)."""
    points = []
    for membership in officer.active_memberships:
        if membership.region_id != service.region_id or membership.role not in (Role.OFFICER, Role.HEAD):
            continue
        point = membership.service_point
        if point is None or not point.is_active:
            continue
        if point.agency_id is not None and point.agency_id != service.agency_id:
            continue  # an agency's counter serves that agency's services only
        offered = (
            service.channel_village_office if point.kind == ServicePoint.Kind.VILLAGE_OFFICE else service.channel_service_mall
        )
        if offered and point not in points:
            points.append(point)
    return points


def may_register_walk_ins(officer: User | None, service: Service) -> bool:
    if officer is None or not officer.is_authenticated:
        return False
    if walk_in_places(officer, service):
        return True
    return (
        any(
            m.region_id == service.region_id and (m.role == Role.REGION_ADMIN or m.agency_id == service.agency_id)
            for m in officer.active_memberships
        )
        or officer.is_platform_admin
    )


def register_walk_in(
    officer: User, service: Service, data: ApplicationInput, *, received_at: dt.datetime | None = None, token: str = ""
) -> Application:
    """An officer registers an applicant who came in person (at a counter, a village office or the agency).

    The applicant owns no account here: they follow the application by its tracking code and
    receive its steps by SMS/WhatsApp or email. The officer must work at the chosen service point
    (which must offer the service), or for the service's agency (then no service point is recorded).
    """
    if not may_register_walk_ins(officer, service):
        raise PermissionDenied(_("You may not register applications for this service."))
    point = None
    if data.service_point_id is not None:
        point = next((p for p in walk_in_places(officer, service) if p.pk == data.service_point_id), None)
        if point is None:
            raise ValidationError({"applicant-place": _("Choose a service point where you work that offers this service.")})
    channel = Channel.VILLAGE_OFFICE if point is not None and point.kind == ServicePoint.Kind.VILLAGE_OFFICE else Channel.COUNTER
    return _create(
        service,
        data,
        actor=officer,
        owner=None,
        channel=channel,
        service_point=point,
        registered_by=officer,
        received_at=received_at,
        token=token,
    )


def take_action(
    application: Application,
    action_key: str,
    actor: User,
    *,
    note: str = "",
    upload: CheckedFile | None = None,
    uploads: list[Upload] | None = None,
    expected_version: int | None = None,
) -> Application:
    """One step of the application's workflow, with its note and documents, through the engine.

    Raises the engine's WorkflowError subclasses (NotAllowed, WrongState, Conflict,
    NoteRequired, DocumentRequired); nothing is written when it does.
    """
    from pendopo.applications.forms import Upload as UploadItem

    items = list(uploads or [])
    if upload is not None:
        items.append(UploadItem(Document.Kind.ACTION, "action", _("Document for the step"), upload))
    keys = [new_document_key() for _item in items]
    references = [
        {"key": key, "name": item.file.original_name, "sha256": item.file.sha256} for key, item in zip(keys, items, strict=True)
    ]
    with engine.lock_failures_as_conflicts(), _cleanup_on_failure() as written, transaction.atomic():
        _refuse_revision_with_documents_to_fix(application, action_key, actor)
        event = engine.apply_action(
            application.case_id,
            action_key,
            actor,
            note=note,
            documents=references,
            expected_version=expected_version if expected_version is not None else application.case.lock_version,
        )
        case = event.case
        if not case.is_closed and case.assigned_to_id is None and roles_for(case, actor) - {ActorRole.APPLICANT}:
            # Whoever works on an unassigned case holds it from then on (the inbox's "assigned to"),
            # as part of this step (its event names the actor): no separate assignment event.
            Case.objects.filter(pk=case.pk, assigned_to=None).update(assigned_to=actor)
            case.assigned_to = actor
        caching.forget_on_commit(case.code)
        for key, item in zip(keys, items, strict=True):
            _store(application, item, actor, written, key=key, event_seq=event.seq)
        application.case = case
        notify_applicant(application, event)
    return application


def _refuse_revision_with_documents_to_fix(application: Application, action_key: str, actor: User) -> None:
    """While the application waits for its applicant, sending it back on (not withdrawing it) needs every
    document marked invalid replaced first: the message names them. Read under the case's row lock, so a
    replacement committed just before counts."""
    from pendopo.applications.selectors import rows_to_fix

    case = application.case
    if case.is_closed or case.current_state.kind != StateKind.WAITING_APPLICANT:
        return
    action = case.spec.action(action_key)
    if action is None or case.spec.state(action.to).is_terminal or ActorRole.APPLICANT not in roles_for(case, actor):
        return
    engine.lock_case(application.case_id)
    to_fix = [row.label for row in rows_to_fix(application)]
    if to_fix:
        raise DocumentsToFix(
            _("Fix what was marked before sending the application again: %(documents)s.") % {"documents": ", ".join(to_fix)}
        )


def assign(application: Application, assignee: User | None, actor: User, *, expected_version: int | None = None) -> Application:
    """Give the application to a staff member ("I take it" when `assignee` is `actor`), at the version the actor saw.

    Raises AlreadyTaken (naming who holds it) when someone else took it since, Conflict when the case moved otherwise.
    """
    try:
        with engine.lock_failures_as_conflicts(), transaction.atomic():
            application.case = engine.assign_case(application.case_id, assignee, actor, expected_version=expected_version)
            caching.forget_on_commit(application.case.code)
    except AlreadyTaken:
        raise
    except Conflict as exc:
        # Met another writer's lock (SQLite's BEGIN IMMEDIATE): say who holds the case now, if anyone else.
        raise engine.taken_or_conflict(application.case_id, actor) from exc
    return application


# --- checking requirements, replacing documents (issue #11 items 8 and 9) --------------------------


def _staff_on(case: Case, actor: User) -> bool:
    return bool(roles_for(case, actor) & STAFF_ROLES)


def check_requirement(application: Application, slot: str, status: str, actor: User, *, note: str = "") -> RequirementCheck:
    """An officer marks one requirement received, valid or invalid (invalid needs a note saying what to fix).

    Appends a RequirementCheck (the checks are their own audit trail) under the case's row lock,
    so it never lands on a case that another request just closed.
    """
    note = " ".join(note.split())[:500]
    slots = {row.slot for row in [*requirement_slots_of(application.standard), *answer_slots_of(application.standard)]}
    if slot not in slots:
        raise ValidationError({"slot": _("This application has no such requirement.")}, code="unknown_requirement")
    if status not in RequirementCheck.Status.values:
        raise ValidationError({"status": _("Choose received, valid or invalid.")}, code="status")
    if status == RequirementCheck.Status.INVALID and not note:
        raise ValidationError({"note": _("Say what is wrong, so the applicant knows what to fix.")}, code="note_required")
    with engine.lock_failures_as_conflicts(), transaction.atomic():
        case = engine.lock_case(application.case_id)
        if not _staff_on(case, actor):
            raise PermissionDenied(_("Only the staff handling this application check its requirements."))
        if case.is_closed:
            raise ValidationError(_("This application is finished; its requirements can no longer be checked."), code="closed")
        check = RequirementCheck.objects.create(
            region_id=application.region_id, application=application, slot=slot, status=status, note=note, checked_by=actor
        )
    logger.info("Requirement %s of application %s checked: %s.", slot, case.code, status)
    return check


def mark_originals_checked(application: Application, actor: User) -> Application:
    """The counter officer has seen the walk-in applicant's original documents (asli sudah diperiksa); set once."""
    if application.channel == Channel.ONLINE:
        raise ValidationError(_("Originals are checked for applications registered at a counter."), code="online")
    with engine.lock_failures_as_conflicts(), transaction.atomic():
        case = engine.lock_case(application.case_id)
        if not _staff_on(case, actor):
            raise PermissionDenied(_("Only the staff handling this application check its originals."))
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.originals_checked_at is None:
            locked.originals_checked_at = dates.now()
            locked.originals_checked_by = actor
            locked.save(update_fields=["originals_checked_at", "originals_checked_by"])
            logger.info("Originals of application %s checked.", case.code)
        application.originals_checked_at = locked.originals_checked_at
        application.originals_checked_by = locked.originals_checked_by
    return application


REMOVAL_REASON_LIMIT = 300


def may_remove_documents(actor: User | None, application: Application) -> bool:
    """The region administrator removes a document for good (personal data that should not be there)."""
    return can(actor, Action.MANAGE, application)


def remove_document(document: Document, actor: User, reason: str) -> Document:
    """Remove an uploaded document for good: the file and every file derived from it are deleted once
    the change is committed; the row stays, with no file, as the record of who removed it, when and why.

    Nothing of a document is ever copied into the outbox (messages name the requirement, never attach
    the file), so no message changes. Removing a removed document again changes nothing.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > REMOVAL_REASON_LIMIT:
        raise ValidationError({"reason": ValidationError(_("Say why it is removed, in at most 300 characters."), code="reason")})
    if not may_remove_documents(actor, document.application):
        raise PermissionDenied(_("Only the region administrator removes a document for good."))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.removed_at is None:
            name, storage = locked.file.name or "", locked.file.storage
            now = dates.now()
            # An update, not save(): a document is otherwise never changed (`Document.save`).
            Document.objects.filter(pk=locked.pk).update(file="", removed_at=now, removed_by=actor, removal_reason=reason)
            locked.file.name, locked.removed_at, locked.removed_by, locked.removal_reason = "", now, actor, reason
            transaction.on_commit(lambda: delete_stored_file(name, storage))
            logger.info("Document %s of application %s removed for good by user %s.", locked.pk, locked.application_id, actor.pk)
    return locked


def _lock_in_revision(application: Application, actor: User, not_theirs: str, not_in_revision: str) -> Case:
    """The case under its row lock, if `actor` fixes it for its applicant (the owner, or the staff for a
    walk-in without an account) while it waits for them; PermissionDenied or ValidationError otherwise."""
    case = engine.lock_case(application.case_id)
    roles = roles_for(case, actor)
    if ActorRole.APPLICANT not in roles and not (case.owner_id is None and roles & STAFF_ROLES):
        raise PermissionDenied(not_theirs)
    if case.is_closed or case.current_state.kind != StateKind.WAITING_APPLICANT:
        raise ValidationError(not_in_revision, code="not_in_revision")
    return case


def replace_document(application: Application, slot: str, checked: CheckedFile, actor: User) -> Document:
    """The applicant replaces one document the officer marked invalid, while the application waits for them.

    The new file is a new Document row of the same slot (the current one from now on); the old
    row stays in the history. Staff may do it for a walk-in applicant, who has no account.
    """
    from pendopo.applications.forms import Upload as UploadItem
    from pendopo.applications.selectors import requirement_rows

    with engine.lock_failures_as_conflicts(), _cleanup_on_failure() as written, transaction.atomic():
        case = _lock_in_revision(
            application,
            actor,
            _("Only the applicant replaces the application's documents."),
            _("Documents are replaced only while the application is returned to you for revision."),
        )
        row = next((r for r in requirement_rows(application) if r.slot == slot), None)
        if row is None or not row.is_upload:
            raise ValidationError({"slot": _("This application has no such document.")}, code="unknown_requirement")
        if not row.to_fix:
            raise ValidationError(
                {"slot": _("This document was not marked to be fixed; only the documents marked invalid are replaced.")},
                code="not_invalid",
            )
        kind = Document.Kind.REQUIREMENT if slot.startswith("req-") else Document.Kind.FORM_FIELD
        document = _store(application, UploadItem(kind, slot, row.label, checked), actor, written)
    logger.info("Document %s of application %s replaced.", slot, case.code)
    return document


def correct_answers(application: Application, values: dict[str, Any], actor: User) -> Application:
    """The applicant corrects the answers the officer reopened, while the application waits for them.

    Only reopened answers (marked invalid, not corrected since) change; the case's event
    `correct` names the fields (not their values) so the officer sees what to check again.
    """
    from pendopo.applications.selectors import answer_rows

    with engine.lock_failures_as_conflicts(), transaction.atomic():
        case = _lock_in_revision(
            application,
            actor,
            _("Only the applicant corrects the application's answers."),
            _("Answers are corrected only while the application is returned to you for revision."),
        )
        reopened = {row.slot.removeprefix(ANSWER_PREFIX) for row in answer_rows(application) if row.to_fix}
        if not values or not set(values) <= reopened:
            raise ValidationError(_("Only the answers the officer reopened are corrected."), code="not_reopened")
        locked = Application.objects.select_for_update().get(pk=application.pk)
        locked.form_data = {**(locked.form_data or {}), **values}
        locked.save(update_fields=["form_data"])
        application.form_data = locked.form_data
        now = dates.now()
        case.lock_version += 1
        case.updated_at = now
        case.save(update_fields=["lock_version", "updated_at"])
        engine.append_event(
            case, CaseEvent.CORRECT, actor, ActorRole.APPLICANT, case.state, case.state, "", [], {"fields": sorted(values)}, now
        )
        caching.forget_on_commit(case.code)
        application.case = case
    logger.info("Answers of application %s corrected: %s.", case.code, ", ".join(sorted(values)))
    return application
