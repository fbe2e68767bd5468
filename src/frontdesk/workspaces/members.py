"""Members and invitations: who belongs to a workspace, with which role.

Owners alone grant or take the owner role, and a workspace always keeps at least one owner.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.accounts import service as accounts
from frontdesk.accounts import throttle
from frontdesk.accounts.models import User
from frontdesk.accounts.repository import AuthSessionRepository, UserRepository
from frontdesk.audit import service as audit
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from frontdesk.kit.http import RequestMeta
from frontdesk.kit.ratelimit import RateLimiter
from frontdesk.kit.security import hash_opaque_token, hash_password, new_opaque_token
from frontdesk.settings import Settings
from frontdesk.workspaces.models import Invitation, Membership, Workspace
from frontdesk.workspaces.permissions import Permission, Role, WorkspaceContext
from frontdesk.workspaces.repository import (
    InvitationRepository,
    InvitationTokens,
    MembershipRepository,
)
from frontdesk.workspaces.schemas import AcceptInvitationIn


async def list_members(
    session: AsyncSession, ctx: WorkspaceContext
) -> tuple[Sequence[tuple[Membership, User]], Sequence[Invitation]]:
    ctx.require(Permission.VIEW)
    members = await MembershipRepository(session, ctx.workspace_id).with_users()
    invitations = await InvitationRepository(session, ctx.workspace_id).pending()
    return members, invitations


async def invite(
    session: AsyncSession, settings: Settings, ctx: WorkspaceContext, email: str, role: Role
) -> tuple[Invitation, str]:
    """Create an invitation; returns it with the raw token, which is never stored."""
    ctx.require(Permission.MANAGE_MEMBERS)
    _check_may_grant(ctx, role)
    existing = await UserRepository(session).by_email(email)
    if existing and await MembershipRepository(session, ctx.workspace_id).by_user(existing.id):
        raise Conflict(f"{email} is already a member of this workspace.", code="already_member")
    token = new_opaque_token()
    invitation = InvitationRepository(session, ctx.workspace_id).add(
        Invitation(
            email=email,
            role=role.value,
            token_hash=hash_opaque_token(token),
            invited_by_id=ctx.user_id,
            expires_at=utcnow() + timedelta(days=settings.invitation_days),
        )
    )
    await session.flush()
    await audit.record_by(
        session,
        ctx,
        "member.invited",
        target=("invitation", invitation.id),
        details={"email": email, "role": role.value},
    )
    return invitation, token


async def revoke_invitation(
    session: AsyncSession, ctx: WorkspaceContext, invitation_id: uuid.UUID
) -> None:
    ctx.require(Permission.MANAGE_MEMBERS)
    invitation = await InvitationRepository(session, ctx.workspace_id).get(invitation_id)
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        raise NotFound("No such pending invitation.")
    invitation.revoked_at = utcnow()
    await audit.record_by(
        session, ctx, "member.invitation_revoked", target=("invitation", invitation.id)
    )


async def change_role(
    session: AsyncSession, ctx: WorkspaceContext, member_id: uuid.UUID, role: Role
) -> tuple[Membership, User]:
    ctx.require(Permission.MANAGE_MEMBERS)
    repo = MembershipRepository(session, ctx.workspace_id)
    membership = await _member(repo, member_id)
    _check_may_grant(ctx, Role(membership.role))
    _check_may_grant(ctx, role)
    if membership.role == Role.OWNER and role != Role.OWNER:
        await _keep_an_owner(repo)
    previous, membership.role = membership.role, role.value
    await audit.record_by(
        session,
        ctx,
        "member.role_changed",
        target=("member", membership.id),
        details={"from": previous, "to": role.value},
    )
    user = await UserRepository(session).get(membership.user_id)
    assert user is not None  # a membership's user is deleted with it (cascade)
    return membership, user


async def remove_member(session: AsyncSession, ctx: WorkspaceContext, member_id: uuid.UUID) -> None:
    ctx.require(Permission.MANAGE_MEMBERS)
    repo = MembershipRepository(session, ctx.workspace_id)
    membership = await _member(repo, member_id)
    _check_may_grant(ctx, Role(membership.role))
    if membership.role == Role.OWNER:
        await _keep_an_owner(repo)
    await AuthSessionRepository(session).revoke_all_for_user_in(
        membership.user_id, ctx.workspace_id, utcnow(), "removed_from_workspace"
    )
    await repo.delete(membership)
    await audit.record_by(
        session,
        ctx,
        "member.removed",
        target=("member", membership.id),
        details={"user_id": str(membership.user_id)},
    )


async def preview_invitation(session: AsyncSession, token: str) -> tuple[Invitation, Workspace]:
    """What the link invites to. Nothing here says whether the email has an account: the
    link may be in anyone's hands (the inviter's included)."""
    return await _open_invitation(session, token)


async def accept_invitation(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    token: str,
    data: AcceptInvitationIn,
    meta: RequestMeta,
) -> accounts.IssuedTokens:
    """Join the workspace: an existing account proves itself with its password (limited
    exactly like sign-in, on the same budget); otherwise the account is created here."""
    invitation, workspace = await _open_invitation(session, token)
    users = UserRepository(session)
    user = await users.by_email(invitation.email)
    if user is None:
        await throttle.count_attempt(settings, limiter, meta)
        if not data.full_name or not data.full_name.strip():
            raise InvalidInput("full_name", "Your name is needed to create your account.")
        if len(data.password) < 8:
            raise InvalidInput("password", "Use at least 8 characters.")
        user = users.add(
            User(
                email=invitation.email,
                password_hash=hash_password(data.password),
                full_name=data.full_name.strip(),
            )
        )
        await session.flush()
    else:
        proven = await throttle.check_password(
            session, settings, limiter, invitation.email, data.password, meta
        )
        if proven is None:
            raise AuthenticationFailed("Password is incorrect for this account.")
        user = proven
    members = MembershipRepository(session, workspace.id)
    if await members.by_user(user.id) is None:
        members.add(Membership(user_id=user.id, role=invitation.role))
    invitation.accepted_at = utcnow()
    await audit.record(
        session,
        workspace.id,
        user.id,
        "member.joined",
        meta,
        target=("invitation", invitation.id),
        details={"role": invitation.role},
    )
    return await accounts.start_session_for(session, settings, user, workspace, meta)


async def _open_invitation(session: AsyncSession, token: str) -> tuple[Invitation, Workspace]:
    found = await InvitationTokens(session).by_hash(hash_opaque_token(token))
    if found is None:
        raise NotFound("This invitation link is not valid.", code="invitation_not_found")
    invitation, workspace = found
    if invitation.accepted_at or invitation.revoked_at:
        raise NotFound(
            "This invitation has already been used or withdrawn.", code="invitation_used"
        )
    if invitation.expires_at <= utcnow():
        raise NotFound("This invitation has expired. Ask for a new one.", code="invitation_expired")
    return invitation, workspace


async def _member(repo: MembershipRepository, member_id: uuid.UUID) -> Membership:
    membership = await repo.get(member_id)
    if membership is None:
        raise NotFound("No such member.")
    return membership


def _check_may_grant(ctx: WorkspaceContext, role: Role) -> None:
    if role == Role.OWNER:
        ctx.require(Permission.TRANSFER_OWNERSHIP)


async def _keep_an_owner(repo: MembershipRepository) -> None:
    if await repo.count_role(Role.OWNER.value) <= 1:
        raise Conflict(
            "A workspace needs at least one owner. Make someone else owner first.",
            code="last_owner",
        )
