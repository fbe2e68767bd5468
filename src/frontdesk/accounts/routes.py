from __future__ import annotations

from fastapi import APIRouter, status

from frontdesk.accounts import service
from frontdesk.accounts.schemas import (
    LoginIn,
    MembershipOut,
    MeOut,
    RefreshIn,
    RegisterIn,
    SwitchIn,
    TokenOut,
    UserOut,
    WorkspaceRef,
)
from frontdesk.deps import Ctx, Meta, Svc, Uow
from frontdesk.workspaces import service as workspaces

router = APIRouter(prefix="/api", tags=["auth"])


@router.post("/auth/register", response_model=TokenOut, status_code=status.HTTP_201_CREATED)
async def register(data: RegisterIn, uow: Uow, svc: Svc, meta: Meta) -> TokenOut:
    return TokenOut.of(await service.register(uow.session, svc.settings, svc.limiter, data, meta))


@router.post("/auth/login", response_model=TokenOut)
async def login(data: LoginIn, uow: Uow, svc: Svc, meta: Meta) -> TokenOut:
    return TokenOut.of(await service.login(uow.session, svc.settings, svc.limiter, data, meta))


@router.post("/auth/refresh", response_model=TokenOut)
async def refresh(data: RefreshIn, uow: Uow, svc: Svc, meta: Meta) -> TokenOut:
    return TokenOut.of(await service.refresh(uow.session, svc.settings, data.refresh_token, meta))


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(uow: Uow, ctx: Ctx) -> None:
    """End this sign-in: its access and refresh tokens stop working at once."""
    await service.logout(uow.session, ctx)


@router.post("/auth/switch", response_model=TokenOut)
async def switch_workspace(data: SwitchIn, uow: Uow, ctx: Ctx, svc: Svc) -> TokenOut:
    return TokenOut.of(
        await service.switch_workspace(uow.session, svc.settings, ctx, data.workspace_id)
    )


@router.get("/me", response_model=MeOut)
async def me(uow: Uow, ctx: Ctx) -> MeOut:
    memberships = await workspaces.memberships_of(uow.session, ctx.user_id)
    return MeOut(
        user=UserOut.model_validate(ctx.user),
        workspace=WorkspaceRef.model_validate(ctx.workspace),
        role=ctx.role.value,
        memberships=[
            MembershipOut(workspace=WorkspaceRef.model_validate(w), role=role)
            for w, role in memberships
        ],
    )
