"""GraphQL types for users (sales persons)."""

from __future__ import annotations

import strawberry

from backend.api.connections import named_connection
from backend.api.context import Info
from backend.api.relay import Connection, Node, decode_id, to_global_id
from backend.auth.models import User


@strawberry.type(name="User", description="A person who works leads: a sales person.")
class UserNode(Node):
    id: strawberry.ID
    name: str
    email: str | None
    is_active: bool

    @classmethod
    def from_model(cls, user: User) -> UserNode:
        return cls(id=to_global_id("User", user.id), name=user.name, email=user.email, is_active=user.is_active)

    @strawberry.field(description="Up to two letters for avatars on the board.")
    def initials(self) -> str:
        parts = [p for p in self.name.replace("-", " ").split() if p]
        return "".join(p[0] for p in (parts[:1] + parts[-1:] if len(parts) > 1 else parts)).upper()


@strawberry.type
class UserQueries:
    @strawberry.field
    async def user(self, info: Info, id: strawberry.ID) -> UserNode | None:
        found = await info.context.loaders.user.load(decode_id(id, "User"))
        return UserNode.from_model(found) if found else None

    @strawberry.field(description="Users by name; `search` also matches email.")
    async def users(
        self, info: Info, search: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[UserNode]:
        return await named_connection(info, User, UserNode.from_model, search, first, after, ("name", "email"))
