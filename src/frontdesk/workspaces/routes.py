from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from frontdesk.accounts.models import User
from frontdesk.accounts.schemas import TokenOut
from frontdesk.deps import Ctx, Meta, Svc, Uow
from frontdesk.portal.links import portal_links
from frontdesk.workspaces import members, service
from frontdesk.workspaces.models import Membership
from frontdesk.workspaces.permissions import Role
from frontdesk.workspaces.schemas import (
    AcceptInvitationIn,
    InvitationCreated,
    InvitationOut,
    InvitationPreview,
    InviteIn,
    MemberOut,
    MembersOut,
    MemberUpdate,
    WorkspaceOut,
    WorkspaceUpdate,
)

router = APIRouter(prefix="/api", tags=["workspace"])


def _member_out(membership: Membership, user: User) -> MemberOut:
    return MemberOut(
        id=membership.id,
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=Role(membership.role),
        joined_at=membership.created_at,
    )


@router.get("/workspace", response_model=WorkspaceOut)
async def get_workspace(ctx: Ctx) -> WorkspaceOut:
    return WorkspaceOut.model_validate(ctx.workspace)


@router.put("/workspace", response_model=WorkspaceOut)
async def update_workspace(data: WorkspaceUpdate, uow: Uow, ctx: Ctx) -> WorkspaceOut:
    return WorkspaceOut.model_validate(await service.update_profile(uow.session, ctx, data))


@router.get("/workspace/members", response_model=MembersOut)
async def list_members(uow: Uow, ctx: Ctx) -> MembersOut:
    rows, invitations = await members.list_members(uow.session, ctx)
    return MembersOut(
        members=[_member_out(m, u) for m, u in rows],
        invitations=[InvitationOut.model_validate(i) for i in invitations],
    )


@router.post(
    "/workspace/members", response_model=InvitationCreated, status_code=status.HTTP_201_CREATED
)
async def invite_member(
    data: InviteIn, uow: Uow, ctx: Ctx, svc: Svc, meta: Meta
) -> InvitationCreated:
    invitation, token = await members.invite(uow.session, svc.settings, ctx, data.email, data.role)
    links = portal_links(svc.settings, meta.base_url, ctx.workspace.slug)
    return InvitationCreated(
        **InvitationOut.model_validate(invitation).model_dump(),
        token=token,
        invite_url=f"{links.base_url}/invite/{token}",
    )


@router.patch("/workspace/members/{member_id}", response_model=MemberOut)
async def change_member_role(
    member_id: uuid.UUID, data: MemberUpdate, uow: Uow, ctx: Ctx
) -> MemberOut:
    return _member_out(*await members.change_role(uow.session, ctx, member_id, data.role))


@router.delete("/workspace/members/{member_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(member_id: uuid.UUID, uow: Uow, ctx: Ctx) -> None:
    await members.remove_member(uow.session, ctx, member_id)


@router.delete("/workspace/invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_invitation(invitation_id: uuid.UUID, uow: Uow, ctx: Ctx) -> None:
    await members.revoke_invitation(uow.session, ctx, invitation_id)


@router.get("/invitations/{token}", response_model=InvitationPreview)
async def preview_invitation(token: str, uow: Uow) -> InvitationPreview:
    invitation, workspace = await members.preview_invitation(uow.session, token)
    return InvitationPreview(
        workspace_name=workspace.name, email=invitation.email, role=Role(invitation.role)
    )


@router.post("/invitations/{token}/accept", response_model=TokenOut)
async def accept_invitation(
    token: str, data: AcceptInvitationIn, uow: Uow, svc: Svc, meta: Meta
) -> TokenOut:
    return TokenOut.of(
        await members.accept_invitation(uow.session, svc.settings, svc.limiter, token, data, meta)
    )
