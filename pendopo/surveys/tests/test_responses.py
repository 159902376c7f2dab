"""Submitting a response: stored anonymously in the region's period, one per application, nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pendopo.surveys import actions
from pendopo.surveys.choices import Channel
from pendopo.surveys.models import SurveyResponse, application_key, period_fields
from pendopo.surveys.tests.conftest import answer


@time_machine.travel(dt.datetime(2026, 3, 31, 17, 30, tzinfo=dt.UTC), tick=False)
def test_period_is_the_regions_local_date(world, services):
    # 17:30 UTC on 31 March is 00:30 on 1 April in Banyuwangi (WIB) and 01:30 in Mamuju Tengah (WITA).
    response = answer(services.ktp, [4, 3, 4, 3, 4, 3, 4, 3, 2], profile={"sex": "female", "age": "30-39"})
    assert response.agency == world.agency_a1
    assert (response.local_date, response.year, response.semester, response.quarter, response.month) == (
        dt.date(2026, 4, 1),
        2026,
        1,
        2,
        4,
    )
    assert response.scores == (4, 3, 4, 3, 4, 3, 4, 3, 2)
    assert (response.sex, response.age, response.education) == ("female", "30-39", "")
    with time_machine.travel(dt.datetime(2026, 6, 30, 16, 30, tzinfo=dt.UTC), tick=False):
        late = answer(services.ktp_b)
    assert (late.local_date, late.semester) == (dt.date(2026, 7, 1), 2)


def test_period_fields():
    assert period_fields(dt.date(2026, 12, 31)) == {
        "local_date": dt.date(2026, 12, 31),
        "year": 2026,
        "semester": 2,
        "quarter": 4,
        "month": 12,
    }


def test_one_response_per_application(world, services):
    answer(services.ktp, application_code="BWI-7K3M-9QX2", channel=Channel.ONLINE)
    with pytest.raises(ValidationError) as error:
        answer(services.ktp, 1, application_code="BWI-7K3M-9QX2", channel=Channel.ONLINE)
    assert error.value.code == "already_answered"
    assert SurveyResponse.objects.filter(application_key=application_key("BWI-7K3M-9QX2")).count() == 1
    assert SurveyResponse.objects.get().u1 == 4
    # The same code in another region is another application.
    answer(services.ktp_b, application_code="BWI-7K3M-9QX2", channel=Channel.ONLINE)
    assert SurveyResponse.objects.count() == 2


def test_the_database_enforces_one_response_per_application(world, services):
    first = answer(services.ktp, application_code="BWI-AAAA-AAAA")
    first.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"u1": 5}, "u1"),
        ({"u4": 0}, "u4"),
        ({"u9": None}, "u9"),
        ({"u2": "3.5"}, "u2"),
        ({"u7": True}, "u7"),
    ],
)
def test_bad_scores_name_the_element_and_save_nothing(world, services, scores, field):
    values = {f"u{n}": 3 for n in range(1, 10)} | scores
    with pytest.raises(ValidationError) as error:
        actions.submit_response(world.region_a, service=services.ktp, scores=values, channel=Channel.QR)
    assert field in error.value.message_dict
    assert not SurveyResponse.objects.exists()


def test_a_missing_element_is_refused(world, services):
    values = {f"u{n}": 3 for n in range(1, 9)}
    with pytest.raises(ValidationError) as error:
        actions.submit_response(world.region_a, service=services.ktp, scores=values, channel=Channel.QR)
    assert list(error.value.message_dict) == ["u9"]


def test_the_database_refuses_scores_outside_one_to_four(world, services):
    response = answer(services.ktp)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.filter(pk=response.pk).update(u3=5)


def test_service_of_another_region_is_refused(world, services):
    with pytest.raises(ValidationError) as error:
        actions.submit_response(
            world.region_a, service=services.ktp_b, scores={f"u{n}": 4 for n in range(1, 10)}, channel=Channel.QR
        )
    assert "service" in error.value.message_dict


def test_unknown_profile_answer_and_long_suggestion_are_refused(world, services):
    with pytest.raises(ValidationError):
        answer(services.ktp, profile={"sex": "robot"})
    with pytest.raises(ValidationError):
        answer(services.ktp, suggestion="x" * 2001)
    with pytest.raises(ValidationError):
        answer(services.ktp, channel=Channel.PAPER)
    assert not SurveyResponse.objects.exists()


def test_a_response_keeps_no_tracking_code_that_leads_to_the_applicant(world, services, settings):
    """Anonymous: the response remembers only a keyed hash of the application it rates; a copy of
    the database (without the key) cannot join it to the application and so to the applicant."""
    response = answer(services.ktp, application_code="BWI-7K3M-9QX2", channel=Channel.ONLINE, suggestion="Lambat")
    row = SurveyResponse.objects.filter(pk=response.pk).values().get()
    assert not any("7K3M" in str(value) for value in row.values())
    assert row["application_key"] == application_key("BWI-7K3M-9QX2") and len(row["application_key"]) == 64
    # Another key, another hash: without PENDOPO_DATA_KEY the hash says nothing.
    settings.PENDOPO_DATA_KEY = "another-installation"
    assert application_key("BWI-7K3M-9QX2") != row["application_key"]
