"""HTML to PDF with WeasyPrint, self-contained: the documents embed what they show (inline CSS and
SVG, pictures as `data:` URLs), so WeasyPrint is never allowed to fetch anything from the network or
the disk."""

from __future__ import annotations

import base64
from typing import Any

# The pictures a document may embed, by their first bytes (an uploaded emblem is one of these).
_PICTURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def _fetcher() -> Any:
    """Only `data:` URLs (the document's own bytes, decoded in memory); any other URL stops the rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)


def picture_data_url(data: bytes) -> str:
    """`data:` URL of a PNG or JPEG (WebP is converted to PNG); "" for anything else."""
    for magic, mime in _PICTURES:
        if data.startswith(magic):
            return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        import io

        from PIL import Image

        out = io.BytesIO()
        with Image.open(io.BytesIO(data)) as image:
            image.save(out, format="PNG")
        return picture_data_url(out.getvalue())
    return ""


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()
