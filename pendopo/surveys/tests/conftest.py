"""Services to rate and a helper that answers the survey, on top of the shared `world` personas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from pendopo.catalog.models import Service
from pendopo.surveys import actions
from pendopo.surveys.choices import Channel


@dataclass
class Services:
    ktp: Service  # agency A1 (Disdukcapil Banyuwangi)
    akta: Service  # agency A1
    vaksin: Service  # agency A2 (Dinkes Banyuwangi)
    ktp_b: Service  # agency B1 (Disdukcapil Mamuju Tengah)


@pytest.fixture
def services(world) -> Services:
    def service(agency, code, name):
        return Service.objects.create(region=agency.region, agency=agency, code=code, name=name)

    return Services(
        ktp=service(world.agency_a1, "KTP-EL", "Penerbitan KTP Elektronik"),
        akta=service(world.agency_a1, "AKTA-LAHIR", "Akta Kelahiran"),
        vaksin=service(world.agency_a2, "VAKSIN", "Layanan Vaksinasi"),
        ktp_b=service(world.agency_b1, "KTP-EL", "Penerbitan KTP Elektronik"),
    )


def answer(service: Service, scores: Any = 4, channel: str = Channel.QR, **kwargs: Any):
    """Submit one response: `scores` is one score for all nine elements or a sequence of nine."""
    values = [scores] * 9 if isinstance(scores, int) else list(scores)
    return actions.submit_response(
        service.region,
        service=service,
        scores={f"u{n}": value for n, value in enumerate(values, start=1)},
        channel=channel,
        **kwargs,
    )


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids); pages pick their language from the request."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Submission limits live in the cache: each test starts with a clean allowance."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def form_data(scores: Any = 4, **extra: Any) -> dict[str, Any]:
    values = [scores] * 9 if isinstance(scores, int) else list(scores)
    data = {f"u{n}": str(value) for n, value in enumerate(values, start=1)}
    data |= {"sex": "female", "age": "30-39", "education": "sma", "occupation": "self_employed", "suggestion": ""}
    data.update(extra)
    return data
