"""QR codes as inline SVG (segno): pages and printed documents embed them, so nothing is fetched to show one."""

from __future__ import annotations

import segno


def qr_svg(data: str, *, scale: int = 3, title: str = "", omit_size: bool = False) -> str:
    """The QR code of `data` as an <svg> element (error correction M: it survives a crumpled print).

    segno writes the markup itself and escapes what it embeds; the caller may mark it safe.
    """
    return segno.make(data, error="m").svg_inline(scale=scale, border=2, omitsize=omit_size, title=title or None)
