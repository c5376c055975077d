"""Pipelines and their ordered stages."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db import Base, TimestampMixin
from backend.enums import str_enum


class StageKind(enum.StrEnum):
    """What entering a stage means for the lead; won and lost are kinds, never magic names."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Pipeline(TimestampMixin, Base):
    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    # A lead that sits in one stage longer than this is "rotting" on the board; None: never.
    rotting_days: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    stages: Mapped[list[Stage]] = relationship(
        back_populates="pipeline", lazy="raise", order_by="Stage.position", cascade="all, delete-orphan"
    )


class Stage(TimestampMixin, Base):
    __tablename__ = "stages"
    __table_args__ = (
        UniqueConstraint("pipeline_id", "code"),
        Index("ix_stages_pipeline_position", "pipeline_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)
    # Win probability in percent (0-100): weighted value = value × probability / 100.
    probability: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StageKind] = mapped_column(str_enum(StageKind), default=StageKind.OPEN)
    expected_days: Mapped[int | None] = mapped_column(Integer)

    pipeline: Mapped[Pipeline] = relationship(back_populates="stages", lazy="raise")
