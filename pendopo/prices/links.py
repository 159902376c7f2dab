"""Where an intervention links to a record of an app above `prices` (DESIGN.md's order).

A cooperation with a surplus region is done under a cooperation agreement, but `cooperation` sits
above `prices`: prices may not import it. So `cooperation` registers an `AgreementSource` from its
`AppConfig.ready()` (as the demo steps are registered with `regions`); prices asks it for the
agreements to offer, hands it the chosen one inside the intervention's transaction, and asks it
for the agreements to show beside interventions. Without a registered source the form has no
agreement field and the free-text partner remains.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pendopo.prices.models import Intervention
    from pendopo.regions.models import Region, User


@dataclass(frozen=True)
class LinkedAgreement:
    code: str
    label: str
    url: str


@dataclass(frozen=True)
class AgreementSource:
    # (code, label) of the agreements the user may record a cooperation of the region under.
    choices: Callable[[User, Region], list[tuple[str, str]]]
    # Link the saved intervention to the agreement of that code; raises ValidationError if it may not.
    link: Callable[[User, Intervention, str], None]
    # Intervention id → its agreement, in one query, for the interventions given.
    linked: Callable[[Sequence[Intervention]], dict[int, LinkedAgreement]]


_source: list[AgreementSource] = []


def register_agreement_source(source: AgreementSource) -> None:
    _source[:] = [source]


def agreement_source() -> AgreementSource | None:
    return _source[0] if _source else None


def linked_agreements(interventions: Sequence[Intervention]) -> dict[int, LinkedAgreement]:
    source = agreement_source()
    if source is None or not interventions:
        return {}
    return source.linked(interventions)
