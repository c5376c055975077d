"""GraphQL types for users (sales persons), the signed-in viewer and personal API tokens."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.api.auth import allowed
from backend.api.connections import named_connection
from backend.api.context import Info
from backend.api.errors import UserError
from backend.api.mutations import run_in_transaction
from backend.api.relay import Connection, Node, decode_id, to_global_id
from backend.auth import service
from backend.auth.models import ApiToken, LeadVisibility, Permission, Role, User
from backend.errors import DomainError

LeadVisibilityEnum = strawberry.enum(LeadVisibility, name="LeadVisibility")


@strawberry.type(name="User", description="A person who works leads: a sales person.")
class UserNode(Node):
    id: strawberry.ID
    name: str
    email: str | None
    is_active: bool
    model: strawberry.Private[User]

    @classmethod
    def from_model(cls, user: User) -> UserNode:
        return cls(
            id=to_global_id("User", user.id), name=user.name, email=user.email, is_active=user.is_active, model=user
        )

    @strawberry.field
    async def teams(self, info: Info) -> list[TeamNode]:
        async with info.context.read() as session:
            teams = (await service.teams_of(session, [self.model.id]))[self.model.id]
        return [TeamNode(id=to_global_id("Team", t.id), name=t.name) for t in teams]

    @strawberry.field
    async def role(self, info: Info) -> RoleNode | None:
        if self.model.role_id is None:
            return None
        async with info.context.read() as session:
            role = await session.get(Role, self.model.role_id)
        return RoleNode.from_model(role) if role else None

    @strawberry.field(description="Up to two letters for avatars on the board.")
    def initials(self) -> str:
        parts = [p for p in self.name.replace("-", " ").split() if p]
        return "".join(p[0] for p in (parts[:1] + parts[-1:] if len(parts) > 1 else parts)).upper()


@strawberry.type(name="Team")
class TeamNode(Node):
    id: strawberry.ID
    name: str


@strawberry.type(description="The signed-in user, with what their role lets them do.")
class Viewer:
    user: UserNode
    role: str
    permissions: list[str]
    lead_visibility: LeadVisibilityEnum  # type: ignore[valid-type]
    via: str = strawberry.field(description="session (the app) or token (an API token).")
    scopes: list[str]


@strawberry.type(name="ApiToken", description="A personal API token; its secret is shown once, when created.")
class ApiTokenNode(Node):
    id: strawberry.ID
    name: str
    prefix: str = strawberry.field(description="The token's first characters, to recognise it.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, token: ApiToken) -> ApiTokenNode:
        return cls(
            id=to_global_id("ApiToken", token.id),
            name=token.name,
            prefix=token.prefix,
            scopes=list(token.scopes),
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


def _principal(info: Info) -> service.Principal:
    if info.context.principal is None:
        raise DomainError.forbidden(None, "sign in first")
    return info.context.principal


@strawberry.type
class UserQueries:
    @strawberry.field(description="Who you are signed in as.")
    async def me(self, info: Info) -> Viewer:
        principal = _principal(info)
        user = await info.context.loaders.user.load(principal.user_id)
        return Viewer(
            user=UserNode.from_model(user),
            role=principal.role,
            permissions=sorted(principal.permissions),
            lead_visibility=principal.visibility,
            via=principal.via,
            scopes=sorted(principal.scopes),
        )

    @strawberry.field
    async def user(self, info: Info, id: strawberry.ID) -> UserNode | None:
        found = await info.context.loaders.user.load(decode_id(id, "User"))
        return UserNode.from_model(found) if found else None

    @strawberry.field(
        description="Users by name; `search` also matches email. `assignableOnly`: the sales persons "
        "you may give a lead to."
    )
    async def users(
        self,
        info: Info,
        search: str | None = None,
        assignable_only: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[UserNode]:
        principal = _principal(info)
        condition: ColumnElement[bool] = User.is_active.is_(True)
        if assignable_only and principal.visible_owner_ids is not None:
            condition = condition & User.id.in_(principal.visible_owner_ids)
        return await named_connection(
            info, User, UserNode.from_model, search, first, after, ("name", "email"), extra=condition
        )

    @strawberry.field(description="Your API tokens, newest first (revoked ones included).")
    async def api_tokens(self, info: Info) -> list[ApiTokenNode]:
        principal = _principal(info)
        async with info.context.read() as session:
            return [ApiTokenNode.from_model(t) for t in await service.tokens_of(session, principal.user_id)]

    @strawberry.field(description="The roles there are, with their lead visibility.")
    async def roles(self, info: Info) -> list[RoleNode]:
        _principal(info)
        async with info.context.read() as session:
            roles = (await session.execute(select(Role).order_by(Role.id))).scalars()
            return [RoleNode.from_model(r) for r in roles]


@strawberry.type(name="Role", description="What a user may do (permission keys) and which leads they see.")
class RoleNode(Node):
    id: strawberry.ID
    code: str | None = strawberry.field(description="Built-in roles: administrator, sales_manager, sales_rep, analyst.")
    name: str
    permissions: list[str]
    lead_visibility: LeadVisibilityEnum  # type: ignore[valid-type]

    @classmethod
    def from_model(cls, role: Role) -> RoleNode:
        return cls(
            id=to_global_id("Role", role.id),
            code=role.code,
            name=role.name,
            permissions=list(role.permissions),
            lead_visibility=role.lead_visibility,
        )


PermissionEnum = strawberry.enum(Permission, name="Permission")


@strawberry.input
class CreateRoleInput:
    name: str
    permissions: list[PermissionEnum]  # type: ignore[valid-type]
    lead_visibility: LeadVisibilityEnum = LeadVisibility.OWN  # type: ignore[valid-type]


@strawberry.input
class CreateUserInput:
    name: str
    email: str
    password: str = strawberry.field(description="At least 10 characters.")
    role_id: strawberry.ID | None = strawberry.field(default=None, description="Default: the sales rep role.")
    teams: list[str] | None = strawberry.field(default=None, description="Team names; new ones are created.")


@strawberry.input(description="Fields left out stay as they are.")
class UpdateUserInput:
    id: strawberry.ID
    role_id: strawberry.ID | None = None
    is_active: bool | None = strawberry.field(default=None, description="false signs the user out everywhere.")
    teams: list[str] | None = strawberry.field(default=None, description="Replaces the user's teams.")


@strawberry.type
class RolePayload:
    role: RoleNode | None
    errors: list[UserError]


@strawberry.type
class UserPayload:
    user: UserNode | None
    errors: list[UserError]


@strawberry.input
class CreateApiTokenInput:
    name: str
    scopes: list[str] = strawberry.field(default_factory=lambda: ["read"], description="read and/or write.")
    expires_in_days: int | None = strawberry.field(default=90, description="null: never expires.")


@strawberry.input
class RevokeApiTokenInput:
    id: strawberry.ID


@strawberry.type
class CreateApiTokenPayload:
    api_token: ApiTokenNode | None
    token: str | None = strawberry.field(description="The secret: shown this once, send it as a Bearer token.")
    errors: list[UserError]


@strawberry.type
class RevokeApiTokenPayload:
    api_token: ApiTokenNode | None
    errors: list[UserError]


def _session_only(info: Info) -> service.Principal:
    """Tokens are managed from a signed-in session: a leaked token cannot mint or revoke others."""
    principal = _principal(info)
    if principal.via != "session":
        raise DomainError.forbidden(None, "manage API tokens from a signed-in session, not with a token")
    return principal


@strawberry.type
class UserMutations:
    @strawberry.mutation(description="A custom role with permission keys and a lead visibility (users.manage).")
    async def create_role(self, info: Info, input: CreateRoleInput) -> RolePayload:
        async def action(session: AsyncSession) -> Role:
            allowed(info, Permission.MANAGE_USERS)
            keys = [Permission(p).value for p in input.permissions]
            return await service.create_role(session, input.name, keys, LeadVisibility(input.lead_visibility))

        role, errors = await run_in_transaction(info, action)
        return RolePayload(role=RoleNode.from_model(role) if role else None, errors=errors)

    @strawberry.mutation(description="Adds a user who can sign in (users.manage).")
    async def create_user(self, info: Info, input: CreateUserInput) -> UserPayload:
        async def action(session: AsyncSession) -> User:
            allowed(info, Permission.MANAGE_USERS)
            role_id = decode_id(input.role_id, "Role", "roleId") if input.role_id else None
            return await service.create_user(
                session, input.name, input.email, input.password, team_names=input.teams or (), role_id=role_id
            )

        user, errors = await run_in_transaction(info, action)
        return UserPayload(user=UserNode.from_model(user) if user else None, errors=errors)

    @strawberry.mutation(description="Changes a user's role, teams or status (users.manage).")
    async def update_user(self, info: Info, input: UpdateUserInput) -> UserPayload:
        async def action(session: AsyncSession) -> User:
            allowed(info, Permission.MANAGE_USERS)
            role_id = decode_id(input.role_id, "Role", "roleId") if input.role_id else None
            return await service.update_user(
                session,
                decode_id(input.id, "User"),
                role_id=role_id,
                is_active=input.is_active,
                team_names=input.teams,
            )

        user, errors = await run_in_transaction(info, action)
        return UserPayload(user=UserNode.from_model(user) if user else None, errors=errors)

    @strawberry.mutation(description="A personal API token acting as you, never beyond its scopes.")
    async def create_api_token(self, info: Info, input: CreateApiTokenInput) -> CreateApiTokenPayload:
        async def action(session: AsyncSession) -> tuple[ApiToken, str]:
            principal = _session_only(info)
            return await service.create_token(
                session, principal.user_id, input.name, input.scopes, input.expires_in_days
            )

        result, errors = await run_in_transaction(info, action)
        if result is None:
            return CreateApiTokenPayload(api_token=None, token=None, errors=errors)
        return CreateApiTokenPayload(api_token=ApiTokenNode.from_model(result[0]), token=result[1], errors=[])

    @strawberry.mutation(description="Revokes one of your API tokens at once.")
    async def revoke_api_token(self, info: Info, input: RevokeApiTokenInput) -> RevokeApiTokenPayload:
        async def action(session: AsyncSession) -> ApiToken:
            principal = _session_only(info)
            return await service.revoke_token(session, principal.user_id, decode_id(input.id, "ApiToken"))

        token, errors = await run_in_transaction(info, action)
        return RevokeApiTokenPayload(api_token=ApiTokenNode.from_model(token) if token else None, errors=errors)
