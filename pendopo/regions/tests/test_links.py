"""Absolute links for what leaves the browser follow PENDOPO_BASE_URL, or the request's own address."""

from __future__ import annotations

from django.test import RequestFactory

from pendopo.regions.links import absolute, base_url


def test_links_use_the_public_address(settings):
    settings.PENDOPO_BASE_URL = "https://layanan.banyuwangikab.go.id/"
    assert base_url() == "https://layanan.banyuwangikab.go.id"
    assert absolute("/lacak/BWI-7K3M-9QX2/") == "https://layanan.banyuwangikab.go.id/lacak/BWI-7K3M-9QX2/"


def test_inside_a_request_the_requests_address_is_used(settings):
    settings.PENDOPO_BASE_URL = "https://layanan.banyuwangikab.go.id"
    request = RequestFactory().get("/", HTTP_HOST="10.0.0.5:8000")
    settings.ALLOWED_HOSTS = ["10.0.0.5"]
    assert absolute("/lacak/X/", request) == "http://10.0.0.5:8000/lacak/X/"
