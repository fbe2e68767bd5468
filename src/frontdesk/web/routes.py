"""All server-rendered pages, and the redirect that sends signed-out visitors to sign in."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from frontdesk.web import (
    pages_app,
    pages_appointments,
    pages_assistant,
    pages_auth,
    pages_contacts,
    pages_documents,
    pages_knowledge,
    pages_lead,
    pages_leads,
    pages_tickets,
)
from frontdesk.web.session import LoginRequired, forget_session, redirect

router = APIRouter(include_in_schema=False)
router.include_router(pages_auth.router)
# Before pages_app: its /app/{section} placeholder would otherwise answer these paths.
router.include_router(pages_contacts.router)
router.include_router(pages_appointments.router)
router.include_router(pages_documents.router)
# The list first: its /app/leads/export and /bulk are not lead ids.
router.include_router(pages_leads.router)
router.include_router(pages_lead.router)
router.include_router(pages_tickets.router)
router.include_router(pages_knowledge.router)
router.include_router(pages_assistant.router)
router.include_router(pages_app.router)


async def _to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    forget_session(request)
    response: RedirectResponse = redirect(request, f"/login?{urlencode({'next': exc.next_path})}")
    return response


def install_login_redirect(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _to_login)
