from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pendopo.prices.models import Intervention, Market
from pendopo.regions.models import Region


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
    market = forms.ModelChoiceField(
        label=_("Market (for the national panels' table)"),
        queryset=Market.objects.none(),
        required=False,
        empty_label=_("— the file names the market of each row —"),
        help_text=_(
            "A table downloaded from PIHPS or SP2KP has a row per commodity and a column per date: say whose prices they are."
        ),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["market"].queryset = Market.objects.filter(region=region, is_active=True)
