"""The application factory. Building the app connects to nothing; the lifespan owns the
engine and closes it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from frontdesk import __version__, tasks
from frontdesk.accounts.routes import router as auth_router
from frontdesk.appointments.routes import router as appointments_router
from frontdesk.appointments.routes_customer import router as booking_link_router
from frontdesk.appointments.routes_feeds import router as feeds_router
from frontdesk.assistant.routes import router as assistant_router
from frontdesk.assistant.routes_settings import engine_router, intents_router
from frontdesk.attachments.routes import router as files_router
from frontdesk.audit.routes import router as audit_router
from frontdesk.calendars.routes import router as calendar_router
from frontdesk.contacts.routes import router as contacts_router
from frontdesk.conversations.routes_portal import router as portal_chat_router
from frontdesk.conversations.routes_staff import router as inbox_router
from frontdesk.documents.routes import router as documents_router
from frontdesk.kit.body_limits import BodyLimitMiddleware, largest_upload_body
from frontdesk.kit.dependencies import readiness
from frontdesk.kit.error_handlers import install_error_handlers
from frontdesk.kit.gc_tuning import CollectorCare
from frontdesk.kit.http import SecurityHeadersMiddleware
from frontdesk.kit.openapi import install_openapi
from frontdesk.kit.static_files import MemoryStaticFiles
from frontdesk.knowledge.routes import router as knowledge_router
from frontdesk.leads.routes import router as leads_router
from frontdesk.observability.logging import RequestContextMiddleware
from frontdesk.observability.metrics import HttpMetricsMiddleware
from frontdesk.observability.routes import router as metrics_router
from frontdesk.portal.routes import PORTAL_STATIC
from frontdesk.portal.routes import router as portal_router
from frontdesk.realtime.routes import router as realtime_router
from frontdesk.services import Services
from frontdesk.settings import Settings
from frontdesk.tickets.routes import router as tickets_router
from frontdesk.web.routes import install_login_redirect
from frontdesk.web.routes import router as pages_router
from frontdesk.web.templating import STATIC_DIR
from frontdesk.workspaces.routes import router as workspace_router

log = logging.getLogger("frontdesk")
JOBS = tasks.FEATURE_TASKS  # imported for their side effect: registering every job
SWAGGER = "/static/vendor/swagger-ui-dist"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    services = Services.build(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await services.start()
        collector = CollectorCare()
        if settings.tune_gc:
            collector.start()
        yield
        await collector.stop()
        await services.close()

    # docs_url=None: /docs is served below from vendored Swagger UI, so it works offline.
    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        title="Frontdesk",
        version=__version__,
        lifespan=lifespan,
        description="An open AI front desk for small businesses.",
    )
    app.state.services = services
    # Added first, so it runs inside the security headers: a 413 carries them too.
    app.add_middleware(
        BodyLimitMiddleware,
        json_limit=settings.json_body_limit_kb * 1024,
        upload_limit=largest_upload_body(settings.upload_limit_mb),
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.cookie_secure)
    # Outermost: every request is timed and carries its id, whatever answers it.
    app.add_middleware(HttpMetricsMiddleware)
    app.add_middleware(RequestContextMiddleware)
    install_error_handlers(app)
    install_openapi(app)  # every error each operation can answer, in the envelope's shape
    install_login_redirect(app)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"], response_model=None)
    async def readyz() -> dict[str, Any] | JSONResponse:
        """Every dependency answers: the database, Redis (when configured), the job queue;
        503 naming those that do not."""
        return await readiness(services)

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Frontdesk API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    for router in (
        auth_router,
        workspace_router,
        assistant_router,
        audit_router,
        contacts_router,
        knowledge_router,
        intents_router,
        engine_router,
        appointments_router,
        calendar_router,
        booking_link_router,
        feeds_router,
        leads_router,
        tickets_router,
        documents_router,
        portal_router,
        portal_chat_router,
        inbox_router,
        realtime_router,
        files_router,
        metrics_router,
        pages_router,
    ):
        app.include_router(router)
    # Scripts and stylesheets from memory, gzipped: a page of native modules asks for many.
    app.mount("/static", MemoryStaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/portal-static", MemoryStaticFiles(directory=PORTAL_STATIC), name="portal-static")
    return app
