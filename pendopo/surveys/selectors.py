"""Permission-scoped reads of survey data, and the scopes the resolver applies to it.

Who sees what (issue #5):
- raw responses (scores of one person, profile, suggestion) and imports: the staff of the
  agency (or service point) they belong to, and the region's administrator;
- indices: everyone — they are computed from all of a region's responses in the database and
  only the aggregates leave it (`published_responses` is for aggregation, never for listing);
- follow-up plans and the numbers of people served: public, like the reports that carry them
  (including Pendopo's count of the applications received: a number per service, never a case).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from pendopo.regions.models import Agency, Region, ServicePoint
from pendopo.regions.permissions import Action, Scope, can, register_scope, visible_to
from pendopo.surveys.models import FollowUpPlan, ImportBatch, ServedCount, SurveyResponse

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.catalog.models import Service
    from pendopo.regions.models import User
    from pendopo.surveys.periods import Period
    from pendopo.surveys.reports import Unit

register_scope(SurveyResponse, Scope(region="region_id", agency="agency_id", service_point="service_point_id"))
register_scope(ImportBatch, Scope(region="region_id", agency="agency_id", service_point="service_point_id"))
register_scope(ServedCount, Scope(region="region_id", agency="agency_id", public=Q(region__is_active=True)))
register_scope(FollowUpPlan, Scope(region="region_id", agency="agency_id", public=Q(region__is_active=True)))


def published_responses(region: Region) -> QuerySet[SurveyResponse]:
    """All of a region's responses, for computing its public indices only (never list these)."""
    return SurveyResponse.objects.filter(region=region)


def responses_visible_to(user: User | AnonymousUser | None, region: Region) -> QuerySet[SurveyResponse]:
    """The raw responses of `region` that `user` may read (none for the public)."""
    return visible_to(user, SurveyResponse.objects.filter(region=region))


def may_read_responses(user: User | AnonymousUser | None, agency: Agency) -> bool:
    """May `user` read (and import) raw responses of `agency`?

    Staff of an agency act for it (officers and heads hold ACT on their agency), the region's
    administrator acts for every agency; the answer comes from the one resolver.
    """
    return user is not None and user.is_authenticated and can(user, Action.ACT, agency)


def may_write_follow_up(user: User | AnonymousUser | None, agency: Agency) -> bool:
    """The agency head (or the region's administrator) writes the follow-up plan."""
    return user is not None and user.is_authenticated and can(user, Action.APPROVE, agency)


def agencies_for_import(user: User | AnonymousUser | None, region: Region) -> QuerySet[Agency]:
    """Agencies for which `user` may import paper surveys (act on the agency)."""
    return visible_to(user, Agency.objects.filter(region=region, is_active=True), Action.ACT).order_by("name")


def survey_services(region: Region) -> QuerySet[Service]:
    """The services a respondent can rate: every active service of the region.

    Not only the published ones: a service delivered while its standard is still a draft is
    still delivered, and its users may rate it.
    """
    from pendopo.catalog.models import Service

    return Service.objects.filter(region=region, is_active=True).select_related("agency").order_by("name")


def survey_points(region: Region) -> QuerySet[ServicePoint]:
    return visible_to(None, ServicePoint.objects.filter(region=region)).order_by("name")


def public_agencies(region: Region) -> QuerySet[Agency]:
    return visible_to(None, Agency.objects.filter(region=region)).order_by("name")


def may_read_unit(user: User | AnonymousUser | None, unit: Unit) -> bool:
    """May `user` read the raw responses (suggestions, exports) of a report unit?

    A region's whole report is the region administrator's; an agency's or a service's is its
    agency's staff's; a service point's is the staff of that point or of its agency.
    """
    if user is None or not user.is_authenticated:
        return False
    if unit.service is not None:
        return can(user, Action.ACT, unit.service.agency)
    if unit.agency is not None:
        return can(user, Action.ACT, unit.agency)
    if unit.point is not None:
        return can(user, Action.ACT, unit.point)
    return can(user, Action.MANAGE, unit.region)


def follow_up_plan(agency: Agency, period: Period) -> FollowUpPlan | None:
    """The follow-up plan is published with the report: anyone may read it."""
    return visible_to(None, FollowUpPlan.objects.filter(agency=agency, period=period.key)).first()


def published_served_counts(region: Region) -> QuerySet[ServedCount]:
    return visible_to(None, ServedCount.objects.filter(region=region))


def applications_received(region: Region, period: Period) -> dict[tuple[int, int], int]:
    """How many applications `region` received in `period`, per (agency, service) of the service.

    Pendopo's own count of the people served, with workflow's definition of *received* (the
    moment the case was received, which is the application's `created_at`). Read from the
    monthly counts the applications app keeps as applications arrive (applications/received.py):
    one query for a period of whole months, one more for the part-months of a range of days,
    whatever the number of applications. Like the other public figures it counts every
    application of the region whoever asks: only the numbers leave the database.
    """
    from pendopo.applications.received import received_between

    return received_between(region, period.first_day, period.last_day)
