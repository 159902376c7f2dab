"""Forms of the register: an innovation, one index row with its evidence, verification, replication."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pendopo.applications.uploads import accept_attribute
from pendopo.catalog.models import Service
from pendopo.innovations import catalogue
from pendopo.innovations.actions import EVIDENCE_TYPES, FIELDS, PHOTO_TYPES, check_fields
from pendopo.innovations.catalogue import Indicator
from pendopo.innovations.models import Innovation, Verdict
from pendopo.lib.fields import ModelMultipleChoiceField
from pendopo.regions.models import Agency, Region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class InnovationForm(forms.ModelForm):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Agency"))
    services = ModelMultipleChoiceField(
        queryset=Service.objects.none(),
        required=False,
        label=_("Services it changed"),
        widget=forms.CheckboxSelectMultiple,
    )
    period = forms.TypedChoiceField(coerce=int, label=_("Period"))
    # Checked by the action (http or https only), with the register's own message.
    video_url = forms.CharField(required=False, max_length=200, label=_("Video link"))

    class Meta:
        model = Innovation
        fields = ("agency", *FIELDS, "services")
        widgets = dict.fromkeys(("initiated_on", "trial_on", "implemented_on", "developed_on"), DATE) | {
            "design": forms.Textarea(attrs={"rows": 10}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "results": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"design": _("At least 300 words are needed to submit: background, problem, method, how it works.")}

    def __init__(self, *args: Any, region: Region, agencies: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        if self.instance.pk:
            # The agency of a saved innovation does not change (its rows and evidence are that agency's).
            del self.fields["agency"]
        elif agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()
        cast(forms.ModelChoiceField, self.fields["services"]).queryset = services
        cast(forms.ChoiceField, self.fields["period"]).choices = [(year, str(year)) for year in reversed(catalogue.years())]
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = new_token()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The action checks these again; here they come back all at once, each on its field.
        try:
            check_fields(self.region, {name: data.get(name) for name in FIELDS if name in data})
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, errors)
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # The video link is checked by check_fields (http or https only), with the register's own message.
        return {*super()._get_validation_exclusions(), "video_url"}  # type: ignore[misc]  # private in Django, absent from django-stubs

    def data_for_action(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS if name in self.cleaned_data}


def level_choices(indicator: Indicator) -> list[tuple[str, StrOrPromise]]:
    return [("", _("— not answered —")), *((str(level.number), f"{level.number}. {level.label}") for level in indicator.levels)]


class ScoreForm(forms.Form):
    level = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label=_("Parameter level"))
    basis = forms.ChoiceField(required=False, label=_("Basis"))
    value = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        label=_("Measured value"),
        help_text=_("Optional: the level is read from it."),
    )
    file = forms.FileField(required=False, label=_("Evidence file (PDF, JPG or PNG)"))
    evidence_url = forms.CharField(required=False, max_length=200, label=_("or evidence link"))
    document_number = forms.CharField(required=False, max_length=120, label=_("Document number"))
    document_date = forms.DateField(required=False, widget=DATE, label=_("Document date"))

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"row{indicator.code}")
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        cast(forms.ChoiceField, self.fields["level"]).choices = level_choices(indicator)
        # Any parameter level outside 1-3 is refused again by the action, whatever the browser sends.
        self.fields["level"].error_messages["invalid_choice"] = _("The parameter level must be 1, 2 or 3.")
        self.fields["file"].widget.attrs["accept"] = accept_attribute(EVIDENCE_TYPES)
        if indicator.bases:
            cast(forms.ChoiceField, self.fields["basis"]).choices = [("", _("— choose one basis —"))] + [
                (b.code, f"{b.code}. {b.name}: " + " / ".join(level.label for level in b.levels)) for b in indicator.bases
            ]
        else:
            del self.fields["basis"]
        if not any(level.measured for level in indicator.levels) and not indicator.bases:
            del self.fields["value"]


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=[(Verdict.ACCEPTED, _("Accept")), (Verdict.REJECTED, _("Reject"))], label=_("Verdict"))
    note = forms.CharField(required=False, max_length=500, label=_("Note"))


class FinishForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve and publish")), ("return", _("Return for revision"))], label=_("Decision")
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note to the agency"))


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPG or PNG)"))
    caption = forms.CharField(required=False, max_length=200, label=_("Caption"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs["accept"] = accept_attribute(PHOTO_TYPES)


class ReplicationAspectsForm(forms.Form):
    """The three KIPP aspects of a replication, all required (actions.replicate checks them with this form too)."""

    inspiration = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label=_("Inspiration"))
    process = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label=_("Replication process"))
    difference = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label=_("Distinguishing factor"))


class ReplicationForm(ReplicationAspectsForm):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Agency of your region that adopts it"))
    agreement = forms.CharField(required=False, max_length=200, label=_("Cooperation agreement (number), if any"))
    agreed_on = forms.DateField(required=False, widget=DATE, label=_("Agreement date"))

    field_order = ("token", "agency", "inspiration", "process", "difference", "agreement", "agreed_on")

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        cast(forms.ModelChoiceField, self.fields["agency"]).label_from_instance = lambda a: f"{a.region} — {a.name}"  # type: ignore[assignment]  # Django's documented way to relabel one field's options
        if not self.is_bound:
            self.initial["token"] = new_token()
