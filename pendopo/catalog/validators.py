"""Validators for Indonesian identifiers used by application forms: NIK and phone numbers.

NIK (Nomor Induk Kependudukan, UU 24/2013): 16 digits — 6 for the district (kecamatan) of
registration (province 2, regency 2, district 2, the Kemendagri code without dots), 6 for the
birth date as DDMMYY with 40 added to the day for women, and a 4-digit serial that is never 0000.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIK_RE = re.compile(r"^\d{16}$")
# Mobile numbers start 08 (or +628 / 628); landlines 0 + area code (2–4 digits) + 5–8 digits.
PHONE_RE = re.compile(r"^0[2-9]\d{7,12}$")


def _strip(value: str) -> str:
    return re.sub(r"[\s\-.()]", "", value or "")


def nik_birth_date(nik: str) -> tuple[int, int, int, bool] | None:
    """(day, month, two-digit year, is_female) encoded in a NIK, or None if they are not a date."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    # A two-digit year could be 19YY or 20YY; accept the date if it exists in either century.
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return day, month, year, female
    return None


def district_code_of(nik: str) -> str:
    """The NIK's district prefix written as a Kemendagri code, e.g. 351001 → 35.10.01."""
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def validate_nik(value: str, *, check_district: bool = True) -> str:
    """The NIK as 16 digits, or ValidationError with a clear message."""
    nik = _strip(value)
    if not NIK_RE.match(nik):
        raise ValidationError(_("A NIK is 16 digits."), code="nik_format")
    if nik_birth_date(nik) is None:
        raise ValidationError(_("Digits 7–12 of a NIK are a birth date (DDMMYY, day + 40 for women)."), code="nik_birth_date")
    if nik[12:] == "0000":
        raise ValidationError(_("The last 4 digits of a NIK are never 0000."), code="nik_serial")
    if check_district:
        from pendopo.regions.models import District

        # Only when the reference areas are loaded; without them the format check is all we can do.
        if District.objects.exists() and not District.objects.filter(code=district_code_of(nik)).exists():
            raise ValidationError(_("The first 6 digits of this NIK are not a known district (kecamatan)."), code="nik_district")
    return nik


def validate_phone(value: str) -> str:
    """An Indonesian phone number in national form (0…), or ValidationError."""
    phone = _strip(value)
    if phone.startswith("+62"):
        phone = "0" + phone[3:]
    elif phone.startswith("62"):
        phone = "0" + phone[2:]
    if not PHONE_RE.match(phone):
        raise ValidationError(_("Enter an Indonesian phone number, e.g. 0812 3456 7890 or +62 812 3456 7890."), code="phone")
    return phone
