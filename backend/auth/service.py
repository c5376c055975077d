"""Who is asking, and what they may do: passwords, sessions, API tokens, roles and lead visibility."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import String, cast, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend import validation
from backend.auth.models import (
    ApiToken,
    LeadVisibility,
    Permission,
    Role,
    SignInFailure,
    Team,
    User,
    UserSession,
    team_members,
)
from backend.contacts.service import normalize_email
from backend.db import utcnow
from backend.errors import DomainError, ErrorCode, FieldError, Problems
from backend.leads.filters import IdCondition, LeadFilter

SESSION_LIFETIME = timedelta(days=14)
TOKEN_PREFIX = "esk_"
SCOPES = frozenset({"read", "write"})
MIN_PASSWORD_LENGTH = 10
# Failed sign-ins within the window after which an email (or an address) must wait.
FAILURE_WINDOW = timedelta(minutes=15)
FAILURES_PER_EMAIL = 5
FAILURES_PER_ADDRESS = 20

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_secret(secret: str) -> str:
    """Session and token secrets are 256 random bits: a plain SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """The signed-in user (through a session cookie or an API token) and what they may do."""

    user_id: int
    name: str
    role: str
    permissions: frozenset[str]
    visibility: LeadVisibility
    # The sales persons whose leads this principal sees; None: everyone's, unassigned leads included.
    visible_owner_ids: frozenset[int] | None
    scopes: frozenset[str]
    via: str  # "session" or "token"
    role_id: int | None = None
    team_ids: frozenset[int] = frozenset()

    def can(self, permission: Permission) -> bool:
        return permission.value in self.permissions

    @property
    def can_write(self) -> bool:
        return "write" in self.scopes

    def lead_scope(self) -> LeadFilter | None:
        """The filter every lead query of this principal is ANDed with."""
        if self.visible_owner_ids is None:
            return None
        return LeadFilter(sales_person=IdCondition(in_=tuple(sorted(self.visible_owner_ids))))

    def may_assign(self, user_id: int | None) -> bool:
        """One may give a lead to the users whose leads one sees (an own-leads rep: only to oneself)."""
        if user_id is None:
            return self.visible_owner_ids is None
        return self.visible_owner_ids is None or user_id in self.visible_owner_ids


def require(principal: Principal | None, permission: Permission, *, write: bool = True) -> Principal:
    """The principal, if it may do this; otherwise a FORBIDDEN error naming the missing permission."""
    if principal is None:
        raise DomainError([FieldError(None, ErrorCode.FORBIDDEN, "sign in first")])
    if write and not principal.can_write:
        raise DomainError([FieldError(None, ErrorCode.FORBIDDEN, "this API token has no write scope")])
    if not principal.can(permission):
        raise DomainError([FieldError(None, ErrorCode.FORBIDDEN, f"your role may not do this ({permission.value})")])
    return principal


async def _visible_owner_ids(session: AsyncSession, user: User, visibility: LeadVisibility) -> frozenset[int] | None:
    if visibility == LeadVisibility.ALL:
        return None
    if visibility == LeadVisibility.OWN:
        return frozenset({user.id})
    my_teams = select(team_members.c.team_id).where(team_members.c.user_id == user.id)
    stmt = select(team_members.c.user_id).where(team_members.c.team_id.in_(my_teams))
    return frozenset({user.id, *(await session.execute(stmt)).scalars()})


def _team_ids(user_id: Any) -> Any:
    """The user's team ids as one comma-separated string: a column of the statement that finds the user."""
    return (
        select(func.aggregate_strings(cast(team_members.c.team_id, String), ","))
        .where(team_members.c.user_id == user_id)
        .scalar_subquery()
    )


def _with_user(credential: Any, user_id: Any, secret_hash_column: Any, secret: str) -> Any:
    """A session or token with its user, role and teams in one statement: every request resolves one."""
    return (
        select(credential, User, Role, _team_ids(User.id))
        .join(User, User.id == user_id)
        .outerjoin(Role, Role.id == User.role_id)
        .where(secret_hash_column == hash_secret(secret))
    )


async def principal_for(
    session: AsyncSession, user: User, role: Role | None, team_ids: str | None, scopes: Iterable[str], via: str
) -> Principal:
    visibility = role.lead_visibility if role else LeadVisibility.OWN
    return Principal(
        user_id=user.id,
        name=user.name,
        role=role.name if role else "none",
        permissions=frozenset(role.permissions if role else ()),
        visibility=visibility,
        visible_owner_ids=await _visible_owner_ids(session, user, visibility),
        scopes=frozenset(scopes),
        via=via,
        role_id=role.id if role else None,
        team_ids=frozenset(int(t) for t in team_ids.split(",")) if team_ids else frozenset(),
    )


# --- users ---------------------------------------------------------------------------------------------------


async def create_user(
    session: AsyncSession,
    name: str,
    email: str,
    password: str | None,
    role_code: str = "sales_rep",
    team_names: Sequence[str] = (),
    role_id: int | None = None,
) -> User:
    """A user with a built-in role (by code) or any role (by id); without a password they cannot sign in."""
    problems = Problems()
    clean_name = validation.text(problems, "name", name, max_length=200, required=True)
    clean_email = normalize_email(problems, "email", email)
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        problems.add("password", f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if role_id is not None:
        role = await session.get(Role, role_id)
    else:
        role = (await session.execute(select(Role).where(Role.code == role_code))).scalar_one_or_none()
    if role is None:
        problems.add("role", f"no role {role_id or role_code!r}: administrator, sales_manager, sales_rep or analyst")
    if clean_email and await _user_by_email(session, clean_email) is not None:
        problems.add("email", f"a user with the email {clean_email} exists already", ErrorCode.UNIQUE)
    problems.raise_if_any()
    user = User(
        name=clean_name,
        email=clean_email,
        is_active=True,
        role_id=role.id if role else None,
        password_hash=_hasher.hash(password) if password else None,
    )
    session.add(user)
    await session.flush()
    for team_name in team_names:
        await add_to_team(session, user, team_name)
    return user


async def add_to_team(session: AsyncSession, user: User, team_name: str) -> Team:
    team = (await session.execute(select(Team).where(Team.name == team_name))).scalar_one_or_none()
    if team is None:
        team = Team(name=team_name)
        session.add(team)
        await session.flush()
    await session.execute(team_members.insert().values(team_id=team.id, user_id=user.id))
    return team


async def set_password(session: AsyncSession, user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError.bad_input("password", f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = _hasher.hash(password)
    await session.flush()


async def _user_by_email(session: AsyncSession, email: str) -> User | None:
    stmt = select(User).where(func.lower(User.email) == email.lower())
    return (await session.execute(stmt)).scalar_one_or_none()


# --- sign-in -------------------------------------------------------------------------------------------------


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many attempts: retry in {retry_after} s")
        self.retry_after = retry_after


async def _check_throttle(session: AsyncSession, email: str, address: str | None, now: datetime) -> None:
    since = now - FAILURE_WINDOW
    for column, value, limit in (
        (SignInFailure.email, email, FAILURES_PER_EMAIL),
        (SignInFailure.address, address, FAILURES_PER_ADDRESS),
    ):
        if value is None:
            continue
        stmt = (
            select(SignInFailure.at)
            .where(column == value, SignInFailure.at >= since)
            .order_by(SignInFailure.at.desc())
            .limit(limit)
        )
        recent = list((await session.execute(stmt)).scalars())
        if len(recent) >= limit:
            retry = int((recent[-1] + FAILURE_WINDOW - now).total_seconds()) + 1
            raise RateLimited(max(retry, 1))


async def authenticate(session: AsyncSession, email: str, password: str, address: str | None) -> User | None:
    """The user whose email and password these are, or None (and the failure counts towards throttling)."""
    now = utcnow()
    key = email.strip().lower()
    await _check_throttle(session, key, address, now)
    user = await _user_by_email(session, key) if key else None
    try:
        _hasher.verify(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
        ok = user is not None and user.password_hash is not None and user.is_active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        session.add(SignInFailure(email=key, address=address, at=now))
        await session.flush()
        return None
    await session.execute(delete(SignInFailure).where(SignInFailure.email == key))
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = _hasher.hash(password)
    return user


async def start_session(session: AsyncSession, user: User, user_agent: str | None) -> str:
    secret = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            secret_hash=hash_secret(secret),
            expires_at=utcnow() + SESSION_LIFETIME,
            user_agent=(user_agent or "")[:300],
        )
    )
    await session.flush()
    return secret


async def end_session(session: AsyncSession, secret: str) -> None:
    found = (await session.execute(select(UserSession).where(UserSession.secret_hash == hash_secret(secret)))).scalar()
    if found is not None and found.revoked_at is None:
        found.revoked_at = utcnow()
        await session.flush()


async def revoke_sessions(session: AsyncSession, user_id: int) -> int:
    """Signs a user out everywhere (e.g. after a password change)."""
    stmt = select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    sessions = list((await session.execute(stmt)).scalars())
    for found in sessions:
        found.revoked_at = utcnow()
    await session.flush()
    return len(sessions)


async def principal_from_session(session: AsyncSession, secret: str) -> Principal | None:
    stmt = _with_user(UserSession, UserSession.user_id, UserSession.secret_hash, secret)
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        return None
    found, user, role, team_ids = row
    if found.revoked_at is not None or found.expires_at <= utcnow() or not user.is_active:
        return None
    return await principal_for(session, user, role, team_ids, SCOPES, "session")


# --- API tokens ----------------------------------------------------------------------------------------------


async def create_token(
    session: AsyncSession, user_id: int, name: str, scopes: Sequence[str], expires_in_days: int | None
) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and only its hash is kept."""
    problems = Problems()
    clean_name = validation.text(problems, "name", name, max_length=120, required=True)
    clean_scopes = sorted(set(scopes))
    if not clean_scopes or not set(clean_scopes) <= SCOPES:
        problems.add("scopes", "scopes are read and/or write")
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        problems.add("expires_in_days", "a token expires after 1 to 3650 days (or never, when left out)")
    problems.raise_if_any()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user_id,
        name=clean_name,
        secret_hash=hash_secret(secret),
        prefix=secret[:12],
        scopes=clean_scopes,
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    await session.flush()
    return token, secret


async def revoke_token(session: AsyncSession, user_id: int, token_id: int) -> ApiToken:
    token = await session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise DomainError.not_found("id", "no API token of yours with this id")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        await session.flush()
    return token


async def tokens_of(session: AsyncSession, user_id: int) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc(), ApiToken.id)
    return list((await session.execute(stmt)).scalars())


# A token's last use is written at most this often: reads must not queue behind a write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


async def principal_from_token(session: AsyncSession, secret: str) -> tuple[Principal | None, int | None]:
    """The token's principal, and the token's id when its last use is due to be recorded (touch_token)."""
    row = (await session.execute(_with_user(ApiToken, ApiToken.user_id, ApiToken.secret_hash, secret))).one_or_none()
    if row is None:
        return None, None
    token, user, role, team_ids = row
    now = utcnow()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now) or not user.is_active:
        return None, None
    stale = token.last_used_at is None or token.last_used_at <= now - LAST_USED_PRECISION
    return await principal_for(session, user, role, team_ids, token.scopes, "token"), token.id if stale else None


async def touch_token(session: AsyncSession, token_id: int) -> None:
    await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))


# --- administration ------------------------------------------------------------------------------------------


async def create_role(session: AsyncSession, name: str, permissions: Sequence[str], visibility: LeadVisibility) -> Role:
    """A custom role: any set of permission keys and a lead visibility."""
    problems = Problems()
    clean_name = validation.text(problems, "name", name, max_length=120, required=True)
    known = {p.value for p in Permission}
    unknown = sorted(set(permissions) - known)
    if unknown:
        problems.add("permissions", f"unknown permission keys {unknown}; known: {sorted(known)}")
    if clean_name and await session.scalar(select(Role.id).where(func.lower(Role.name) == clean_name.lower())):
        problems.add("name", f"a role named {clean_name!r} exists already", ErrorCode.UNIQUE)
    problems.raise_if_any()
    role = Role(name=clean_name, code=None, permissions=sorted(set(permissions)), lead_visibility=visibility)
    session.add(role)
    await session.flush()
    return role


async def update_user(
    session: AsyncSession,
    user_id: int,
    *,
    role_id: int | None = None,
    is_active: bool | None = None,
    team_names: Sequence[str] | None = None,
) -> User:
    """Changes a user's role, teams or status; a deactivated user is signed out everywhere at once."""
    user = await session.get(User, user_id)
    if user is None:
        raise DomainError.not_found("id", "no user with this id")
    if role_id is not None:
        if await session.get(Role, role_id) is None:
            raise DomainError.not_found("role_id", "no role with this id")
        user.role_id = role_id
    if team_names is not None:
        await session.execute(delete(team_members).where(team_members.c.user_id == user.id))
        for team_name in dict.fromkeys(t.strip() for t in team_names if t.strip()):
            await add_to_team(session, user, team_name)
    if is_active is not None and is_active != user.is_active:
        user.is_active = is_active
        if not is_active:
            await revoke_sessions(session, user.id)
    await session.flush()
    return user


async def teams_of(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, list[Team]]:
    stmt = (
        select(team_members.c.user_id, Team)
        .join(Team, Team.id == team_members.c.team_id)
        .where(team_members.c.user_id.in_(user_ids))
        .order_by(Team.name)
    )
    by_user: dict[int, list[Team]] = {i: [] for i in user_ids}
    for user_id, team in (await session.execute(stmt)).all():
        by_user[user_id].append(team)
    return by_user
