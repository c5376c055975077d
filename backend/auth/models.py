"""Users: the sales persons who own leads (sign-in, teams and roles come with the auth issue)."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, TimestampMixin


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Key of the record in the system it was imported from; makes imports idempotent.
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
