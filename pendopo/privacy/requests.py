"""A citizen's rights over their account's data (UU 27/2022 arts. 5-8): a copy of it, and its erasure.

Erasure has the exception the law allows for records an agency must keep (art. 15(1) for the
administration of government; the archive law, UU 43/2009): an application stays in the agency's
archive with the applicant's name, NIK and phone until its retention term ends, when the retention
run anonymises it (docs/privacy.md). The account, its link to every case, identified complaints'
reporter details, bookings, survey links and every outbox message to the person go at once.
An anonymous complaint was never linked to the account: it is neither exported nor touched.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pendopo.applications.models import Application
from pendopo.complaints.models import Complaint, Privacy
from pendopo.lib import dates
from pendopo.privacy.models import ErasureRequest, RequestState
from pendopo.privacy.redaction import outbox_copies
from pendopo.queueing.models import Booking
from pendopo.regions.models import User
from pendopo.surveys.models import SurveyResponse, application_key
from pendopo.workflow.models import Case


def _applications(user: User) -> Any:
    return Application.objects.filter(case__owner=user).select_related("case", "service", "region").order_by("created_at", "pk")


def _complaints(user: User) -> Any:
    return (
        Complaint.objects.filter(case__owner=user)
        .exclude(privacy=Privacy.ANONYMOUS)
        .select_related("case", "category", "region")
        .order_by("created_at", "pk")
    )


def _bookings(user: User) -> Any:
    if not user.nik_hash:
        return Booking.objects.none()
    return Booking.objects.filter(nik_hash=user.nik_hash).select_related("service").order_by("created_at", "pk")


def export_for(user: User) -> dict[str, Any]:
    """Everything the platform holds about the account, in plain values (the citizen's own copy)."""
    applications = list(_applications(user))
    codes = [a.case.code for a in applications]
    rated = set(
        SurveyResponse.with_held.filter(application_key__in=[application_key(c) for c in codes]).values_list(
            "application_key", flat=True
        )
    )
    return {
        "generated_at": dates.now().isoformat(),
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "nik": user.nik,
            "language": user.preferred_language,
            "joined_at": user.date_joined.isoformat(),
        },
        "applications": [
            {
                "code": a.case.code,
                "region": a.region.name,
                "service": a.service.name,
                "created_at": a.created_at.isoformat(),
                "state": a.case.state,
                "closed_at": a.case.closed_at.isoformat() if a.case.closed_at else None,
                "applicant_name": a.applicant_name,
                "applicant_email": a.applicant_email,
                "nik": a.nik,
                "phone": a.phone,
                "form_data": a.form_data,
                "documents": [d.original_name for d in a.documents.all()],
                "survey_answered": application_key(a.case.code) in rated,
            }
            for a in applications
        ],
        "complaints": [
            {
                "code": c.case.code,
                "region": c.region.name,
                "category": c.category.name if c.category_id else "",
                "created_at": c.created_at.isoformat(),
                "privacy": c.privacy,
                "description": c.description,
                "reporter_name": c.reporter_name,
                "reporter_email": c.reporter_email,
            }
            for c in _complaints(user)
        ],
        "bookings": [
            {"code": b.code, "service": b.service.name, "date": b.date.isoformat(), "name": b.name, "state": b.state}
            for b in _bookings(user)
        ],
    }


def request_erasure(user: User, reason: str = "") -> ErasureRequest:
    if not user.is_authenticated:
        raise ValidationError(_("Sign in first."), code="signed_out")
    try:
        with transaction.atomic():
            return ErasureRequest.objects.create(user=user, reason=reason[:500])
    except IntegrityError:
        raise ValidationError(
            _("You have already asked for your data to be erased; staff are handling it."), code="pending"
        ) from None


def _user_sessions(user: User) -> list[str]:
    live = Session.objects.filter(expire_date__gt=dates.now()).iterator()
    return [s.session_key for s in live if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)]


def erase_account(user: User) -> dict[str, int]:
    """Erase the account's data (with the archive exception for applications); return counts per kind."""
    counts: dict[str, int] = {}
    codes = list(Case.objects.filter(owner=user).values_list("code", flat=True))
    counts["messages"], _ = outbox_copies(codes, emails=[user.email], phone_hashes=[user.phone_hash]).delete()
    counts["survey_links"] = SurveyResponse.with_held.filter(application_key__in=[application_key(c) for c in codes]).update(
        application_key=None
    )
    counts["complaints"] = Complaint.objects.filter(case__owner=user).update(
        reporter_name="", reporter_email="", reporter_phone_encrypted="", reporter_phone_hash=""
    )
    counts["bookings"] = _bookings(user).update(name="", contact_encrypted="", nik_hash="", nik_last4="") if user.nik_hash else 0
    # The exception: the application stays in the agency's archive until its term (docs/privacy.md).
    counts["applications_kept"] = Application.objects.filter(case__owner=user).count()
    Case.objects.filter(owner=user).update(owner=None)
    counts["sessions"], _ = Session.objects.filter(session_key__in=_user_sessions(user)).delete()
    user.username = f"terhapus-{secrets.token_hex(8)}"
    user.first_name = user.last_name = user.full_name = user.email = ""
    user.set_phone("")
    user.set_nik("")
    user.email_verified_at = user.phone_verified_at = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
    counts["accounts"] = 1
    return counts


def carry_out(request: ErasureRequest, staff: User) -> ErasureRequest:
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != RequestState.PENDING or request.user is None:
            raise ValidationError(_("This request has already been handled."), code="handled")
        request.counts = erase_account(request.user)
        request.user = None
        request.state = RequestState.DONE
        request.handled_by = staff
        request.handled_at = dates.now()
        request.save()
    return request


def refuse(request: ErasureRequest, staff: User) -> ErasureRequest:
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != RequestState.PENDING:
            raise ValidationError(_("This request has already been handled."), code="handled")
        request.state = RequestState.REFUSED
        request.handled_by = staff
        request.handled_at = dates.now()
        request.save()
    return request
