"""FastAPI dependencies shared by every feature's routes: the unit of work, the acting
context, and the application's long-lived services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from frontdesk.accounts import service as accounts
from frontdesk.kit.db import UnitOfWork
from frontdesk.kit.errors import NotAuthenticated
from frontdesk.kit.http import RequestMeta
from frontdesk.observability.logging import bind
from frontdesk.services import Services
from frontdesk.workspaces.permissions import WorkspaceContext


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_uow(request: Request) -> AsyncIterator[UnitOfWork]:
    async with get_services(request).unit_of_work() as uow:
        yield uow


_bearer = HTTPBearer(auto_error=False, description="Access token from /api/auth/login")


async def get_context(
    request: Request,
    uow: Annotated[UnitOfWork, Depends(get_uow, scope="function")],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> WorkspaceContext:
    if credentials is None:
        raise NotAuthenticated("Sign in first: send 'Authorization: Bearer <access_token>'.")
    services = get_services(request)
    ctx = await accounts.authenticate(
        uow.session, services.settings, credentials.credentials, RequestMeta.of(request)
    )
    bind(workspace_id=ctx.workspace_id)  # this request's log lines name the workspace
    return ctx


# scope="function": the unit of work commits when the handler returns, before the response
# is sent, so a client never sees a success whose data is not yet committed.
Uow = Annotated[UnitOfWork, Depends(get_uow, scope="function")]
Ctx = Annotated[WorkspaceContext, Depends(get_context)]
Svc = Annotated[Services, Depends(get_services)]


def meta_of(request: Request) -> RequestMeta:
    return RequestMeta.of(request)


Meta = Annotated[RequestMeta, Depends(meta_of)]
