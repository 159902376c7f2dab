"""The catalogue's tests assert English messages (the msgids); the Indonesian translation is tested by the UI's tests."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The standards' PDF files (catalog/pdf.py) go to a folder of each test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client() -> Client:
    return Client(headers={"accept-language": "en"})
