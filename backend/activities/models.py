"""The activity timeline of a lead: what people did and every change the system recorded."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UtcDateTime, utcnow
from backend.enums import str_enum


class ActivityKind(enum.StrEnum):
    NOTE = "note"
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    TASK = "task"
    LEAD_CREATED = "lead_created"
    STAGE_CHANGED = "stage_changed"
    FIELDS_CHANGED = "fields_changed"
    PRODUCTS_CHANGED = "products_changed"


USER_ACTIVITY_KINDS = frozenset(
    {ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.EMAIL, ActivityKind.TASK}
)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_lead_created", "lead_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind))
    title: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    # Structured detail: {"from_stage": .., "to_stage": .., "reason": ..} or {"changes": [{field, old, new}]}.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
