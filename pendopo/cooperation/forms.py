"""Forms of the cooperation pages; the actions check everything again and say what is wrong."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pendopo.cooperation.models import (
    AgendaKind,
    Capacity,
    CommitmentKind,
    CommitmentState,
    DocumentKind,
    Form,
    Nature,
    Priority,
    ResultMetric,
    VisitKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class TokenForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = new_token()


class VisitRequestForm(TokenForm):
    host: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Host region"))
    kind = forms.ChoiceField(choices=VisitKind.choices, label=_("Kind"))
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Purpose"), required=False)
    starts_on = forms.DateField(widget=DATE, label=_("First day"), required=False)
    ends_on = forms.DateField(widget=DATE, label=_("Last day"), required=False)
    delegation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Delegation (one per line)"), required=False)
    topics = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Topics (one per line)"), required=False)
    places = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Places to see (one per line)"), required=False)

    def __init__(self, *args: Any, hosts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["host"]).queryset = hosts


class AgendaItemForm(forms.Form):
    day = forms.DateField(widget=DATE, label=_("Day"), required=False)
    starts_at = forms.TimeField(widget=TIME, label=_("From"), required=False)
    ends_at = forms.TimeField(widget=TIME, label=_("Until"), required=False)
    kind = forms.ChoiceField(choices=AgendaKind.choices, label=_("Kind"), required=False)
    title = forms.CharField(label=_("What"), required=False, max_length=200)
    service_point: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Place"), required=False)
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Agency"), required=False)
    hosts = forms.CharField(label=_("Hosts"), required=False, max_length=300)

    def __init__(self, *args: Any, points: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service_point"]).queryset = points
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("day", "starts_at", "ends_at", "title"))


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=6, max_num=30)


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"), required=False)


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=150)
    position = forms.CharField(label=_("Position"), required=False, max_length=200)
    is_council_member = forms.BooleanField(label=_("Member of the regional council (DPRD)"), required=False)


class LessonForm(forms.Form):
    topic: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Topic"), required=False)
    title = forms.CharField(label=_("Lesson"), required=False, max_length=200)
    learnt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What was learnt"), required=False)
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Host's service"), required=False)
    innovation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Host's innovation"), required=False)
    service_point: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Host's place or queue"), required=False
    )
    document_url = forms.URLField(label=_("Document seen (link)"), required=False, assume_scheme="https")
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args: Any, topics: Any, services: Any, innovations: Any, points: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["topic"]).queryset = topics
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services
        cast(forms.ModelChoiceField, self.fields["innovation"]).queryset = innovations
        cast(forms.ModelChoiceField, self.fields["service_point"]).queryset = points


class AgreementForm(TokenForm):
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Initiating agency"), required=False)
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    form = forms.ChoiceField(choices=Form.choices, label=_("Form"))
    nature = forms.ChoiceField(choices=Nature.choices, label=_("Kind"))
    partner_region: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Partner region"), required=False)
    partner_name = forms.CharField(label=_("Partner (third party, ministry, body abroad)"), required=False, max_length=300)
    affair = forms.CharField(label=_("Government affair"), required=False, max_length=300)
    objective = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Object and objective"), required=False)
    visit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("From the visit"), required=False)
    burdens_public = forms.BooleanField(label=_("Burdens the community and the region"), required=False)
    budgeted_this_year = forms.BooleanField(label=_("Funded in this year's budget (APBD)"), required=False, initial=True)
    evaluations_per_year = forms.IntegerField(label=_("Evaluations per year (empty: the region's setting)"), required=False)

    def __init__(self, *args: Any, agencies: Any, partners: Any, visits: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        cast(forms.ModelChoiceField, self.fields["partner_region"]).queryset = partners
        cast(forms.ModelChoiceField, self.fields["visit"]).queryset = visits


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label=_("Document"))
    number = forms.CharField(label=_("Number"), required=False, max_length=120)
    signed_on = forms.DateField(widget=DATE, label=_("Date"), required=False)
    signatory_name = forms.CharField(label=_("Signed for the region by"), required=False, max_length=150)
    capacity = forms.ChoiceField(choices=[("", "—"), *Capacity.choices], label=_("As"), required=False)
    kuasa_number = forms.CharField(label=_("Number of the power of attorney"), required=False, max_length=120)
    partner_signatory = forms.CharField(label=_("Signed for the partner by"), required=False, max_length=200)
    effective_on = forms.DateField(widget=DATE, label=_("In force from"), required=False)
    ends_on = forms.DateField(widget=DATE, label=_("In force until"), required=False)
    special_law_basis = forms.CharField(label=_("Legal basis for a term over 5 years"), required=False, max_length=300)
    file = forms.FileField(label=_("File"), required=False)


class StageForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"), required=False)


class EvaluationForm(forms.Form):
    held_on = forms.DateField(widget=DATE, label=_("Date"), required=False)
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Findings"), required=False)
    document_number = forms.CharField(label=_("Report number"), required=False, max_length=120)
    file = forms.FileField(label=_("Report"), required=False)


class CommitmentForm(TokenForm):
    title = forms.CharField(label=_("Commitment"), required=False, max_length=300)
    kind = forms.ChoiceField(choices=CommitmentKind.choices, label=_("Kind"))
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Owner agency"), required=False)
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int, label=_("Priority"), initial=2)
    stage = forms.CharField(label=_("Stage (2022 or 2022-Q3)"), required=False, max_length=7)
    due_on = forms.DateField(widget=DATE, label=_("Deadline"), required=False)
    visit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("From the visit"), required=False)
    agreement: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("From the agreement"), required=False)
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Service (the region's own copy)"), required=False
    )
    innovation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Innovation (the region's own replication)"), required=False
    )
    service_point: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Service point (queue)"), required=False
    )
    result_metric = forms.CharField(
        label=_("Result indicator"), required=False, widget=forms.Select(choices=ResultMetric.choices)
    )
    result_months = forms.IntegerField(label=_("Measured over months after adoption"), initial=6, required=False)

    def __init__(
        self, *args: Any, agencies: Any, visits: Any, agreements: Any, services: Any, innovations: Any, points: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = agencies
        cast(forms.ModelChoiceField, self.fields["visit"]).queryset = visits
        cast(forms.ModelChoiceField, self.fields["agreement"]).queryset = agreements
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services
        cast(forms.ModelChoiceField, self.fields["innovation"]).queryset = innovations
        cast(forms.ModelChoiceField, self.fields["service_point"]).queryset = points


class MoveForm(forms.Form):
    state = forms.ChoiceField(choices=CommitmentState.choices, label=pgettext_lazy("commitment", "New state"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why it is dropped"), required=False)
    evidence = forms.CharField(label=_("Evidence"), required=False)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, assume_scheme="https")
    adopted_on = forms.DateField(widget=DATE, label=_("Adopted on"), required=False)
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Adopted service"), required=False)
    innovation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Adopted innovation"), required=False)

    def __init__(self, *args: Any, services: Any, innovations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services
        cast(forms.ModelChoiceField, self.fields["innovation"]).queryset = innovations
