"""Users (the sales persons who own leads), teams, roles, sign-in sessions and API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, TimestampMixin, UtcDateTime, utcnow
from backend.enums import str_enum


class LeadVisibility(enum.StrEnum):
    """Which leads a role sees: all of them, those of the user's teams, or only the user's own."""

    ALL = "all"
    TEAM = "team"
    OWN = "own"


class Permission(enum.StrEnum):
    VIEW_LEADS = "leads.view"
    CREATE_LEADS = "leads.create"
    EDIT_LEADS = "leads.edit"
    DELETE_LEADS = "leads.delete"
    EXPORT = "leads.export"
    MANAGE_PIPELINES = "pipelines.manage"
    MANAGE_PRODUCTS = "products.manage"
    MANAGE_USERS = "users.manage"
    MANAGE_SETTINGS = "settings.manage"


class Role(TimestampMixin, Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Built-in roles have a code (administrator, sales_manager, sales_rep, analyst); custom ones have none.
    code: Mapped[str | None] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)
    lead_visibility: Mapped[LeadVisibility] = mapped_column(str_enum(LeadVisibility), default=LeadVisibility.OWN)


team_members = Table(
    "team_members",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_team_members_user", "user_id", "team_id"),
)


class Team(TimestampMixin, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Key of the record in the system it was imported from; makes imports idempotent.
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    # argon2id; None: the user cannot sign in (e.g. imported sales persons until they get a password).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"), index=True)


class UserSession(Base):
    """A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    user_agent: Mapped[str | None] = mapped_column(String(300))


class ApiToken(Base):
    """A personal API token for partners' scripts: shown once, stored as a SHA-256, scoped, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, to recognise it in a list ("esk_3fA9...").
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SignInFailure(Base):
    """Failed sign-ins, shared by every app process, to slow down password guessing."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
