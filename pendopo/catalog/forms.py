"""HTML forms of the officer pages: a service, its draft standard, its requirements and its application form.

The forms only parse input; the actions validate the catalogue's rules and the views put each
error beside the field it concerns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, cast

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from pendopo.catalog.forms_schema import FIELD_TYPES, FormIssue
from pendopo.catalog.models import Channel, Service, ServiceStandard, service_code_validator

_F = TypeVar("_F", bound=forms.BaseForm)


class MarksInvalid:
    """Sets aria-invalid and aria-describedby on the widgets of fields with errors (screen readers)."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]  # a mixin of forms.Form: mypy checks it alone
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:  # type: ignore[attr-defined]  # a mixin of forms.Form
            if name in self.fields:  # type: ignore[attr-defined]  # a mixin of forms.Form
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]  # a mixin of forms.Form
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-errors"  # type: ignore[index]  # a mixin of forms.Form


class ServiceForm(MarksInvalid, forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Service
        fields = ["code", "agency", "name", "category", "summary", "keywords", "is_active"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, agencies: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        if not creating:
            del self.fields["code"]
        else:
            self.fields["code"].help_text = _("Capital letters, digits and hyphens, e.g. KTP-EL. It cannot change later.")
            self.fields["code"].validators.append(service_code_validator)
            del self.fields["is_active"]
            only = list(agencies.values_list("pk", flat=True)[:2])
            if len(only) == 1:  # an officer's own agency: nothing to choose
                self.initial.setdefault("agency", only[0])
        if self.instance.pk:
            self.initial["channels"] = self.instance.channels

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def _post_clean(self) -> None:
        # The create/update actions run the model's validation with the region in hand.
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("channels", None)
        data.pop("code", None)
        return data


class StandardForm(MarksInvalid, forms.ModelForm):
    class Meta:
        model = ServiceStandard
        fields = [
            "decree_number",
            "decree_date",
            "change_note",
            "procedure",
            "time_limit_value",
            "time_limit_unit",
            "fee",
            "fee_basis",
            "product",
            "complaint_handling",
            "legal_basis",
            "facilities",
            "officer_competence",
            "internal_supervision",
            "officer_count",
            "service_guarantee",
            "security_guarantee",
            "performance_evaluation",
        ]
        widgets = {
            "decree_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "procedure",
                    "fee_basis",
                    "product",
                    "complaint_handling",
                    "legal_basis",
                    "facilities",
                    "officer_competence",
                    "internal_supervision",
                    "service_guarantee",
                    "security_guarantee",
                    "performance_evaluation",
                )
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Zero units and negative fees get the catalogue's own message from the action,
        # but the browser can say so first.
        self.fields["time_limit_value"].widget.attrs["min"] = 1
        self.fields["time_limit_value"].validators.append(MinValueValidator(1))
        self.fields["fee"].widget.attrs["min"] = 0
        # The catalogue's own words rather than Django's "Ensure this value is greater than or equal to 0".
        for name, message in (
            ("fee", _("The fee is a whole number of Rupiah, 0 or more (0 means free).")),
            ("time_limit_value", _("The time limit must be at least 1.")),
            ("officer_count", _("The number of officers must be at least 1.")),
        ):
            self.fields[name].error_messages["min_value"] = message

    def _post_clean(self) -> None:
        # Validation of the standard (with its requirements and form) is the update_draft action's.
        pass


class BlankRowMixin:
    """An extra formset row whose only "change" is a pre-ticked checkbox is a blank row, not an invalid one."""

    def has_changed(self) -> bool:
        return any(
            not isinstance(self.fields[name], forms.BooleanField)  # type: ignore[attr-defined]  # a mixin of forms.Form
            for name in self.changed_data  # type: ignore[attr-defined]  # a mixin of forms.Form
            if name not in ("ORDER", "DELETE")
        )


class RequirementForm(BlankRowMixin, MarksInvalid, forms.Form):
    text = forms.CharField(label=_("Requirement"), max_length=500)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    is_document_upload = forms.BooleanField(label=_("Document upload"), required=False)
    group = forms.CharField(
        label=_("One-of group"),
        required=False,
        max_length=50,
        help_text=_("Alternatives get the same short name (e.g. “kelahiran”): one of them is enough."),
    )


# Like the form builder below: exactly the saved requirements, and a blank row only when the officer asks for one
# ("Save and add a requirement"); left empty, it is skipped, so it has no Remove box.
RequirementFormSet = forms.formset_factory(
    RequirementForm, extra=0, can_delete=True, can_delete_extra=False, can_order=True, max_num=50
)
RequirementFormSetWithNewRow = forms.formset_factory(
    RequirementForm, extra=1, can_delete=True, can_delete_extra=False, can_order=True, max_num=50
)


class FormFieldForm(BlankRowMixin, MarksInvalid, forms.Form):
    """One field of the application form, with its validation spelled out as inputs."""

    key = forms.CharField(label=_("Key"), max_length=40, help_text=_("e.g. birth_date"))
    # A blank first choice, so that an untouched extra row sends nothing and is skipped.
    type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *((t, t) for t in FIELD_TYPES)])
    label_id = forms.CharField(label=_("Label (Indonesian)"), max_length=200)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    help_id = forms.CharField(label=_("Help (Indonesian)"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Help (English)"), max_length=500, required=False)
    min = forms.FloatField(label=_("Minimum"), required=False)
    max = forms.FloatField(label=_("Maximum"), required=False)
    length = forms.IntegerField(label=_("Exact length"), required=False)
    min_length = forms.IntegerField(label=_("Minimum length"), required=False)
    max_length = forms.IntegerField(label=_("Maximum length"), required=False)
    regex = forms.CharField(label=_("Pattern (regular expression)"), max_length=200, required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: value | Indonesian label | English label"),
    )
    extensions = forms.CharField(label=_("File types"), required=False, help_text=_("e.g. pdf, jpg, png"))
    max_size_kb = forms.IntegerField(label=_("Maximum file size (KB)"), required=False)

    RULES = ("min", "max", "length", "min_length", "max_length", "regex", "extensions", "max_size_kb")

    @classmethod
    def initial_from(cls, spec: dict[str, Any]) -> dict[str, Any]:
        rules = spec.get("validation", {})
        initial = {k: spec.get(k, "") for k in ("key", "type", "label_id", "label_en", "help_id", "help_en")}
        initial["required"] = spec.get("required", True)
        for name in cls.RULES:
            if name in rules:
                initial[name] = ", ".join(rules[name]) if name == "extensions" else rules[name]
        if "choices" in rules:
            initial["choices"] = "\n".join(f"{c['value']} | {c['label_id']} | {c['label_en']}" for c in rules["choices"])
        return initial

    def clean_choices(self) -> list[dict[str, str]] | None:
        text = self.cleaned_data.get("choices", "")
        if not text.strip():
            return None
        out = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 1:
                parts = [parts[0], parts[0], parts[0]]
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(
                    _("Line %(n)d: write value | Indonesian label | English label."), params={"n": number}, code="choices"
                )
            out.append({"value": parts[0], "label_id": parts[1], "label_en": parts[2]})
        return out

    def clean_extensions(self) -> list[str] | None:
        text = self.cleaned_data.get("extensions", "")
        items = [e.strip().lower().lstrip(".") for e in text.replace(";", ",").split(",") if e.strip()]
        return items or None

    def spec(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {
            "key": data["key"].strip(),
            "type": data["type"],
            "label_id": data["label_id"],
            "label_en": data["label_en"],
            "required": data["required"],
        }
        for help_key in ("help_id", "help_en"):
            if data.get(help_key):
                out[help_key] = data[help_key]
        rules: dict[str, Any] = {}
        for name in self.RULES:
            value = data.get(name)
            if value not in (None, ""):
                rules[name] = int(value) if name in ("min", "max") and float(value).is_integer() else value
        if data.get("choices"):
            rules["choices"] = data["choices"]
        if rules:
            out["validation"] = rules
        return out


# The page shows exactly the saved fields. A blank row for a new field appears only when the officer
# asks for one ("Save and add a field"); left empty, it is skipped. It has nothing to remove, so no Remove box.
FormFieldFormSet = forms.formset_factory(
    FormFieldForm, extra=0, can_delete=True, can_delete_extra=False, can_order=True, max_num=60
)
FormFieldFormSetWithNewRow = forms.formset_factory(
    FormFieldForm, extra=1, can_delete=True, can_delete_extra=False, can_order=True, max_num=60
)


def ordered_forms(formset: forms.BaseFormSet[_F]) -> list[_F]:
    """The formset's kept rows (deleted and untouched extra rows left out) in the order the editor gave."""
    return list(formset.ordered_forms)


def place_form_issues(formset: forms.BaseFormSet, rows: Sequence[forms.BaseForm], issues: list[FormIssue]) -> list[str]:
    """Put each issue beside its field in the row it concerns; return those that belong to no field."""
    leftover = []
    for issue in issues:
        if issue.index is not None and issue.index < len(rows):
            row = rows[issue.index]
            name = issue.attribute if issue.attribute in row.fields else None
            row.add_error(name, issue.message)
            row.mark_invalid()  # type: ignore[attr-defined]  # the rows are MarksInvalid forms; the formset types them as Form
        else:
            leftover.append(issue.message)
    return leftover


class PublishForm(MarksInvalid, forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today. The version it replaces stays in force until the day before."),
    )


class CopySourceForm(forms.Form):
    source = forms.ChoiceField(label=_("Copy from region"))

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = [("", "—"), *regions]


class ImportForm(MarksInvalid, forms.Form):
    file = forms.FileField(label=_("Catalogue file (YAML or JSON)"))
