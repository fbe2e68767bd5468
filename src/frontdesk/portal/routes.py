from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from frontdesk.deps import Ctx, Meta, Svc, Uow
from frontdesk.kit.static_files import compressed_response, gzipped_page
from frontdesk.portal import qr, service
from frontdesk.portal.assets import PORTAL_STATIC, STYLESHEET_URL, assets
from frontdesk.portal.schemas import PortalOut
from frontdesk.web.templating import templates

router = APIRouter(tags=["portal"])
WIDGET_JS = PORTAL_STATIC / "widget.js"
_QR_CACHE = "public, max-age=3600"
_FOR_GOOD = "public, max-age=31536000, immutable"


@router.get("/api/workspace/portal", response_model=PortalOut)
async def portal_links(ctx: Ctx, svc: Svc) -> PortalOut:
    links = service.links_for(ctx, svc.settings)
    return PortalOut(
        url=links.url,
        qr_png_url=links.qr_png_url,
        qr_svg_url=links.qr_svg_url,
        widget_snippet=links.widget_snippet,
    )


@router.get("/c/{slug}", response_class=HTMLResponse, include_in_schema=False)
async def portal_page(slug: str, request: Request, uow: Uow, embed: bool = False) -> HTMLResponse:
    portal = await service.public_portal(uow.session, slug)
    page = templates.TemplateResponse(
        request,
        "portal.html",
        {
            "workspace": portal.workspace,
            "assistant": portal.assistant,
            "business_name": portal.workspace.name,
            "quick_prompts": portal.assistant.quick_prompts,
            "stylesheet_url": assets.stylesheet_url(),
            "module_preloads": assets.preloads(),
        },
    )
    return gzipped_page(page, request.headers)  # the first request a phone waits for


@router.get(STYLESHEET_URL, include_in_schema=False)
async def portal_stylesheet(request: Request, v: str = "") -> Response:
    """The chat's stylesheets as one response (portal/assets.py). The page asks for it with
    its version, so a browser may keep it for good; an old or missing version revalidates."""
    sheet = assets.stylesheet()
    cache = _FOR_GOOD if v == sheet.tag else "no-cache"
    return compressed_response(sheet, request.headers, "text/css", {"Cache-Control": cache})


@router.get("/c/{slug}/qr.png", include_in_schema=False)
async def portal_qr_png(slug: str, uow: Uow, svc: Svc, meta: Meta) -> Response:
    url = await service.public_link(uow.session, svc.settings, meta.base_url, slug)
    return Response(qr.qr_png(url), media_type="image/png", headers={"Cache-Control": _QR_CACHE})


@router.get("/c/{slug}/qr.svg", include_in_schema=False)
async def portal_qr_svg(slug: str, uow: Uow, svc: Svc, meta: Meta) -> Response:
    url = await service.public_link(uow.session, svc.settings, meta.base_url, slug)
    return Response(
        qr.qr_svg(url), media_type="image/svg+xml", headers={"Cache-Control": _QR_CACHE}
    )


@router.get("/widget.js", include_in_schema=False)
async def widget_script() -> FileResponse:
    return FileResponse(
        WIDGET_JS,
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )
