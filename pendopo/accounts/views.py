"""Account pages: registration, login by code, password reset, profile; a region's staff and invitations.

The pages that send a code keep the challenge (its token, purpose and masked address) in the
visitor's session and send them on to one code page. Their answers read the same whether or
not an account exists.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pendopo.accounts import actions, lockout, selectors
from pendopo.accounts.forms import (
    AcceptForm,
    CodeForm,
    CodeRequestForm,
    ContactForm,
    InviteForm,
    ProfileForm,
    RegisterForm,
    ResetCodeForm,
)
from pendopo.accounts.models import Purpose
from pendopo.lib import dates
from pendopo.regions.models import Region, User
from pendopo.regions.permissions import region_for, signed_in

CHALLENGE = "accounts:challenge"


def _backend() -> str:
    """The backend a code login is recorded under: the first that loads users (not the lockout one, which loads nobody)."""
    from django.contrib.auth import load_backend

    backends = list(settings.AUTHENTICATION_BACKENDS)
    return next((path for path in backends if hasattr(load_backend(path), "get_user")), backends[-1])


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _errors_into(form: Any, exc: ValidationError, field: str | None = None) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, exc)


def _client_allowed(request: HttpRequest) -> bool:
    """At most PENDOPO_OTP_PER_CLIENT code requests per hour from one client address (any number
    or address), so that nobody makes Pendopo send codes to thousands of numbers (SMS pumping)."""
    limit = int(getattr(settings, "PENDOPO_OTP_PER_CLIENT", 20))
    window = int(dates.now().timestamp()) // 3600
    key = f"pendopo:otp-client:{request.META.get('REMOTE_ADDR') or 'unknown'}:{window}"
    cache = caches["limits"]  # shared by every process (pendopo/settings.py CACHES)
    cache.add(key, 0, timeout=3605)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count <= limit


def _too_many(form: Any) -> None:
    form.add_error(None, _("Too many codes were asked from this connection. Please try again in an hour."))


def _start(request: HttpRequest, challenge: actions.Challenge, next_url: str = "") -> HttpResponse:
    request.session[CHALLENGE] = {**challenge.as_session(), "next": next_url}
    return redirect("accounts:code")


# --- citizens ----------------------------------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:start")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _client_allowed(request):
        _too_many(form)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = actions.request_registration(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password1"],
                channel=data["channel"],
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return _start(request, challenge, _next(request))
    status = 400 if form.is_bound else 200
    return render(request, "accounts/register.html", {"form": form, "next": _next(request)}, status=status)


def _request_code(request: HttpRequest, purpose: Purpose) -> HttpResponse:
    form = CodeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _client_allowed(request):
        _too_many(form)
    elif request.method == "POST" and form.is_valid():
        start = actions.request_login_code if purpose == Purpose.LOGIN else actions.request_reset
        try:
            challenge = start(form.cleaned_data["identifier"], form.cleaned_data["channel"])
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return _start(request, challenge, _next(request))
    template = "accounts/login_code.html" if purpose == Purpose.LOGIN else "accounts/reset.html"
    return render(request, template, {"form": form, "next": _next(request)}, status=400 if form.is_bound else 200)


def login_code(request: HttpRequest) -> HttpResponse:
    return _request_code(request, Purpose.LOGIN)


def reset(request: HttpRequest) -> HttpResponse:
    return _request_code(request, Purpose.RESET)


def code(request: HttpRequest) -> HttpResponse:
    """The one page where a code is typed, whatever it was sent for."""
    challenge = request.session.get(CHALLENGE)
    if not challenge:
        messages.info(request, _("Ask for a code first."))
        return redirect("accounts:login_code")
    purpose = challenge["purpose"]
    form_class = ResetCodeForm if purpose == Purpose.RESET else CodeForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, typed = challenge["token"], form.cleaned_data["code"]
        # A code logs in like a password: the same lockout by account and address counts it.
        counted = purpose in (Purpose.LOGIN, Purpose.RESET)
        credentials = lockout.credentials_of_challenge(token) if counted else {}
        if counted and lockout.is_locked(request, credentials):
            return lockout.lockout_response(request, None, credentials)
        try:
            if purpose == Purpose.REGISTER:
                user = actions.complete_registration(token, typed, language=_language())
                message = _("Welcome! Your account is ready.")
            elif purpose == Purpose.LOGIN:
                user = actions.complete_login(token, typed)
                message = ""
            elif purpose == Purpose.RESET:
                user = actions.complete_reset(token, typed, form.cleaned_data["password1"])
                message = _("Your password has been changed.")
            else:
                if not request.user.is_authenticated:
                    raise Http404
                user = actions.complete_verification(signed_in(request), token, typed)
                message = _("Verified: the address is now on your account.")
        except ValidationError as exc:
            if counted:
                lockout.code_failed(request, credentials)
            _errors_into(form, exc, "code")
        else:
            del request.session[CHALLENGE]
            if purpose == Purpose.VERIFY:
                messages.success(request, message)
                return redirect("accounts:profile")
            login(request, user, backend=_backend())
            if message:
                messages.success(request, message)
            return redirect(challenge.get("next") or "accounts:start")
    context = {"form": form, "challenge": challenge, "minutes": int(actions.code_lifetime().total_seconds() // 60)}
    return render(request, "accounts/code.html", context, status=400 if form.is_bound else 200)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where the login page sends everyone: the work of their role."""
    return redirect(selectors.landing_url(request.user))


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    initial = {"full_name": user.full_name, "language": user.preferred_language or _language()}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        nik = "" if data["remove_nik"] else (data["nik"] or None)
        actions.update_profile(user, full_name=data["full_name"], nik=nik, language=data["language"])
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    context = {"form": form, "contact_form": ContactForm(), "nik_masked": _masked_nik(user)}
    return render(request, "accounts/profile.html", context, status=400 if form.is_bound else 200)


def _masked_nik(user: User) -> str:
    from pendopo.regions.personal import mask

    nik = user.nik
    return mask(nik) if nik else ""


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ContactForm(request.POST)
    if form.is_valid() and not _client_allowed(request):
        _too_many(form)
    elif form.is_valid():
        try:
            challenge = actions.request_verification(user, form.cleaned_data["identifier"], form.cleaned_data["channel"])
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return _start(request, challenge)
    profile_form = ProfileForm(initial={"full_name": user.full_name, "language": user.preferred_language})
    context = {"form": profile_form, "contact_form": form, "nik_masked": _masked_nik(user)}
    return render(request, "accounts/profile.html", context, status=400)


# --- staff -------------------------------------------------------------------------------------------


def _managed_region(request: HttpRequest, region_slug: str) -> Region:
    """The region if the user administers it, else 404 (as for a region they cannot see)."""
    region = region_for(request.user, region_slug)
    if not selectors.may_manage_staff(request.user, region):
        raise Http404
    return region


@login_required
def staff(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _managed_region(request, region_slug)
    context = {
        "region": region,
        "people": list(selectors.staff_of(region)),
        "invitations": list(selectors.open_invitations(request.user, region)),
    }
    return render(request, "accounts/staff.html", context)


@login_required
def invite(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _managed_region(request, region_slug)
    form = InviteForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.invite(
                region,
                signed_in(request),
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                role=data["role"],
                agency=data["agency"],
                service_point=data["service_point"],
                title=data["title"],
                channel=data["channel"],
                language=_language(),
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(name)s.") % {"name": data["full_name"]})
            return redirect("accounts:staff", region.slug)
    status = 400 if form.is_bound else 200
    return render(request, "accounts/invite.html", {"region": region, "form": form}, status=status)


@login_required
@require_POST
def deactivate(request: HttpRequest, region_slug: str, user_id: int) -> HttpResponse:
    region = _managed_region(request, region_slug)
    try:
        user = actions.deactivate(region, signed_in(request), user_id)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("%(name)s has been switched off and logged out.") % {"name": user})
    return redirect("accounts:staff", region.slug)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page: choose a password (the link is one-time and expires)."""
    try:
        invitation = actions.open_invitation(token)
    except ValidationError as exc:
        return render(request, "accounts/invitation_invalid.html", {"error": exc.messages[0]}, status=410)
    form = AcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.accept_invitation(
                token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            return render(request, "accounts/invitation_invalid.html", {"error": exc.messages[0]}, status=410)
        login(request, user, backend=_backend())
        messages.success(request, _("Welcome to the staff of %(region)s.") % {"region": invitation.region.name})
        return redirect("accounts:start")
    context = {"form": form, "invitation": invitation, "region": invitation.region}
    return render(request, "accounts/accept.html", context, status=400 if form.is_bound else 200)
