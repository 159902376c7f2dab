from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pendopo.prices.models import Intervention


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["kind", "date", "place", "commodity", "quantity", "partner", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 3})}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Columns: date, market, commodity, price — one row per market, commodity and day."),
    )
