from __future__ import annotations

from pydantic import BaseModel


class PortalOut(BaseModel):
    url: str
    qr_png_url: str
    qr_svg_url: str
    widget_snippet: str
