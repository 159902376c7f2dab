"""Build a Django form from a standard's form definition (used by the applications app).

    FormClass = build_application_form(standard)
    form = FormClass(request.POST, request.FILES)
    if form.is_valid():
        data = form_data_to_json(form)   # JSON-safe values (files left out)

Labels and help texts follow the language active when the class is built. NIK and phone values
are cleaned to their canonical digits; store them with pendopo.regions.personal.protect().
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _

from pendopo.catalog.forms_schema import normalise_form
from pendopo.catalog.validators import validate_nik, validate_phone
from pendopo.lib.language import ui_is_english

if TYPE_CHECKING:
    from pendopo.catalog.models import ServiceStandard
    from pendopo.regions.models import Region

VILLAGE_CODE_RE = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"


class NikField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "pattern": r"[0-9 ]*"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validate_nik(value) if value else value


class PhoneField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validate_phone(value) if value else value


def _file_validator(extensions: list[str] | None, max_kb: int | None):
    def validate(upload: Any) -> None:
        if upload is None or upload is False:
            return
        if extensions:
            ext = os.path.splitext(upload.name)[1].lower().lstrip(".")
            if ext not in extensions:
                raise ValidationError(
                    _("Allowed file types: %(types)s.") % {"types": ", ".join(extensions)}, code="file_extension"
                )
        if max_kb and upload.size > max_kb * 1024:
            raise ValidationError(_("The file is larger than %(kb)d KB.") % {"kb": max_kb}, code="file_size")

    return validate


def _village_choices(region: Region) -> list[tuple[str, str]]:
    from pendopo.regions.models import Village

    rows = Village.objects.of_regency(region.regency_id).select_related("district").order_by("code")
    return [(v.code, f"{v.name}, {v.district.name}") for v in rows]


def _field(spec: dict[str, Any], english: bool, region: Region | None) -> forms.Field:
    label = spec["label_en"] if english else spec["label_id"]
    help_text = spec.get("help_en" if english else "help_id", "")
    rules = spec.get("validation", {})
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": spec["required"]}
    kind = spec["type"]
    if kind == "text":
        validators = []
        if "regex" in rules:
            validators.append(RegexValidator(rules["regex"], _("The value does not have the expected format.")))
        min_length, max_length = rules.get("min_length"), rules.get("max_length", 500)
        if "length" in rules:
            min_length = max_length = rules["length"]
        widget = forms.Textarea(attrs={"rows": 3}) if max_length > 200 else None
        return forms.CharField(min_length=min_length, max_length=max_length, validators=validators, widget=widget, **common)
    if kind == "number":
        return forms.DecimalField(
            min_value=rules.get("min"), max_value=rules.get("max"), max_digits=18, decimal_places=4, **common
        )
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "choice":
        choices = [(c["value"], c["label_en"] if english else c["label_id"]) for c in rules["choices"]]
        # A blank first option even when the field is required: the citizen must choose, not
        # send the first option by not looking.
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if kind == "nik":
        return NikField(**common)
    if kind == "phone":
        return PhoneField(**common)
    if kind == "email":
        return forms.EmailField(max_length=rules.get("max_length", 254), **common)
    if kind == "village":
        choices = _village_choices(region) if region is not None else []
        if choices:
            return forms.ChoiceField(choices=[("", "—"), *choices], **common)
        # Reference areas not loaded: accept a Kemendagri village code by format.
        return forms.CharField(
            max_length=13,
            validators=[RegexValidator(VILLAGE_CODE_RE, _("Enter a village code like 35.10.01.2001."))],
            **common,
        )
    if kind == "file":
        return forms.FileField(validators=[_file_validator(rules.get("extensions"), rules.get("max_size_kb"))], **common)
    raise ValueError(f"unknown field type {kind!r}")


def build_form_class(definition: dict[str, Any], region: Region | None = None) -> type[forms.Form]:
    english = ui_is_english()
    fields = {spec["key"]: _field(spec, english, region) for spec in normalise_form(definition)["fields"]}
    form_class = type("ApplicationForm", (forms.Form,), fields)
    form_class.field_types = {spec["key"]: spec["type"] for spec in normalise_form(definition)["fields"]}  # type: ignore[attr-defined]  # an attribute of the class built by type()
    return form_class


def build_application_form(standard: ServiceStandard) -> type[forms.Form]:
    """The Django form class of a standard's application form."""
    return build_form_class(standard.form, standard.region)


def form_data_to_json(form: forms.Form) -> dict[str, Any]:
    """A valid form's cleaned values as JSON-safe data (dates ISO, numbers int or str, files left out)."""
    out: dict[str, Any] = {}
    for key, value in form.cleaned_data.items():
        if isinstance(form.fields[key], forms.FileField):
            continue
        if isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            out[key] = int(value) if value == value.to_integral_value() else str(value.normalize())
        else:
            out[key] = value
    return out


def is_valid_village_code(code: str) -> bool:
    return bool(re.match(VILLAGE_CODE_RE, code))
