"""Forms of the account pages. Addresses are checked here; uniqueness and codes in actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pendopo.accounts.actions import normalise_email, normalise_mobile
from pendopo.accounts.models import CodeChannel, Invitation
from pendopo.catalog.validators import validate_nik
from pendopo.regions.models import Agency, Region, Role, ServicePoint, User

PHONE_CHANNELS = [(CodeChannel.WHATSAPP.value, CodeChannel.WHATSAPP.label), (CodeChannel.SMS.value, CodeChannel.SMS.label)]


def _tel(field: forms.CharField) -> forms.CharField:
    field.widget.input_type = "tel"
    field.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
    return field


class _PasswordsMixin(forms.Form):
    """Two password fields, checked against Django's validators and each other."""

    password_required = True

    def check_passwords(self, cleaned: dict[str, Any], user: User | None = None) -> None:
        first, second = cleaned.get("password1") or "", cleaned.get("password2") or ""
        if not first and not second and not self.password_required:
            return
        if first != second:
            self.add_error("password2", _("The two passwords differ."))
            return
        try:
            password_validation.validate_password(first, user)
        except ValidationError as exc:
            self.add_error("password1", exc)


def _password_fields(required: bool = True) -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label=_("Password") if required else _("Password (optional)"),
            required=required,
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("Password again"),
            required=required,
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class RegisterForm(_PasswordsMixin):
    password_required = False

    full_name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = _tel(
        forms.CharField(label=_("Mobile number"), max_length=24, required=False, help_text=_("Starting with 08 or +62."))
    )
    email = forms.CharField(
        label=_("Email"), max_length=254, required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    channel = forms.ChoiceField(
        label=_("Send the code by"),
        choices=[*PHONE_CHANNELS, (CodeChannel.EMAIL.value, _("Email"))],
        initial=CodeChannel.WHATSAPP,
        widget=forms.RadioSelect,
    )
    password1, password2 = _password_fields(required=False)

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone") or ""
        return normalise_mobile(value) if value.strip() else ""

    def clean_email(self) -> str:
        value = self.cleaned_data.get("email") or ""
        return normalise_email(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, phone, channel = cleaned.get("email"), cleaned.get("phone"), cleaned.get("channel")
        if not email and not phone and "email" not in self.errors and "phone" not in self.errors:
            self.add_error("phone", _("Give a mobile number or an email address (or both)."))
        elif channel == CodeChannel.EMAIL and not email and "email" not in self.errors:
            self.add_error("email", _("Give the email address the code should go to."))
        elif channel in (CodeChannel.WHATSAPP, CodeChannel.SMS) and not phone and "phone" not in self.errors:
            self.add_error("phone", _("Give the mobile number the code should go to."))
        self.check_passwords(cleaned, User(full_name=cleaned.get("full_name") or "", email=email or ""))
        return cleaned


class CodeRequestForm(forms.Form):
    """Where to send a login or reset code: an email address or a mobile number."""

    identifier = forms.CharField(
        label=_("Mobile number or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    channel = forms.ChoiceField(
        label=_("For a mobile number, send the code by"),
        choices=PHONE_CHANNELS,
        initial=CodeChannel.WHATSAPP,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_identifier(self) -> str:
        value = (self.cleaned_data.get("identifier") or "").strip()
        return normalise_email(value) if "@" in value else normalise_mobile(value)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        min_length=6,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}),
        error_messages={"min_length": _("The code has 6 digits.")},
    )

    def clean_code(self) -> str:
        code = "".join((self.cleaned_data.get("code") or "").split())
        if not ((code.isascii() and code.isdigit()) and len(code) == 6):
            raise ValidationError(_("The code has 6 digits."), code="otp_format")
        return code


class ResetCodeForm(CodeForm, _PasswordsMixin):
    password1, password2 = _password_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_passwords(cleaned)
        return cleaned


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Optional. 16 digits, as on the KTP; it fills in your application forms. Leave empty to keep it."),
    )
    remove_nik = forms.BooleanField(label=_("Remove my NIK from my profile"), required=False)
    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES)

    def clean_nik(self) -> str:
        value = (self.cleaned_data.get("nik") or "").strip()
        return validate_nik(value) if value else ""


class ContactForm(CodeRequestForm):
    """An address to verify or to put on one's account."""


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.CharField(label=_("Email"), max_length=254, required=False, widget=forms.EmailInput())
    phone = _tel(forms.CharField(label=_("Mobile number"), max_length=24, required=False))
    channel = forms.ChoiceField(
        label=_("Send the invitation by"),
        choices=[(CodeChannel.EMAIL.value, _("Email")), *PHONE_CHANNELS],
        initial=CodeChannel.EMAIL,
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in Invitation.MEMBER_ROLES])
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)
    service_point = forms.ModelChoiceField(label=_("Service point"), queryset=ServicePoint.objects.none(), required=False)
    title = forms.CharField(label=_("Position"), max_length=150, required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = cast(forms.ModelChoiceField, self.fields["agency"])
        point = cast(forms.ModelChoiceField, self.fields["service_point"])
        agency.queryset = Agency.objects.filter(region=region, is_active=True).order_by("name")
        point.queryset = ServicePoint.objects.filter(region=region, is_active=True).order_by("name")

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone") or ""
        return normalise_mobile(value) if value.strip() else ""

    def clean_email(self) -> str:
        value = self.cleaned_data.get("email") or ""
        return normalise_email(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        channel = cleaned.get("channel")
        if channel == CodeChannel.EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give the email address the invitation should go to."))
        if channel in (CodeChannel.WHATSAPP, CodeChannel.SMS) and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Give the mobile number the invitation should go to."))
        role = cleaned.get("role")
        if role and role != Role.REGION_ADMIN and not (cleaned.get("agency") or cleaned.get("service_point")):
            self.add_error("agency", _("An officer or agency head is bound to an agency or a service point."))
        return cleaned


class AcceptForm(_PasswordsMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1, password2 = _password_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_passwords(cleaned, User(full_name=cleaned.get("full_name") or ""))
        return cleaned
