"""The `pendopo demo` step: survey responses for both demo regions, once."""

from __future__ import annotations

from pendopo.surveys import indices
from pendopo.surveys.demo import load_demo_surveys
from pendopo.surveys.models import FollowUpPlan, ServedCount, SurveyResponse


def test_demo_responses_are_loaded_once(world, services):
    line = load_demo_surveys()
    count = SurveyResponse.objects.count()
    assert count > 0 and "banyuwangi" in line
    assert ServedCount.objects.filter(region=world.region_a).exists()
    assert FollowUpPlan.objects.filter(agency=world.agency_a1).exists()  # written by the agency head
    assert load_demo_surveys().endswith("banyuwangi 0, mamuju-tengah 0")
    assert SurveyResponse.objects.count() == count
    # The model regency scores higher than the young one.
    a = indices.index_of(SurveyResponse.objects.filter(region=world.region_a))
    b = indices.index_of(SurveyResponse.objects.filter(region=world.region_b))
    assert a.converted > b.converted


def test_demo_responses_at_an_agencys_counter_are_for_that_agencys_services(world, services):
    world.counter_a.agency = world.agency_a1  # a service mall counter, staffed by the civil registration agency
    world.counter_a.save()

    load_demo_surveys()

    at_counter = SurveyResponse.objects.filter(service_point=world.counter_a)
    assert at_counter.exists()
    assert set(at_counter.values_list("service__agency", flat=True)) == {world.agency_a1.pk}
    # The other agency's service is answered elsewhere (or with no service point), not at that counter.
    assert SurveyResponse.objects.filter(service=services.vaksin).exists()
