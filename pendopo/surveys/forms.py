"""Forms of the survey pages: the questionnaire, the paper-survey upload, the follow-up plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pendopo.catalog.models import Service
from pendopo.regions.models import ServicePoint
from pendopo.surveys.choices import ELEMENT_TABLE, AgeBand, Education, Occupation, Sex
from pendopo.surveys.models import SUGGESTION_MAX_LENGTH

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):  # declared so on the form
        raise TypeError(name)
    return field


class SurveyForm(forms.Form):
    """The nine elements with the regulation's four answers each, the profile and a suggestion.

    Plain radio buttons: it works without JavaScript on any phone, and the page stays small.
    """

    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), to_field_name="code", label=_("Which service did you receive?")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    age = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices, widget=forms.RadioSelect)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—"), *Education.choices])
    occupation = forms.ChoiceField(label=_("Occupation"), choices=[("", "—"), *Occupation.choices])
    suggestion = forms.CharField(
        label=_("Your suggestion for this service (optional)"),
        required=False,
        max_length=SUGGESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, services: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for element in ELEMENT_TABLE:
            self.fields[element.field] = forms.TypedChoiceField(
                label=element.question,
                choices=element.choices(),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
        if services is None:
            del self.fields["service"]
        else:
            _model_choice(self, "service").queryset = services
        # The questions first, the profile after them, as the regulation's form does.
        order = ["service", *[element.field for element in ELEMENT_TABLE], "sex", "age", "education", "occupation"]
        self.order_fields([*order, "suggestion"])

    def elements(self) -> list[tuple[Any, forms.BoundField]]:
        return [(element, self[element.field]) for element in ELEMENT_TABLE]

    @property
    def scores(self) -> dict[str, int]:
        return {element.field: self.cleaned_data[element.field] for element in ELEMENT_TABLE}

    @property
    def profile(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in ("sex", "age", "education", "occupation")}


class ImportForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none(), to_field_name="code", label=_("Service surveyed"))
    service_point = forms.ModelChoiceField(
        queryset=ServicePoint.objects.none(), to_field_name="code", required=False, label=_("Service point (optional)")
    )
    survey_date = forms.DateField(
        label=_("Date of the survey"),
        help_text=_("Used for rows without their own date column."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_(
            "One row per respondent: columns U1 to U9 scored 1 to 4; optionally jenis_kelamin, umur, pendidikan, "
            "pekerjaan, saran, tanggal."
        ),
    )

    def __init__(self, *args: Any, services: Any, points: Any, today: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "service").queryset = services
        _model_choice(self, "service_point").queryset = points
        self.today = today  # in the region's time zone

    def clean_survey_date(self) -> Any:
        # Refused here, before the file is read, rather than after reading 100,000 rows.
        day = self.cleaned_data["survey_date"]
        if self.today is not None and day > self.today:
            raise forms.ValidationError(_("The survey date cannot be in the future."), code="future")
        return day

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it."), code="too_large")
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an XLSX or CSV file."), code="file_type")
        return upload


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Follow-up plan"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What the agency will improve, by when, and who is responsible — published with the report."),
    )
