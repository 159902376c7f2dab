"""HTML forms of the complaint pages. Business rules (lengths, HTML, coordinates, photos, attributes)
are checked once, in actions.validate_filing, for the web and Open311 alike; errors come back
keyed by field and are shown beside the fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pendopo.complaints.models import (
    CategoryAttribute,
    Channel,
    Classification,
    ComplaintCategory,
    Datatype,
    MessageKind,
    Privacy,
    RejectionKind,
    Verification,
)
from pendopo.regions.models import Agency, Region, Village

# Field names of actions.validate_filing's errors → names of this form's fields.
ERROR_FIELDS = {
    "lat": "latitude",
    "long": "longitude",
    "email": "reporter_email",
    "phone": "reporter_phone",
    "village": "village",
}


class FilingForm(forms.Form):
    required_css_class = "required"  # every required field, the category's questions too, is marked (pendopo.css)
    classification = forms.ChoiceField(label=_("This is"), choices=Classification.choices, initial=Classification.COMPLAINT)
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 4000}),
        help_text=_("Plain text, at most 4000 characters. Do not write other people's personal data."),
    )
    privacy = forms.ChoiceField(
        label=_("Protection"), choices=Privacy.choices, initial=Privacy.IDENTIFIED, widget=forms.RadioSelect
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    reporter_email = forms.CharField(label=_("Your email"), max_length=254, required=False)
    reporter_phone = forms.CharField(label=_("Your phone"), max_length=30, required=False)
    village = forms.ChoiceField(label=_("Village"), required=False)
    address = forms.CharField(label=_("Place (street, landmark)"), max_length=300, required=False)
    latitude = forms.CharField(
        label=_("Latitude"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = forms.CharField(
        label=_("Longitude"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    # The files are read from request.FILES by the view (several at once); this field only holds their errors.
    photos = forms.Field(label=_("Photos"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, region: Region, category: ComplaintCategory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        villages = Village.objects.of_regency(region.code).select_related("district").order_by("district__name", "name")
        cast(forms.ChoiceField, self.fields["village"]).choices = [("", _("— not given —"))] + [
            (v.code, f"{v.name} ({v.district.name})") for v in villages
        ]
        self.attributes = list(category.attributes.filter(variable=True).order_by("order"))
        for attribute in self.attributes:
            self.fields[f"attr_{attribute.code}"] = _attribute_field(attribute)

    def attribute_answers(self) -> dict[str, Any]:
        return {
            a.code: self.cleaned_data.get(f"attr_{a.code}")
            for a in self.attributes
            if self.cleaned_data.get(f"attr_{a.code}") not in (None, "", [])
        }

    def add_filing_errors(self, exc: ValidationError) -> None:
        for key, errors in exc.error_dict.items():
            name = ERROR_FIELDS.get(key, key)
            if name.startswith("attribute["):
                name = "attr_" + name[len("attribute[") : -1]
            for error in errors:
                self.add_error(name if name in self.fields else None, error)


class OfficerFilingForm(FilingForm):
    channel = forms.ChoiceField(
        label=_("Received"), choices=[(Channel.WALK_IN, Channel.WALK_IN.label), (Channel.PHONE, Channel.PHONE.label)]
    )


def _attribute_field(attribute: CategoryAttribute) -> forms.Field:
    common: dict[str, Any] = {
        "label": attribute.description,
        "required": attribute.required,
        "help_text": attribute.datatype_description,
    }
    choices = [(str(v.get("key")), str(v.get("name"))) for v in attribute.values or []]
    if attribute.datatype == Datatype.SINGLE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if attribute.datatype == Datatype.MULTI:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if attribute.datatype == Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, **common)
    if attribute.datatype == Datatype.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), max_length=40, **common)
    if attribute.datatype == Datatype.DATETIME:
        return forms.CharField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), max_length=40, **common)
    return forms.CharField(max_length=1000, **common)


class MessageForm(forms.Form):
    kind = forms.ChoiceField(choices=MessageKind.choices)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}), max_length=4000)


class ActionForm(forms.Form):
    action = forms.CharField(max_length=50)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    version = forms.IntegerField(required=False)


class RerouteForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), to_field_name="code")
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)
    message = forms.IntegerField(required=False)


class AccessForm(forms.Form):
    secret = forms.CharField(label=_("Secret key"), max_length=64)


class RejectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rejected as"), choices=RejectionKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why (kept internal)"), max_length=300, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300})
    )


class InboxFilterForm(forms.Form):
    """The complaint inbox's filters and search, read from the query string (like the applications inbox).

    A value that is not one of its choices (a stale or edited link) is left out rather than
    refused, so the inbox still opens with the filters that make sense: `filters()` reads only
    the fields that validated.
    """

    DUE = [("", _("Any deadline")), ("overdue", _("Overdue"))]

    q = forms.CharField(label=_("Tracking code or complainant's name"), required=False, max_length=100)
    verification = forms.ChoiceField(label=_("Verification"), required=False, choices=[("", _("Any")), *Verification.choices])
    state = forms.ChoiceField(label=_("Step"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    due = forms.ChoiceField(label=_("Deadline"), required=False, choices=DUE)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closed = forms.BooleanField(label=_("Include finished"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=999_999, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, str] | None = None,
        *,
        states: Sequence[tuple[str, str]] = (),
        categories: Sequence[tuple[str, str]] = (),
        agencies: Sequence[tuple[str, str]] = (),
    ) -> None:
        # Always bound: an empty query string is a valid set of filters (all defaults).
        super().__init__(data or {}, auto_id="inbox-%s", label_suffix="")
        self._choice("state").choices = [("", _("Any open step")), *states]
        self._choice("category").choices = [("", _("All categories")), *categories]
        self._choice("agency").choices = [("", _("All agencies")), *agencies]

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 -- declared above
        return field

    def filters(self) -> dict[str, Any]:
        """The filters that validated, with defaults for the rest."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "state": data.get("state") or "",
            "category": data.get("category") or "",
            "agency": data.get("agency") or "",
            "due": data.get("due") or "",
            "verification": data.get("verification") or "",
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "closed": bool(data.get("closed")),
            "q": (data.get("q") or "").strip(),
            "page": data.get("page") or 1,
        }
