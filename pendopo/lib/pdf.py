"""HTML to PDF with WeasyPrint, self-contained: the documents embed what they show (inline CSS and
SVG), so WeasyPrint is never allowed to fetch anything from the network or the disk."""

from __future__ import annotations

from typing import Any, NoReturn


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"refusing to fetch {url}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()  # type: ignore[no-any-return]
