from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pendopo.applications.uploads import accept_attribute


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class RealisationForm(forms.Form):
    value = forms.DecimalField(label=_("Realisation"), required=False, max_digits=18, decimal_places=4, localize=True)
    achieved = forms.TypedChoiceField(
        label=_("Achieved"),
        required=False,
        choices=[("", "—"), ("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    evidence = MultipleFileField(
        label=_("Evidence (PDF, JPG or PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": accept_attribute()}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", _("Verify")), ("return", _("Return for correction"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CriterionForm(forms.Form):
    """One criterion's answer on its scale (— leaves it unanswered), with a note, evidence and a recommendation."""

    value = forms.ChoiceField(label=_("Value"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    evidence = forms.CharField(
        label=pgettext_lazy("SAKIP supporting evidence", "Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    recommendation = forms.CharField(
        label=_("Recommendation (Agar …)"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )

    def __init__(self, *args, scale: tuple, evaluator: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        value = cast(forms.ChoiceField, self.fields["value"])
        value.choices = [("", "—")] + [(f"{v.normalize()}", f"{v.normalize()}") for v in scale]
        if not evaluator:
            del self.fields["recommendation"]
