"""Price interventions done under an agreement: the cooperation side of `prices.links`.

`cooperation` sits above `prices`, so it is this app that knows both: it offers the price team
the agreements of its region (`choices`), links a recorded cooperation with a surplus region to
the chosen one (`link`, inside the intervention's transaction), names the agreement beside each
intervention (`linked`), and lists on an agreement's page the interventions done under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pendopo.cooperation import selectors
from pendopo.cooperation.models import Agreement, AgreementIntervention
from pendopo.prices.links import AgreementSource, LinkedAgreement, register_agreement_source

if TYPE_CHECKING:
    from pendopo.prices.models import Intervention
    from pendopo.regions.models import Region, User


def _agreements(user: User, region: Region) -> QuerySet[Agreement]:
    """The agreements the user sees that the region is a party to (its own, or as the partner)."""
    return selectors.agreements_for(user).filter(Q(region=region) | Q(partner_region=region))


def _label(agreement: Agreement, region_id: int) -> str:
    """The agreement as the region's price team names it: its title and the other party."""
    other = agreement.region.name if agreement.partner_region_id == region_id else agreement.partner
    return f"{agreement.title} — {other} ({agreement.code})"


def choices(user: User, region: Region) -> list[tuple[str, str]]:
    return [(a.code, _label(a, region.pk)) for a in _agreements(user, region).order_by("-created_at")]


def link(user: User, intervention: Intervention, code: str) -> None:
    agreement = _agreements(user, intervention.region).filter(case__code=code).first()
    if agreement is None:
        raise ValidationError(
            {"agreement": ValidationError(_("Unknown agreement: choose one from the list."), code="unknown_agreement")}
        )
    AgreementIntervention.objects.create(
        region=intervention.region, agreement=agreement, intervention=intervention, linked_by=user
    )


def linked(interventions: Sequence[Intervention]) -> dict[int, LinkedAgreement]:
    rows = AgreementIntervention.objects.filter(intervention__in=[i.pk for i in interventions]).select_related(
        "agreement__case", "agreement__region", "agreement__partner_region"
    )
    return {
        row.intervention_id: LinkedAgreement(
            code=row.agreement.code, label=_label(row.agreement, row.region_id), url=row.agreement.get_absolute_url()
        )
        for row in rows
    }


def interventions_under(agreement: Agreement) -> list[AgreementIntervention]:
    """The price interventions done under the agreement, latest first (public records of prices)."""
    return list(
        agreement.intervention_links.select_related("intervention__commodity", "region").order_by("-intervention__date", "pk")
    )


register_agreement_source(AgreementSource(choices=choices, link=link, linked=linked))
