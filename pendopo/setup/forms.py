"""The forms of the region setup pages: one ModelForm per record kind, office hours as a weekly formset."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pendopo.accounts.forms import InviteForm
from pendopo.accounts.models import CodeChannel
from pendopo.catalog.models import Service
from pendopo.complaints.models import ComplaintCategory, ResponseTemplate
from pendopo.lib import dates, images
from pendopo.lib.fields import ModelMultipleChoiceField
from pendopo.regions.models import NIP_MESSAGE, Agency, CalendarOverride, Region, ServicePoint, Village, Weekday
from pendopo.setup.models import ServiceBundle

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOGO_MAX_BYTES = 1_000_000
IMPORT_MAX_BYTES = 5_000_000
# Indonesian numbers as offices write them: 0333-424 001, +62 812 3456 7890, (0426) 21001.
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-.]{6,20}$")


def check_phone(value: str) -> str:
    value = (value or "").strip()
    if value and (not PHONE_PATTERN.match(value) or sum(c.isdigit() for c in value) < 6):
        raise ValidationError(_("Write a phone number with digits only, e.g. 0333-424001."), code="phone")
    return value


def _validate_phone(value: str) -> None:
    """A field validator: `check_phone` raises ValidationError for a number that is not one."""
    check_phone(value)


class RegionForm(forms.ModelForm):
    """A form for a record of one region: the region is set, never chosen, and codes are unique in it."""

    unique_in_region: tuple[str, ...] = ()

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        self.instance.region = region
        for name in ("phone", "contact_phone"):
            if name in self.fields:
                self.fields[name].validators.append(_validate_phone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        model: type[Model] = self._meta.model
        for name in self.unique_in_region:
            value = data.get(name)
            if value in (None, ""):
                continue
            taken = model._default_manager.filter(region=self.region, **{name: value}).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(name, ValidationError(_("This region already has a record with this value."), code="duplicate"))
        return data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["tagline", "address", "contact_email", "contact_phone", "time_zone", "logo", "letterhead"]
        fields += ["south", "west", "north", "east"]
        widgets = {"letterhead": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].validators.append(_validate_phone)
        self.fields["logo"].validators.append(FileExtensionValidator(["png", "jpg", "jpeg", "webp"]))
        self.fields["logo"].help_text = _("PNG, JPEG or WebP, at most 1 MB.")

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and logo is not self.instance.logo and hasattr(logo, "read"):
            if logo.size > LOGO_MAX_BYTES:
                raise ValidationError(_("The image is larger than 1 MB."), code="too_large")
            width, _height = images.check_pixels(logo)
            if not width:
                raise ValidationError(_("This file is not a PNG, JPEG or WebP image."), code="not_image")
        return logo


class AgencyForm(RegionForm):
    unique_in_region = ("code",)

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "head_name", "head_title", "head_nip", "address", "email", "phone", "is_active"]

    # Typed as on the staff card ("19700101 199003 1 001"): the digits are what counts, so the field takes the spaces.
    head_nip = forms.CharField(
        label=capfirst(Agency._meta.get_field("head_nip").verbose_name),
        max_length=30,
        required=False,
        help_text=Agency._meta.get_field("head_nip").help_text,
    )

    def clean_head_nip(self) -> str:
        digits = "".join(str(self.cleaned_data.get("head_nip") or "").split())
        if digits and not (digits.isascii() and digits.isdigit() and len(digits) == 18):
            raise ValidationError(NIP_MESSAGE, code="nip")
        return digits


class ServicePointForm(RegionForm):
    unique_in_region = ("code",)

    class Meta:
        model = ServicePoint
        fields = [
            "code",
            "name",
            "kind",
            "parent",
            "agency",
            "village",
            "address",
            "latitude",
            "longitude",
            "has_own_hours",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.region
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = ServicePoint.objects.filter(
            region=region, kind=ServicePoint.Kind.SERVICE_MALL
        )
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.filter(region=region)
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = Village.objects.of_regency(region.regency_id)


# How far from this year a calendar change may lie: the calendar counts the working days of the
# cases open now and of the next ones, so 1900 or 2062 (for 2026) is a typing error, not a plan.
CALENDAR_YEARS_BACK, CALENDAR_YEARS_AHEAD = 5, 2


class HolidayForm(RegionForm):
    unique_in_region = ("date",)

    def clean_date(self) -> Any:
        day = self.cleaned_data.get("date")
        this_year = dates.today(self.region.time_zone).year
        first, last = this_year - CALENDAR_YEARS_BACK, this_year + CALENDAR_YEARS_AHEAD
        if day is not None and not first <= day.year <= last:
            raise ValidationError(
                _("Give a date from %(first)d to %(last)d: the calendar counts the working days of the cases of these years."),
                code="out_of_range",
                params={"first": first, "last": last},
            )
        return day

    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "name", "opens", "closes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class ComplaintCategoryForm(RegionForm):
    unique_in_region = ("code",)

    class Meta:
        model = ComplaintCategory
        fields = [
            "code",
            "name",
            "description",
            "group",
            "keywords",
            "agency",
            "verification_days",
            "follow_up_days",
            "tier",
            "confirmation_days",
            "open311_type",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.filter(region=self.region)


class ResponseTemplateForm(RegionForm):
    class Meta:
        model = ResponseTemplate
        fields = ["category", "title", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = ComplaintCategory.objects.filter(region=self.region)
        category.empty_label = _("every category")


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Client"), max_length=150, help_text=_("Who uses the key, e.g. the LAPOR! bridge."))
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)


# --- office hours -------------------------------------------------------------------------------

_TIME: dict[str, Any] = {"widget": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), "required": False}


class DayHoursForm(forms.Form):
    """One weekday: closed, or open from–to with an optional break (Friday prayers: a longer one)."""

    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, widget=forms.HiddenInput)
    is_open = forms.BooleanField(label=_("Open that day"), required=False)
    opens = forms.TimeField(label=_("opens"), **_TIME)
    closes = forms.TimeField(label=_("closes"), **_TIME)
    break_starts = forms.TimeField(label=_("break starts"), **_TIME)
    break_ends = forms.TimeField(label=_("break ends"), **_TIME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The week is a table: each input is named by its day and column for screen readers
        # (a visually hidden <label> would escape the table's scrolling box on a phone).
        day = self.initial.get("weekday")
        if day is not None:
            for name in ("is_open", "opens", "closes", "break_starts", "break_ends"):
                widget = self.fields[name].widget
                widget.attrs = {**widget.attrs, "aria-label": f"{Weekday(int(day)).label} — {self.fields[name].label}"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("is_open"):
            return data
        opens, closes = data.get("opens"), data.get("closes")
        starts, ends = data.get("break_starts"), data.get("break_ends")
        if opens is None and "opens" not in self.errors:
            self.add_error("opens", ValidationError(_("Give the opening time of an open day."), code="required_time"))
        if closes is None and "closes" not in self.errors:
            self.add_error("closes", ValidationError(_("Give the closing time of an open day."), code="required_time"))
        if opens and closes and opens >= closes:
            self.add_error("closes", ValidationError(_("Closing time must be after opening time."), code="order"))
        if (starts is None) != (ends is None) and not {"break_starts", "break_ends"} & set(self.errors):
            self.add_error(
                "break_ends", ValidationError(_("Give both the start and the end of the break, or neither."), code="break_pair")
            )
        if opens and closes and starts and ends and not (opens < starts < ends < closes):
            self.add_error("break_starts", ValidationError(_("The break must fall inside office hours."), code="break_outside"))
        return data

    @property
    def weekday_label(self) -> StrOrPromise:
        return Weekday(int(self.initial.get("weekday", self.data.get(self.add_prefix("weekday"), 0)))).label


class BaseWeekFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        days = [form.cleaned_data.get("weekday") for form in self.forms if hasattr(form, "cleaned_data")]
        if sorted(d for d in days if d is not None) != list(range(7)):
            raise ValidationError(_("Give each weekday once."), code="weekdays")


WeekFormSet = forms.formset_factory(DayHoursForm, formset=BaseWeekFormSet, extra=0, min_num=7, max_num=7, validate_max=True)


def week_initial(rows: list[Any]) -> list[dict[str, Any]]:
    """The formset's initial data from a region's or a service point's OfficeHours rows."""
    by_day = {row.weekday: row for row in rows}
    initial = []
    for day in Weekday:
        row = by_day.get(day.value)
        if row is None:
            initial.append({"weekday": day.value, "is_open": False})
        else:
            initial.append(
                {
                    "weekday": day.value,
                    "is_open": True,
                    "opens": row.opens,
                    "closes": row.closes,
                    "break_starts": row.break_starts,
                    "break_ends": row.break_ends,
                }
            )
    return initial


class ImportedInviteForm(InviteForm):
    """An invitation from a spreadsheet row: sent by email when the row has one, else by text message."""

    def __init__(self, data: dict[str, Any], *, region: Region) -> None:
        data = dict(data)
        if not data.get("channel"):
            data["channel"] = CodeChannel.EMAIL.value if data.get("email") else CodeChannel.SMS.value
        super().__init__(data, region=region)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))
    mode = forms.ChoiceField(
        label=_("When some rows have problems"),
        choices=[
            ("all", _("import nothing (all or nothing)")),
            ("valid", _("import the valid rows only")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB; split it."), code="too_large")
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an XLSX or a CSV file."), code="file_type")
        return upload


# --- service bundles ----------------------------------------------------------------------------


class BundleForm(RegionForm):
    unique_in_region = ("code",)

    class Meta:
        model = ServiceBundle
        fields = ["code", "name", "description", "services", "is_published"]
        widgets = {"services": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"services": ModelMultipleChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services = Service.objects.filter(region=self.region, is_active=True, published_standard__isnull=False)
        cast(forms.ModelChoiceField, self.fields["services"]).queryset = services.order_by("name")
        self.fields["services"].help_text = _("Only published services can be in a bundle.")


class AdoptForm(forms.Form):
    """One receiving agency for each agency of the model region that holds services of the bundle."""

    def __init__(self, *args: Any, region: Region, sources: list[Agency], suggestions: dict[int, Agency | None], **kwargs: Any):
        super().__init__(*args, **kwargs)
        own = Agency.objects.filter(region=region, is_active=True).order_by("name")
        self.sources = sources
        for source in sources:
            suggested = suggestions.get(source.pk)
            self.fields[f"agency_{source.pk}"] = forms.ModelChoiceField(
                label=source.name,
                queryset=own,
                initial=suggested.pk if suggested else None,
                empty_label=_("— choose —"),
                error_messages={"required": _("Choose the agency that takes over these services.")},
            )

    def mapping(self) -> dict[int, Agency]:
        return {source.pk: self.cleaned_data[f"agency_{source.pk}"] for source in self.sources}


class DecreeForm(forms.Form):
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=120)
    decree_date = forms.DateField(label=_("Decree (SK) date"), widget=forms.DateInput(attrs={"type": "date"}))


# --- adding a region (platform team) ------------------------------------------------------------


class RegencySearchForm(forms.Form):
    q = forms.CharField(label=_("Name of the regency or city"), max_length=100, required=False)


class AddRegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["regency", "slug", "prefix", "time_zone"]
        widgets = {"regency": forms.HiddenInput}

    def clean_prefix(self) -> str:
        return (self.cleaned_data.get("prefix") or "").strip().upper()
