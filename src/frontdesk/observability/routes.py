"""GET /metrics: the Prometheus text format, for the instance's scraper only.

With ``FRONTDESK_METRICS_TOKEN`` set, a scraper sends ``Authorization: Bearer <token>``
(Prometheus: ``authorization: {credentials: ...}``); without it, only loopback clients are
answered, so a fresh install never shows its numbers to the internet. Behind a reverse proxy
the client address is the one the proxy reports (uvicorn's ``proxy_headers``), so visitors
coming through a proxy on the same host are not loopback either.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from frontdesk.kit.errors import NotAuthenticated, PermissionDenied
from frontdesk.observability.metrics import read_queue
from frontdesk.services import Services

log = logging.getLogger(__name__)
router = APIRouter(tags=["ops"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    services: Services = request.app.state.services
    authorize_scrape(request, services.settings.metrics_token)
    try:
        await read_queue(services.jobs, services.settings.job_queue)
    except Exception as error:  # Redis down: /readyz says so; the other numbers still matter
        log.warning("metrics: could not read the job queue (%s)", error)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def authorize_scrape(request: Request, token: str | None) -> None:
    if token:
        scheme, _, presented = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            presented.strip().encode(), token.encode()
        ):
            raise NotAuthenticated(
                "Send 'Authorization: Bearer <FRONTDESK_METRICS_TOKEN>'.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return
    host = request.client.host if request.client else ""
    if not _is_loopback(host):
        raise PermissionDenied(
            "Metrics are served to loopback clients only; set FRONTDESK_METRICS_TOKEN to "
            "scrape from elsewhere."
        )


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a unix socket, a test client's made-up name: not provably local
