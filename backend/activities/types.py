"""GraphQL types for the lead timeline."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from backend.activities import service
from backend.activities.models import Activity, ActivityKind
from backend.api.auth import allowed, ensure_visible
from backend.api.context import Info
from backend.api.errors import UserError
from backend.api.mutations import run_in_transaction
from backend.api.relay import Connection, Node, build_edges, decode_id, page_info, page_size, to_global_id
from backend.auth.models import Permission

if TYPE_CHECKING:
    from backend.auth.types import UserNode

UserRef = Annotated["UserNode", strawberry.lazy("backend.auth.types")]

ActivityKindEnum = strawberry.enum(ActivityKind, name="ActivityKind")


@strawberry.enum(description="What a person can log on a lead by hand.")
class LoggedActivityKind(enum.Enum):
    NOTE = "note"
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    TASK = "task"


@strawberry.type(name="Activity", description="One entry of a lead's timeline.")
class ActivityNode(Node):
    id: strawberry.ID
    kind: ActivityKindEnum  # type: ignore[valid-type]
    title: str | None
    body: str | None
    data: JSON = strawberry.field(description="Detail: from/to stage and reason, or the changed fields.")
    created_at: datetime
    model: strawberry.Private[Activity]

    @classmethod
    def from_model(cls, activity: Activity) -> ActivityNode:
        return cls(
            id=to_global_id("Activity", activity.id),
            kind=activity.kind,
            title=activity.title,
            body=activity.body,
            data=JSON(activity.data),
            created_at=activity.created_at,
            model=activity,
        )

    @strawberry.field(description="Who did it (empty for imports and system changes).")
    async def actor(self, info: Info) -> UserRef | None:
        from backend.auth.types import UserNode

        if self.model.actor_id is None:
            return None
        return UserNode.from_model(await info.context.loaders.user.load(self.model.actor_id))


async def timeline_connection(
    info: Info, lead_id: int, first: int | None, after: str | None
) -> Connection[ActivityNode]:
    settings = info.context.settings
    size = page_size(first, settings.default_page_size, settings.max_page_size)
    page = await info.context.loaders.timeline.load((lead_id, (size, after)))

    async def total() -> int:
        from sqlalchemy import func, select

        async with info.context.read() as session:
            stmt = select(func.count()).select_from(Activity).where(Activity.lead_id == lead_id)
            return int((await session.execute(stmt)).scalar_one())

    return Connection(edges=build_edges(page, ActivityNode.from_model), page_info=page_info(page), count=total)


@strawberry.input
class AddActivityInput:
    lead_id: strawberry.ID
    kind: LoggedActivityKind = LoggedActivityKind.NOTE
    title: str | None = None
    body: str | None = None


@strawberry.type
class ActivityPayload:
    activity: ActivityNode | None
    errors: list[UserError]


@strawberry.type
class ActivityMutations:
    @strawberry.mutation(description="Logs a note, call, meeting, email or task on a lead's timeline.")
    async def add_activity(self, info: Info, input: AddActivityInput) -> ActivityPayload:
        async def action(session: AsyncSession) -> Activity:
            principal = allowed(info, Permission.EDIT_LEADS)
            lead_id = decode_id(input.lead_id, "Lead", "leadId")
            await ensure_visible(info, session, lead_id, "leadId")
            kind = ActivityKind(input.kind.value)
            return await service.add_activity(session, lead_id, kind, input.title, input.body, principal.user_id)

        activity, errors = await run_in_transaction(info, action)
        return ActivityPayload(activity=ActivityNode.from_model(activity) if activity else None, errors=errors)
