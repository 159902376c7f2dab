"""The PDF helper embeds the document's own pictures and fetches nothing else."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from pendopo.lib.pdf import html_to_pdf, picture_data_url


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 20, 20)).save(out, format="PNG")
    return out.getvalue()


def test_a_png_or_webp_is_embedded_as_a_data_url_and_drawn():
    url = picture_data_url(png())
    assert url.startswith("data:image/png;base64,")
    webp = io.BytesIO()
    Image.new("RGB", (10, 10)).save(webp, format="WEBP")
    assert picture_data_url(webp.getvalue()).startswith("data:image/png;base64,")
    assert picture_data_url(b"<svg onload=alert(1)>") == ""
    reader = PdfReader(io.BytesIO(html_to_pdf(f'<p>Lambang</p><img src="{url}" alt="">')))
    assert len(reader.pages[0].images) == 1


@pytest.mark.parametrize("src", ["http://127.0.0.1:9/x.png", "file:///etc/hostname"])
def test_any_other_url_stops_the_rendering(src):
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        html_to_pdf(f'<img src="{src}" alt="">')


def test_a_relative_url_has_no_base_and_draws_nothing():
    reader = PdfReader(io.BytesIO(html_to_pdf('<p>x</p><img src="/media/x.png" alt="">')))
    assert len(reader.pages[0].images) == 0
