"""QR codes for the portal link, as PNG and SVG (segno: pure Python, no image library)."""

from __future__ import annotations

import io

import segno

DARK = "#0f172a"


def qr_png(data: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2, dark=DARK)
    return buffer.getvalue()


def qr_svg(data: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer,
        kind="svg",
        scale=scale,
        border=2,
        dark=DARK,
        xmldecl=True,
        svgns=True,
        title="Portal QR code",
    )
    return buffer.getvalue()
