from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates
from pendopo.prices.links import agreement_source
from pendopo.prices.models import Intervention, Market
from pendopo.regions.models import Region, User


class InterventionForm(forms.ModelForm):
    """An intervention; a cooperation may name the agreement it is done under (offered by the
    cooperation app through `prices.links`, when the user may see any of the region's)."""

    agreement = forms.ChoiceField(
        label=_("Cooperation agreement"),
        required=False,
        help_text=_("For cooperation with a surplus region: the agreement it is done under."),
    )

    class Meta:
        model = Intervention
        fields = ["kind", "date", "place", "commodity", "quantity", "partner", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 3})}

    field_order = ["kind", "date", "place", "commodity", "quantity", "partner", "agreement", "note"]

    def __init__(self, *args: Any, user: User, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = dates.today(region.time_zone)
        source = agreement_source()
        if source is None:
            del self.fields["agreement"]
        else:  # kept without choices too, so that a posted code the user may not use is refused, not dropped
            agreement = cast(forms.ChoiceField, self.fields["agreement"])
            agreement.choices = [("", _("— none —")), *source.choices(user, region)]

    def clean_date(self) -> dt.date | None:
        """Done in the last five years or planned for the next month: 1900 or 2062 is a typing error."""
        day = self.cleaned_data.get("date")
        first, last = dt.date(self.today.year - 5, 1, 1), self.today + dt.timedelta(days=31)
        if day is not None and not first <= day <= last:
            raise forms.ValidationError(
                _("Give a date from %(first)s to %(last)s."),
                code="out_of_range",
                params={"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")},
            )
        return day

    def clean_quantity(self) -> str:
        quantity = (self.cleaned_data.get("quantity") or "").strip()
        if quantity and not re.search(r"\d", quantity):
            raise forms.ValidationError(_("Say how much, with a number and its unit (e.g. 2 ton, 500 paket)."), code="no_number")
        return quantity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agreement") and data.get("kind") != Intervention.Kind.COOPERATION:
            self.add_error("agreement", _("Only a cooperation with a surplus region is done under an agreement."))
        return data


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
        market = cast(forms.ModelChoiceField, self.fields["market"])
        market.queryset = Market.objects.filter(region=region, is_active=True)
