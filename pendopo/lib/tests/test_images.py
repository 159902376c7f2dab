"""The pixel budget is read from the header: nothing is decoded to refuse a decompression bomb."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from pendopo.lib import images
from pendopo.lib.tests.hostile import bomb_png


def test_a_small_file_claiming_a_huge_image_is_refused_before_decoding(monkeypatch):
    data = bomb_png()
    assert len(data) < 600 * 1024
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    with pytest.raises(ValidationError) as caught:
        images.check_pixels(io.BytesIO(data))
    assert caught.value.code == "image_pixels"
    assert "13300 × 13300" in caught.value.messages[0]
    assert decoded == []


def test_an_image_within_the_budget_passes_and_the_stream_is_rewound(settings):
    settings.PENDOPO_IMAGE_MAX_PIXELS = 100 * 100
    stream = io.BytesIO(bomb_png(100, 100))
    assert images.check_pixels(stream) == (100, 100)
    assert stream.tell() == 0
    settings.PENDOPO_IMAGE_MAX_PIXELS = 100 * 99
    with pytest.raises(ValidationError):
        images.check_pixels(stream)


def test_pillow_itself_is_fenced_to_the_budget():
    assert Image.MAX_IMAGE_PIXELS == images.DEFAULT_MAX_PIXELS
