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
