"""Every write of accounts: one-time codes, registration, login by code, password reset,
verification, the profile, staff invitations and switching staff off.

Answers never tell an outsider whether an account exists: asking for a code writes a challenge
(and counts against the throttle) whether or not an account matches, and only the owner of the
address receives anything — the code, or for a registration with a taken address a notice that
someone tried. Each write is one transaction; messages go through the notifications outbox in
that transaction (sent after the commit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pendopo.accounts.models import AccountEvent, CodeChannel, Invitation, OneTimeCode, Purpose
from pendopo.lib import crypto, dates
from pendopo.notifications import outbox
from pendopo.regions import links, personal
from pendopo.regions.models import Agency, Membership, Region, Role, ServicePoint, User
from pendopo.regions.permissions import users_managed_by

logger = logging.getLogger(__name__)
T = TypeVar("T")

CODE_DIGITS = 6
# An Indonesian mobile number in national form: 08 and 8 to 11 more digits (10–13 in all).
MOBILE = re.compile(r"^08\d{8,11}$")


def code_lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "PENDOPO_OTP_MINUTES", 5)))


def max_tries() -> int:
    return int(getattr(settings, "PENDOPO_OTP_MAX_TRIES", 5))


def throttle() -> tuple[int, dt.timedelta]:
    """At most this many codes per number or address in this window (counting requests for no account too)."""
    count = int(getattr(settings, "PENDOPO_OTP_PER_TARGET", 3))
    return count, dt.timedelta(minutes=int(getattr(settings, "PENDOPO_OTP_WINDOW_MINUTES", 15)))


def invitation_lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "PENDOPO_INVITATION_DAYS", 7)))


# --- addresses ---------------------------------------------------------------------------------------


def normalise_mobile(value: str) -> str:
    """An Indonesian mobile number as 08…, from +62 8…, 62 8… or 08…; ValidationError for any other."""
    digits = re.sub(r"[\s\-.()]", "", value or "")
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    if not MOBILE.match(digits):
        raise ValidationError(
            _("Enter an Indonesian mobile number starting with 08 or +62 8, e.g. 0812 3456 7890."), code="phone"
        )
    return digits


def normalise_email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("Enter a valid email address."), code="email") from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


@dataclass(frozen=True)
class Contact:
    """Where a code goes: an email address or a mobile number, and the channel to use."""

    channel: str
    address: str

    @property
    def is_email(self) -> bool:
        return self.channel == CodeChannel.EMAIL

    @property
    def target_hash(self) -> str:
        # Emails are compared without case; both kinds share the keyed hash of personal data.
        return personal.lookup_hash(self.address.lower() if self.is_email else self.address)

    @property
    def masked(self) -> str:
        from pendopo.notifications.models import mask_email

        return mask_email(self.address) if self.is_email else personal.mask(self.address)


def contact(identifier: str, channel: str = "") -> Contact:
    """The contact an identifier names: an email address (channel email), or a mobile number
    (channel WhatsApp unless SMS is asked for)."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return Contact(CodeChannel.EMAIL, normalise_email(identifier))
    phone = normalise_mobile(identifier)
    return Contact(CodeChannel.SMS if channel == CodeChannel.SMS else CodeChannel.WHATSAPP, phone)


def accounts_with(address: str, *, is_email: bool) -> Any:
    """The accounts (active or not) that hold this email address or mobile number."""
    if is_email:
        return User.objects.filter(email__iexact=address)
    return User.objects.filter(phone_hash=personal.lookup_hash(address))


def find_user(found: Contact) -> User | None:
    """The one active account with this address, or None (none, or several: then nobody gets a code)."""
    users = list(accounts_with(found.address, is_email=found.is_email).filter(is_active=True)[:2])
    return users[0] if len(users) == 1 else None


# --- one-time codes ----------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(token: str, code: str) -> str:
    return crypto.keyed_hash(settings.PENDOPO_DATA_KEY, f"otp:{token}:{code}")


@dataclass(frozen=True)
class Challenge:
    """What the visitor's session keeps: the token (never stored), the purpose, where the code went."""

    token: str
    purpose: str
    channel: str
    masked: str

    def as_session(self) -> dict[str, str]:
        return {"token": self.token, "purpose": self.purpose, "channel": self.channel, "masked": self.masked}


def start_challenge(
    purpose: Purpose,
    found: Contact,
    *,
    user: User | None,
    payload: dict[str, Any] | None = None,
    notice: str = "",
    language: str = "",
) -> Challenge:
    """Write a challenge and, when there is someone to send it to, schedule the code (or `notice`).

    Raises ValidationError (code `throttled`) when this address already had its share of codes.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    limit, window = throttle()
    now = dates.now()
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        recent = OneTimeCode.objects.filter(target_hash=found.target_hash, created_at__gt=now - window)
        if recent.count() >= limit:
            minutes = int(window.total_seconds() // 60)
            raise ValidationError(
                _("Too many codes were asked for this address. Please wait %(minutes)d minutes and try again.")
                % {"minutes": minutes},
                code="throttled",
            )
        row = OneTimeCode.objects.create(
            purpose=purpose,
            channel=found.channel,
            target_hash=found.target_hash,
            user=user,
            token_hash=_digest(token),
            code_hash=_code_hash(token, code),
            payload=payload or {},
            created_at=now,
            expires_at=now + code_lifetime(),
        )
        template = "accounts/messages/notice" if notice else "accounts/messages/code"
        if user is not None or purpose == Purpose.REGISTER:
            outbox.schedule_template(
                template,
                {
                    "code": code,
                    "purpose": purpose,
                    "notice": notice,
                    "minutes": int(code_lifetime().total_seconds() // 60),
                    "login_url": links.absolute(reverse("login")),
                    "reset_url": links.absolute(reverse("accounts:reset")),
                    "region_name": "",
                },
                event_key=f"accounts:otp:{row.pk}:{found.channel}",
                channel=found.channel,
                to=found.address,
                language=language,
            )
    logger.info("One-time code %s for %s (%s) written.", row.pk, purpose, found.channel)
    return Challenge(token=token, purpose=purpose, channel=found.channel, masked=found.masked)


def _wrong(row: OneTimeCode) -> ValidationError:
    left = max_tries() - row.attempts
    if left <= 0:
        return ValidationError(_("Too many wrong tries. Ask for a new code."), code="otp_locked")
    return ValidationError(_("The code is wrong. Tries left: %(left)d.") % {"left": left}, code="otp_wrong")


def redeem(token: str, code: str, purpose: Purpose, complete: Callable[[OneTimeCode], T]) -> T:
    """Check a code; if right, mark it used and run `complete(row)` in the same transaction.

    A wrong code counts as a try (committed even though the call raises). Raises ValidationError:
    `otp_unknown`, `otp_used`, `otp_expired`, `otp_locked`, `otp_wrong`, or whatever `complete` raises
    (then the code stays unused and nothing of the completion is saved).
    """
    code = re.sub(r"\s", "", code or "")
    with transaction.atomic():
        row = OneTimeCode.objects.select_for_update().filter(token_hash=_digest(token or ""), purpose=purpose).first()
        if row is None:
            raise ValidationError(_("This code is not valid. Ask for a new one."), code="otp_unknown")
        if row.used_at is not None:
            raise ValidationError(_("This code has already been used. Ask for a new one."), code="otp_used")
        if row.expires_at <= dates.now():
            raise ValidationError(_("This code has expired. Ask for a new one."), code="otp_expired")
        if row.attempts >= max_tries():
            raise ValidationError(_("Too many wrong tries. Ask for a new code."), code="otp_locked")
        row.attempts += 1
        right = hmac.compare_digest(_code_hash(token, code), row.code_hash)
        # A challenge for no account (or a taken address) has no right code.
        deliverable = row.user_id is not None or (purpose == Purpose.REGISTER and not row.payload.get("taken"))
        if right and deliverable:
            row.used_at = dates.now()
            row.save(update_fields=["attempts", "used_at"])
            return complete(row)
        row.save(update_fields=["attempts"])
        wrong = _wrong(row)
    raise wrong


def purge_codes(now: dt.datetime | None = None) -> int:
    """Delete the challenges that neither a code nor the throttle needs any more. Returns how many."""
    now = now or dates.now()
    keep = max(code_lifetime(), throttle()[1])
    deleted, _by_model = OneTimeCode.objects.filter(created_at__lt=now - keep).delete()
    return deleted


# --- citizens ----------------------------------------------------------------------------------------


def _username() -> str:
    while True:
        name = f"w{secrets.token_hex(5)}"
        if not User.objects.filter(username=name).exists():
            return name


def request_registration(*, full_name: str, email: str, phone: str, password: str, channel: str) -> Challenge:
    """Start a registration: the account is created only once the code comes back (`complete_registration`).

    If the address the code goes to is already registered, its owner is told instead, and the
    answer to the visitor is the same as for a new address. The other contact given (the email
    when the code goes to the phone, or the other way round) joins the account unverified, and
    only if no account holds it: nothing about it is said to the visitor either way.
    """
    by_email = channel == CodeChannel.EMAIL
    found = Contact(CodeChannel.EMAIL, email) if by_email else Contact(channel, phone)
    taken = accounts_with(found.address, is_email=by_email).exists()
    payload = {
        "full_name": full_name,
        "email": email,
        "phone": personal.protect(phone)[0] if phone else "",
        "password": make_password(password or None),
        "taken": taken,
    }
    return start_challenge(Purpose.REGISTER, found, user=None, payload=payload, notice="taken" if taken else "")


def complete_registration(token: str, code: str, *, language: str = "") -> User:
    def create(row: OneTimeCode) -> User:
        data = row.payload
        by_email = row.channel == CodeChannel.EMAIL
        email, phone = data["email"], personal.reveal(data.get("phone", ""))
        verified, other = (email, phone) if by_email else (phone, email)
        # Somebody may have registered the address the code went to since it was sent.
        if accounts_with(verified, is_email=by_email).exists():
            raise ValidationError(_("This account cannot be created. Log in, or reset your password."), code="taken")
        if other and accounts_with(other, is_email=not by_email).exists():
            other = ""  # held by another account: left off, silently
        email, phone = (verified, other) if by_email else (other, verified)
        now = dates.now()
        user = User(
            username=_username(),
            full_name=data["full_name"],
            email=email,
            password=data["password"],
            preferred_language=language,
            email_verified_at=now if by_email else None,
            phone_verified_at=None if by_email else now,
        )
        user.set_phone(phone)
        user.save()
        AccountEvent.objects.create(kind=AccountEvent.Kind.REGISTERED, user=user, actor=user)
        logger.info("Citizen account %s registered.", user.pk)
        return user

    return redeem(token, code, Purpose.REGISTER, create)


def request_login_code(identifier: str, channel: str = "") -> Challenge:
    found = contact(identifier, channel)
    return start_challenge(Purpose.LOGIN, found, user=find_user(found))


def complete_login(token: str, code: str) -> User:
    def user_of(row: OneTimeCode) -> User:
        user = User.objects.select_for_update().filter(pk=row.user_id or 0).first()
        if user is None or not user.is_active:
            raise ValidationError(_("This code is not valid. Ask for a new one."), code="otp_unknown")
        _mark_verified(user, row.channel)
        return user

    return redeem(token, code, Purpose.LOGIN, user_of)


def request_reset(identifier: str, channel: str = "") -> Challenge:
    found = contact(identifier, channel)
    return start_challenge(Purpose.RESET, found, user=find_user(found))


def complete_reset(token: str, code: str, password: str) -> User:
    def reset(row: OneTimeCode) -> User:
        user = User.objects.select_for_update().filter(pk=row.user_id or 0).first()
        if user is None or not user.is_active:
            raise ValidationError(_("This code is not valid. Ask for a new one."), code="otp_unknown")
        user.set_password(password)
        _mark_verified(user, row.channel, save=False)
        user.save(update_fields=["password", "email_verified_at", "phone_verified_at"])
        AccountEvent.objects.create(kind=AccountEvent.Kind.PASSWORD_RESET, user=user, actor=user)
        return user

    return redeem(token, code, Purpose.RESET, reset)


def request_verification(user: User, identifier: str, channel: str = "") -> Challenge:
    """Send a code to an address the user wants on their account (their current one, or a new one).

    A new address already held by another account gets no code; the user sees the same answer.
    """
    found = contact(identifier, channel)
    others = accounts_with(found.address, is_email=found.is_email).exclude(pk=user.pk).exists()
    payload = {"email": found.address} if found.is_email else {"phone": personal.protect(found.address)[0]}
    return start_challenge(Purpose.VERIFY, found, user=None if others else user, payload=payload)


def complete_verification(user: User, token: str, code: str) -> User:
    def verify(row: OneTimeCode) -> User:
        if row.user_id != user.pk:
            raise ValidationError(_("This code is not valid. Ask for a new one."), code="otp_unknown")
        locked = User.objects.select_for_update().get(pk=user.pk)
        now = dates.now()
        if "email" in row.payload:
            address = row.payload["email"]
            if accounts_with(address, is_email=True).exclude(pk=locked.pk).exists():
                raise ValidationError(_("This address cannot be added to your account."), code="taken")
            locked.email, locked.email_verified_at = address, now
        else:
            phone = personal.reveal(row.payload["phone"])
            if accounts_with(phone, is_email=False).exclude(pk=locked.pk).exists():
                raise ValidationError(_("This number cannot be added to your account."), code="taken")
            locked.set_phone(phone)
            locked.phone_verified_at = now
        locked.save(update_fields=["email", "email_verified_at", "phone_encrypted", "phone_hash", "phone_verified_at"])
        AccountEvent.objects.create(kind=AccountEvent.Kind.VERIFIED, user=locked, actor=locked)
        return locked

    return redeem(token, code, Purpose.VERIFY, verify)


def _mark_verified(user: User, channel: str, *, save: bool = True) -> None:
    """A code that came back proves the address it was sent to."""
    field = "email_verified_at" if channel == CodeChannel.EMAIL else "phone_verified_at"
    if getattr(user, field) is None:
        setattr(user, field, dates.now())
        if save:
            user.save(update_fields=[field])


def update_profile(user: User, *, full_name: str, nik: str | None, language: str) -> User:
    """Name, language and the optional NIK (None: keep it, "": remove it)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.full_name = full_name
        locked.preferred_language = language
        if nik is not None:
            locked.set_nik(nik)
        locked.save(update_fields=["full_name", "preferred_language", "nik_encrypted", "nik_hash"])
    return locked


# --- staff -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invited:
    invitation: Invitation
    token: str  # in the link only; the database keeps its digest


def invite(
    region: Region,
    actor: User,
    *,
    full_name: str,
    email: str,
    phone: str,
    role: str,
    agency: Agency | None,
    service_point: ServicePoint | None,
    title: str = "",
    channel: str = CodeChannel.EMAIL,
    language: str = "",
) -> Invited:
    """Invite someone to the region's staff; the link goes by email, or by WhatsApp/SMS to the phone."""
    if role == Role.REGION_ADMIN:
        agency = service_point = None
    elif agency is None and service_point is None:
        raise ValidationError({"agency": _("An officer or agency head is bound to an agency or a service point.")})
    for scoped in (agency, service_point):
        if scoped is not None and scoped.region_id != region.pk:
            raise ValidationError({"agency": _("The agency must belong to the same region.")})
    token = secrets.token_urlsafe(32)
    now = dates.now()
    with transaction.atomic():
        invitation = Invitation(
            region=region,
            role=role,
            agency=agency,
            service_point=service_point,
            title=title,
            full_name=full_name,
            email=email,
            token_hash=_digest(token),
            invited_by=actor,
            created_at=now,
            expires_at=now + invitation_lifetime(),
        )
        if phone:
            invitation.phone_encrypted, invitation.phone_hash = personal.protect(phone)
        invitation.save()
        AccountEvent.objects.create(kind=AccountEvent.Kind.INVITED, region=region, actor=actor)
        to = email if channel == CodeChannel.EMAIL else phone
        outbox.schedule_template(
            "accounts/messages/invitation",
            {
                "name": full_name,
                "region_name": region.name,
                "role": Role(role).label,
                "where": str(agency or service_point or region),
                "url": links.absolute(reverse("accounts:accept", args=[token])),
                "expires": dates.local_now(region.time_zone).date() + invitation_lifetime(),
                "inviter": actor.full_name or actor.username,
            },
            event_key=f"accounts:invitation:{invitation.pk}:{channel}",
            channel=channel,
            to=to,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            region=region,
        )
    logger.info("User %s invited someone to region %s as %s (invitation %s).", actor.pk, region.pk, role, invitation.pk)
    return Invited(invitation=invitation, token=token)


def open_invitation(token: str) -> Invitation:
    """The invitation of a link, or ValidationError if it is unknown, used or expired."""
    invitation = (
        Invitation.objects.select_related("region__regency", "agency", "service_point")
        .filter(token_hash=_digest(token or ""))
        .first()
    )
    return _checked(invitation)


def _checked(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="invitation_unknown")
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation link has already been used. Log in instead."), code="invitation_used")
    if invitation.expires_at <= dates.now():
        raise ValidationError(
            _("This invitation link has expired. Ask your region administrator for a new one."), code="invitation_expired"
        )
    return invitation


def accept_invitation(token: str, *, full_name: str, password: str) -> User:
    """Join the staff: the account of the invited address (created if there is none) gets the
    password and the membership. The link proves the address, as a password reset would."""
    with transaction.atomic():
        invitation = _checked(Invitation.objects.select_for_update().filter(token_hash=_digest(token or "")).first())
        phone = personal.reveal(invitation.phone_encrypted)
        match = Q(pk__in=[])
        if invitation.email:
            match |= Q(email__iexact=invitation.email)
        if phone:
            match |= Q(phone_hash=invitation.phone_hash)
        users = list(User.objects.select_for_update().filter(match)[:2])
        if len(users) > 1:
            raise ValidationError(
                _("More than one account holds this address. Ask your region administrator for help."), code="ambiguous"
            )
        now = dates.now()
        user = users[0] if users else User(username=_username(), email=invitation.email)
        if not user.is_active:
            raise ValidationError(_("This account is switched off. Ask your region administrator for help."), code="inactive")
        user.full_name = full_name
        user.set_password(password)
        if invitation.email and user.email.lower() == invitation.email.lower():
            user.email_verified_at = user.email_verified_at or now
        if phone:
            if not user.phone_hash:
                user.set_phone(phone)
            if user.phone_hash == invitation.phone_hash:
                user.phone_verified_at = user.phone_verified_at or now
        user.save()
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user,
            region=invitation.region,
            role=invitation.role,
            agency=invitation.agency,
            service_point=invitation.service_point,
            defaults={"title": invitation.title},
        )
        if not created and not membership.is_active:
            membership.is_active = True
            membership.save()
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        AccountEvent.objects.create(kind=AccountEvent.Kind.JOINED, region=invitation.region, user=user, actor=user)
    logger.info("Invitation %s accepted by user %s.", invitation.pk, user.pk)
    return user


def deactivate(region: Region, actor: User, user_id: int) -> User:
    """Switch a staff member off: their memberships in the region end, and the account itself
    (it belongs to no other region, `users_managed_by`), so their sessions stop on the next request."""
    with transaction.atomic():
        user = users_managed_by(actor).select_for_update().filter(pk=user_id, memberships__region=region).first()
        if user is None or user.pk == actor.pk:
            raise ValidationError(_("You cannot switch off this account."), code="not_allowed")
        for membership in Membership.objects.select_for_update().filter(user=user, region=region, is_active=True):
            membership.is_active = False
            membership.save(update_fields=["is_active"])
        user.is_active = False
        user.save(update_fields=["is_active"])
        AccountEvent.objects.create(kind=AccountEvent.Kind.DEACTIVATED, region=region, user=user, actor=actor)
    logger.info("User %s switched off user %s in region %s.", actor.pk, user.pk, region.pk)
    return user


def username_of_challenge(token: str) -> str:
    """The username of the account a challenge's code was sent to ("" when none), for the login lockout."""
    row = OneTimeCode.objects.filter(token_hash=_digest(token or "")).select_related("user").first()
    return row.user.get_username() if row is not None and row.user is not None else ""
