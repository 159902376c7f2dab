"""Every write to complaints: file, answer, act on the workflow, reroute, moderate, issue API keys.

Each function runs in one transaction: a complaint and its case, event, photos and outbox
message are written together or not at all (photo files written before a rollback are
removed). The workflow itself (states, deadlines, escalation) is the shared engine's
(pendopo.workflow.engine); this module adds the complaint's own rows around it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pendopo.complaints import keys, notify
from pendopo.complaints.hooks import after_step
from pendopo.complaints.models import (
    ApiClient,
    Channel,
    Classification,
    Complaint,
    ComplaintCategory,
    ComplaintMessage,
    ComplaintPhoto,
    Datatype,
    MessageKind,
    Open311Type,
    Privacy,
    RejectionKind,
    Verification,
)
from pendopo.complaints.photos import blurred, check_photo, max_photos
from pendopo.lib import dates
from pendopo.lib.files import delete_stored_file
from pendopo.regions.models import Village
from pendopo.regions.permissions import Action, can
from pendopo.workflow.actions import DEFAULT_COMPLAINT_CODE
from pendopo.workflow.definition import ActorRole
from pendopo.workflow.engine import (
    append_event,
    apply_action,
    lock_case,
    lock_failures_as_conflicts,
    reroute_case,
    start_case,
)
from pendopo.workflow.models import Case, CaseKind
from pendopo.workflow.permissions import roles_for
from pendopo.workflow.selectors import definition_for

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from pendopo.regions.models import Agency, Region, User

logger = logging.getLogger(__name__)

# "Not html or code" (GeoReport v2): a tag, a comment, or an HTML entity is refused.
_HTML = re.compile(r"<\s*[a-zA-Z!/?]|&[a-zA-Z]+;|&#\d+;")
# Workflow actions whose note the complainant and the public read (the rest stay between staff).
PUBLIC_NOTE_ACTIONS = frozenset({"respond", "resolve", "not_our_authority", "postpone"})
COMPLAINANT_NOTE_ACTIONS = frozenset({"reopen", "complete_report"})


@dataclass
class Filing:
    """What a complainant (or an officer for them, or an Open311 client) sends."""

    category: ComplaintCategory
    description: str = ""
    classification: str = Classification.COMPLAINT
    privacy: str = Privacy.IDENTIFIED
    channel: str = Channel.WEB
    latitude: Any = None
    longitude: Any = None
    village_code: str = ""
    address: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    media_url: str = ""
    photos: list[UploadedFile] = field(default_factory=list)
    token: str = ""  # the form's idempotency token (pendopo/lib/once.py)


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    secret: str  # shown once to the complainant; only its digest is kept ("" when filed before: a resend)


# --- validation -------------------------------------------------------------------------------


def check_text(value: str, field_name: str, limit: int = Complaint.MAX_DESCRIPTION) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ValidationError(
            {
                field_name: ValidationError(
                    _("At most %(limit)s characters (this has %(count)s).") % {"limit": limit, "count": len(text)},
                    code="too_long",
                )
            }
        )
    if _HTML.search(text):
        raise ValidationError({field_name: ValidationError(_("Write plain text: HTML or code is not accepted."), code="html")})
    return text


def parse_coordinates(lat: Any, long: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither; WGS84 latitude -90..90 and longitude -180..180."""
    lat_s, long_s = ("" if lat is None else str(lat).strip()), ("" if long is None else str(long).strip())
    if not lat_s and not long_s:
        return None, None
    if not lat_s or not long_s:
        raise ValidationError(
            {
                "lat" if not lat_s else "long": ValidationError(
                    _("Give both latitude and longitude, or neither."), code="lat_long_pair"
                )
            }
        )
    errors: dict[str, ValidationError] = {}
    values: dict[str, Decimal] = {}
    for name, raw, bound in (("lat", lat_s, 90), ("long", long_s, 180)):
        try:
            number = Decimal(raw)
        except InvalidOperation:
            errors[name] = ValidationError(_("“%(value)s” is not a number.") % {"value": raw[:30]}, code="invalid_number")
            continue
        if not number.is_finite() or not -bound <= number <= bound:
            errors[name] = ValidationError(
                _("%(name)s must be between -%(bound)s and %(bound)s.") % {"name": name, "bound": bound}, code="out_of_range"
            )
            continue
        values[name] = number.quantize(Decimal("0.000001"))
    if errors:
        raise ValidationError(errors)
    return values["lat"], values["long"]


def check_attributes(category: ComplaintCategory, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers to the category's questions, checked by type; unknown codes are refused."""
    questions = {a.code: a for a in category.attributes.all() if a.variable}
    errors: dict[str, ValidationError] = {}
    clean: dict[str, Any] = {}
    for code in answers:
        if code not in questions:
            errors[f"attribute[{code}]"] = ValidationError(
                _("This category has no question “%(code)s”.") % {"code": code}, code="unknown_attribute"
            )
    for code, question in questions.items():
        raw = answers.get(code)
        values = [str(v).strip() for v in (raw if isinstance(raw, list) else [raw]) if v is not None and str(v).strip()]
        name = f"attribute[{code}]"
        if not values:
            if question.required:
                errors[name] = ValidationError(_("Answer “%(question)s”.") % {"question": question.description}, code="required")
            continue
        if question.datatype == Datatype.MULTI:
            bad = [v for v in values if v not in question.keys]
            if bad:
                errors[name] = ValidationError(
                    _("“%(value)s” is not one of the choices.") % {"value": bad[0][:40]}, code="invalid_choice"
                )
            clean[code] = values
            continue
        value = values[0]
        if question.datatype == Datatype.SINGLE and value not in question.keys:
            errors[name] = ValidationError(
                _("“%(value)s” is not one of the choices.") % {"value": value[:40]}, code="invalid_choice"
            )
        elif question.datatype == Datatype.NUMBER:
            try:
                Decimal(value)
            except InvalidOperation:
                errors[name] = ValidationError(_("Give a number."), code="invalid_number")
        elif question.datatype == Datatype.DATETIME:
            try:
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                errors[name] = ValidationError(_("Give a date and time (ISO 8601)."), code="invalid_datetime")
        elif question.datatype == Datatype.STRING and "\n" in value:
            errors[name] = ValidationError(_("One line only."), code="invalid")
        if len(value) > 1000 or _HTML.search(value):
            errors[name] = ValidationError(_("Plain text of at most 1000 characters."), code="invalid")
        clean[code] = value
    if errors:
        raise ValidationError(errors)
    return clean


def validate_filing(region: Region, filing: Filing) -> dict[str, Any]:
    """Every problem at once (ValidationError keyed by field), or the cleaned values."""
    errors: dict[str, list[ValidationError]] = {}

    def collect(exc: ValidationError) -> None:
        for key, items in exc.error_dict.items():
            errors.setdefault(key, []).extend(items)

    clean: dict[str, Any] = {}
    category = filing.category
    if category.region_id != region.pk or not category.is_active:
        raise ValidationError({"category": ValidationError(_("Choose a category of this region."), code="unknown_category")})
    for name, value, limit in (("description", filing.description, Complaint.MAX_DESCRIPTION), ("address", filing.address, 300)):
        try:
            clean[name] = check_text(value, name, limit)
        except ValidationError as exc:
            collect(exc)
    try:
        clean["latitude"], clean["longitude"] = parse_coordinates(filing.latitude, filing.longitude)
    except ValidationError as exc:
        collect(exc)
    else:
        if clean["latitude"] is not None and not region.contains(clean["latitude"], clean["longitude"]):
            message = _("This position lies outside %(region)s; check the point on the map.") % {"region": region.name}
            errors.setdefault("lat", []).append(ValidationError(message, code="outside_region"))
    clean["village"] = None
    if filing.village_code:
        village = Village.objects.of_regency(region.code).filter(code=filing.village_code).first()
        if village is None:
            errors.setdefault("village", []).append(
                ValidationError(_("Choose a village of this region."), code="unknown_village")
            )
        clean["village"] = village
    try:
        clean["attributes"] = check_attributes(category, filing.attributes)
    except ValidationError as exc:
        collect(exc)
    if filing.privacy not in Privacy.values:
        errors.setdefault("privacy", []).append(ValidationError(_("Choose how you want to be protected."), code="invalid_choice"))
    anonymous = filing.privacy == Privacy.ANONYMOUS
    # Anonymous means nothing identifying is kept, whatever else was sent.
    clean["reporter_name"] = "" if anonymous else (filing.reporter_name or "").strip()[:150]
    clean["reporter_email"] = "" if anonymous else (filing.reporter_email or "").strip()
    clean["reporter_phone"] = "" if anonymous else (filing.reporter_phone or "").strip()
    if clean["reporter_email"]:
        try:
            validate_email(clean["reporter_email"])
        except ValidationError:
            errors.setdefault("email", []).append(ValidationError(_("This is not a valid email address."), code="invalid_email"))
    if clean["reporter_phone"] and not re.fullmatch(r"\+?[\d\s\-().]{8,20}", clean["reporter_phone"]):
        errors.setdefault("phone", []).append(ValidationError(_("This is not a phone number."), code="invalid_phone"))
    clean["media_url"] = (filing.media_url or "").strip()
    if clean["media_url"]:
        try:
            URLValidator(schemes=["http", "https"])(clean["media_url"])
            if len(clean["media_url"]) > 1000:
                raise ValidationError("too long")
        except ValidationError:
            errors.setdefault("media_url", []).append(
                ValidationError(_("Give an http(s) address of at most 1000 characters."), code="invalid_url")
            )
    if filing.classification not in Classification.values:
        errors.setdefault("classification", []).append(ValidationError(_("Choose a classification."), code="invalid_choice"))
    if len(filing.photos) > max_photos():
        errors.setdefault("photos", []).append(
            ValidationError(_("At most %(count)s photos.") % {"count": max_photos()}, code="too_many_photos")
        )
    checked = []
    for upload in filing.photos:
        try:
            checked.append(check_photo(upload))
        except ValidationError as exc:
            errors.setdefault("photos", []).append(
                ValidationError(f"{upload.name}: {exc.messages[0]}", code=exc.error_list[0].code)
            )
    clean["photos"] = checked
    if errors:
        raise ValidationError(errors)
    return clean


# --- filing -----------------------------------------------------------------------------------


def file_complaint(
    region: Region,
    filing: Filing,
    *,
    user: User | None = None,
    filed_by: User | None = None,
    api_client: ApiClient | None = None,
) -> Filed:
    """Validate, then open the complaint's case and write the complaint, its photos and its receipt.

    `user` is the logged-in complainant (ignored when the complaint is anonymous: not even the
    account is linked); `filed_by` the officer registering a walk-in or telephone complaint.
    The same `filing.token` twice gives back the first complaint (without its secret, shown once).
    """
    if filing.token and (earlier := _filed_before(region, filing.token)) is not None:
        return earlier
    try:
        return _file(region, filing, user=user, filed_by=filed_by, api_client=api_client)
    except IntegrityError:
        # The same form raced in twice: the other request wrote it first (the unique token).
        if filing.token and (earlier := _filed_before(region, filing.token)) is not None:
            return earlier
        raise


def _filed_before(region: Region, token: str) -> Filed | None:
    complaint = Complaint.objects.filter(region=region, idempotency_key=token).select_related("case").first()
    return Filed(complaint, "") if complaint is not None else None


def _file(
    region: Region,
    filing: Filing,
    *,
    user: User | None,
    filed_by: User | None,
    api_client: ApiClient | None,
) -> Filed:
    clean = validate_filing(region, filing)
    category = filing.category
    anonymous = filing.privacy == Privacy.ANONYMOUS
    owner = None if anonymous or filed_by is not None else (user if user is not None and user.is_authenticated else None)
    if owner is not None and filing.privacy != Privacy.ANONYMOUS:
        clean["reporter_name"] = clean["reporter_name"] or owner.full_name or owner.get_username()
        clean["reporter_email"] = clean["reporter_email"] or owner.email
    secret = keys.new_secret()
    definition = definition_for(region, [DEFAULT_COMPLAINT_CODE])
    written: list[ComplaintPhoto] = []
    try:
        with transaction.atomic():
            now = dates.now()
            case = start_case(
                CaseKind.COMPLAINT,
                region,
                definition,
                agency=category.agency,
                actor=filed_by or owner,
                received_at=now,
                owner=owner,
                state_time_limits=category.state_time_limits(),
                data={"channel": filing.channel},
            )
            calendar = region.calendar()
            complaint = Complaint(
                case=case,
                region=region,
                category=category,
                classification=filing.classification,
                privacy=filing.privacy,
                channel=filing.channel,
                description=clean["description"],
                attributes=clean["attributes"],
                latitude=clean["latitude"],
                longitude=clean["longitude"],
                village=clean["village"],
                address=clean["address"],
                media_url=clean["media_url"],
                reporter_name=clean["reporter_name"],
                reporter_email=clean["reporter_email"],
                access_hash=keys.secret_digest(secret),
                filed_by=filed_by,
                api_client=api_client,
                open311_token=secrets.token_hex(8) if category.open311_type == Open311Type.BATCH else "",
                response_due_at=calendar.add_working_days(now, category.verification_days + category.follow_up_days),
                created_at=now,
                updated_at=now,
                idempotency_key=filing.token,
            )
            complaint.set_phone(clean["reporter_phone"])
            complaint.save(force_insert=True)
            for photo in clean["photos"]:
                written.append(_store_photo(complaint, photo))  # noqa: PERF401 -- one by one: a failure must know what to remove
            if not anonymous:
                notify.receipt(complaint)
    except BaseException:
        for photo in written:
            photo.file.storage.delete(photo.file.name or "")
        raise
    logger.info("Complaint %s filed (%s, %s).", case.code, filing.channel, filing.privacy)
    return Filed(complaint, secret)


def _store_photo(complaint: Complaint, checked: Any) -> ComplaintPhoto:
    photo = ComplaintPhoto(
        complaint=complaint,
        region=complaint.region,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
    )
    photo.file.save(f"photo.{checked.extension}", checked.content, save=False)
    photo.save(force_insert=True)
    return photo


# --- answering and acting ----------------------------------------------------------------------


def _staff_roles(complaint: Complaint, actor: User | None) -> frozenset[ActorRole]:
    return roles_for(complaint.case, actor) - {ActorRole.APPLICANT}


def add_message(
    complaint: Complaint, kind: str, body: str, *, actor: User | None = None, as_complainant: bool = False
) -> ComplaintMessage:
    """A public response or internal note (staff who may act), or a reply (the complainant)."""
    body = check_text(body, "body")
    if not body:
        raise ValidationError({"body": ValidationError(_("Write something first."), code="required")})
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().select_related("case", "region__regency", "category").get(pk=complaint.pk)
        if kind in (MessageKind.RESPONSE, MessageKind.NOTE):
            if not _staff_roles(locked, actor):
                raise PermissionDenied(_("Only the staff handling this complaint may answer it."))
            author = actor
        elif kind == MessageKind.REPLY:
            if not (as_complainant or (actor is not None and locked.case.owner_id == actor.pk)):
                raise PermissionDenied(_("Only the complainant may reply."))
            if locked.case.is_closed:
                raise ValidationError(_("This complaint is closed."), code="closed")
            author = None  # a reply carries no account: an anonymous complainant must leave no trace
        else:
            raise ValueError(kind)
        message = _write_message(locked, kind, body, author)
    return message


def _write_message(complaint: Complaint, kind: str, body: str, author: User | None) -> ComplaintMessage:
    now = dates.now()
    message = ComplaintMessage.objects.create(
        complaint=complaint,
        region_id=complaint.region_id,
        kind=kind,
        body=body,
        author=author,
        agency_id=complaint.case.agency_id if kind == MessageKind.RESPONSE else None,
        created_at=now,
    )
    fields = ["updated_at"]
    complaint.updated_at = now
    if kind == MessageKind.RESPONSE and complaint.first_response_at is None:
        complaint.first_response_at = now
        fields.append("first_response_at")
    complaint.save(update_fields=fields)
    if kind == MessageKind.RESPONSE:
        notify.response(complaint, message)
    return message


def take_action(
    complaint: Complaint,
    action_key: str,
    actor: User | None,
    note: str = "",
    *,
    as_complainant: bool = False,
    expected_version: int | None = None,
) -> Complaint:
    """A step of the complaint workflow through the shared engine; its note becomes a response or reply where public."""
    note = check_text(note, "note")
    with lock_failures_as_conflicts(), transaction.atomic():
        event = apply_action(
            complaint.case,
            action_key,
            None if as_complainant and actor is not None and complaint.case.owner_id != actor.pk else actor,
            note,
            expected_version=expected_version,
            as_applicant=as_complainant,
        )
        complaint.case = event.case
        after_step(complaint, event)
        if note and action_key in PUBLIC_NOTE_ACTIONS:
            _write_message(complaint, MessageKind.RESPONSE, note, actor)
        elif note and action_key in COMPLAINANT_NOTE_ACTIONS:
            _write_message(complaint, MessageKind.REPLY, note, None)
    return complaint


def reroute(complaint: Complaint, actor: User, agency: Agency, note: str = "") -> Complaint:
    """Hand the complaint to another agency of the region (region administrators only)."""
    note = check_text(note, "note")
    complaint.case = reroute_case(complaint.case, actor, agency=agency, note=note)
    return complaint


# --- moderation ------------------------------------------------------------------------------


def _moderator(complaint: Complaint, actor: User) -> None:
    if not can(actor, Action.MANAGE, complaint):
        raise PermissionDenied(_("Only the region administrator moderates complaints."))


def hide_message(message: ComplaintMessage, actor: User, reason: str) -> ComplaintMessage:
    reason = check_text(reason, "reason", 300)
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why it is hidden."), code="required")})
    _moderator(message.complaint, actor)
    with transaction.atomic():
        locked = ComplaintMessage.objects.select_for_update().get(pk=message.pk)
        if locked.hidden_at is None:
            locked.hidden_at, locked.hidden_by, locked.hidden_reason = dates.now(), actor, reason
            locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    logger.info("Complaint message %s hidden by user %s.", message.pk, actor.pk)
    return locked


def redact_photo(photo: ComplaintPhoto, actor: User, reason: str) -> ComplaintPhoto:
    """Replace the photo by a blurred copy; the original file is deleted once the change is committed."""
    reason = check_text(reason, "reason", 300)
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why it is redacted."), code="required")})
    _moderator(photo.complaint, actor)
    with transaction.atomic():
        locked = ComplaintPhoto.objects.select_for_update().select_related("region").get(pk=photo.pk)
        if locked.redacted_at is not None:
            return locked
        original = locked.file.name or ""
        storage = locked.file.storage
        with storage.open(original, "rb") as handle:
            data = handle.read()
        fmt = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[locked.extension]
        locked.file.save(f"redacted.{locked.extension}", ContentFile(blurred(data, fmt)), save=False)
        locked.size = locked.file.size
        locked.redacted_at, locked.redacted_by, locked.redaction_reason = dates.now(), actor, reason
        locked.save(update_fields=["file", "size", "redacted_at", "redacted_by", "redaction_reason"])
        # The original and every file derived from it (a thumbnail): nothing unblurred stays.
        transaction.on_commit(lambda: delete_stored_file(original, storage))
    logger.info("Complaint photo %s redacted by user %s.", photo.pk, actor.pk)
    return locked


def hide_complaint(complaint: Complaint, actor: User, reason: str) -> Complaint:
    """Take a complaint off the public list, map and Open311 (e.g. it names a private person)."""
    reason = check_text(reason, "reason", 300)
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why it is hidden."), code="required")})
    _moderator(complaint, actor)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.hidden_at is None:
            locked.hidden_at, locked.hidden_reason = dates.now(), reason
            locked.save(update_fields=["hidden_at", "hidden_reason"])
    logger.info("Complaint %s hidden from the public by user %s.", locked.pk, actor.pk)
    return locked


# --- verification (SP4N-LAPOR!: a report is public only once the administration verified it) --------------

# The case events of verification (not steps of the workflow: the complaint's step does not change).
VERIFIED_EVENT = "verify_public"
REJECTED_EVENT = "reject_report"


def _verifier(complaint: Complaint, actor: User) -> None:
    if not can(actor, Action.MANAGE, complaint):
        raise PermissionDenied(_("Only the region administrator verifies complaints."))


def _lock_for_verification(complaint: Complaint) -> tuple[Case, Complaint]:
    """The case's row lock, then the complaint's (in the order every complaint action takes them)."""
    case = lock_case(complaint.case_id)
    related = ("region__regency", "category", "case")
    locked = Complaint.objects.select_for_update(of=("self",)).select_related(*related).get(pk=complaint.pk)
    return case, locked


def verify_complaint(complaint: Complaint, actor: User) -> Complaint:
    """Verify a waiting report: from now on it is public (unless confidential or hidden).

    In the workflow's `new` step this is its "verify and forward" step (SP4N-LAPOR!: verified, then
    forwarded to the agency; hooks.after_step marks it verified); in any other step (a report
    postponed, or handed back) only the verification is recorded, as an event `verify_public`.
    Under the case's and the complaint's row locks: a second click, or two administrators at once,
    find it verified and change nothing (one event)."""
    _verifier(complaint, actor)
    with lock_failures_as_conflicts(), transaction.atomic():
        case, locked = _lock_for_verification(complaint)
        if locked.verification == Verification.REJECTED:
            raise ValidationError(_("This report was rejected; it cannot be verified any more."), code="rejected")
        if locked.verification == Verification.PENDING:
            if not case.is_closed and case.state == "new" and case.spec.action("verify") is not None:
                event = apply_action(case, "verify", actor, expected_version=case.lock_version)
                locked.case = event.case
                after_step(locked, event)  # marks it verified, sets the agency's answer deadline, tells the complainant
            else:
                now = dates.now()
                locked.verification, locked.verified_at, locked.verified_by = Verification.VERIFIED, now, actor
                locked.updated_at = now
                locked.save(update_fields=["verification", "verified_at", "verified_by", "updated_at"])
                append_event(case, VERIFIED_EVENT, actor, ActorRole.REGION_ADMIN, case.state, case.state, "", [], {}, now)
            logger.info("Complaint %s verified by user %s.", locked.pk, actor.pk)
    return locked


def reject_complaint(complaint: Complaint, actor: User, kind: str, reason: str) -> Complaint:
    """Reject a report as not a complaint or as spam, with a reason: it never becomes public, and its
    case is archived (the reason is the archive note, kept internal; the complainant is told of the step)."""
    _verifier(complaint, actor)
    reason = check_text(reason, "reason", 300)
    errors: dict[str, ValidationError] = {}
    if kind not in RejectionKind.values:
        errors["kind"] = ValidationError(_("Choose why the report is rejected."), code="invalid_choice")
    if not reason:
        errors["reason"] = ValidationError(_("Say why the report is rejected."), code="required")
    if errors:
        raise ValidationError(errors)
    with lock_failures_as_conflicts(), transaction.atomic():
        case, locked = _lock_for_verification(complaint)
        if locked.verification == Verification.VERIFIED:
            raise ValidationError(_("This complaint is already verified and public; hide it instead."), code="verified")
        if locked.verification == Verification.PENDING:
            now = dates.now()
            locked.verification, locked.verified_at, locked.verified_by = Verification.REJECTED, now, actor
            locked.rejection_kind, locked.rejection_reason, locked.updated_at = kind, reason, now
            locked.save(
                update_fields=["verification", "verified_at", "verified_by", "rejection_kind", "rejection_reason", "updated_at"]
            )
            append_event(
                case, REJECTED_EVENT, actor, ActorRole.REGION_ADMIN, case.state, case.state, reason, [], {"kind": kind}, now
            )
            archive = case.spec.action("archive")
            if not case.is_closed and archive is not None and case.state in archive.from_:
                event = apply_action(case, "archive", actor, reason, expected_version=case.lock_version)
                locked.case = event.case
                after_step(locked, event)
            logger.info("Complaint %s rejected by user %s.", locked.pk, actor.pk)
    return locked


# --- Open311 API keys --------------------------------------------------------------------------


def issue_api_key(region: Region, name: str, *, actor: User | None = None, contact: str = "") -> tuple[ApiClient, str]:
    """A new client with a fresh key; the key is returned once and stored only as a digest."""
    if actor is not None and not can(actor, Action.MANAGE, region):
        raise PermissionDenied(_("Only the region administrator issues API keys."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ValidationError(_("Name the client."), code="required")})
    key, prefix = keys.new_key()
    client = ApiClient.objects.create(
        region=region, name=name[:150], contact=contact[:200], key_prefix=prefix, key_hash=keys.digest(key), created_by=actor
    )
    logger.info("Open311 key %s… issued for region %s.", prefix, region.code)
    return client, key


def ensure_demo_key(region: Region) -> tuple[ApiClient, str]:
    """The demo region's key (derived from SECRET_KEY, so the same on every run)."""
    key, prefix = keys.demo_key(region.code)
    client, _created = ApiClient.objects.get_or_create(
        key_prefix=prefix,
        defaults={"region": region, "name": "Demo", "key_hash": keys.digest(key), "is_demo": True},
    )
    return client, key


def revoke_api_key(client: ApiClient, *, actor: User | None = None) -> ApiClient:
    if actor is not None and not can(actor, Action.MANAGE, client):
        raise PermissionDenied(_("Only the region administrator revokes API keys."))
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = dates.now(), actor
            locked.save(update_fields=["revoked_at", "revoked_by"])
    logger.info("Open311 key %s… revoked.", locked.key_prefix)
    return locked


def touch_api_client(client: ApiClient) -> None:
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=dates.now())
