"""Sign-in for the demo data set: only `seed-demo` (demo mode) ever sets a known password."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import service
from backend.auth.models import Role, User

DEMO_PASSWORD = "demo-password"
DEMO_ADMIN = "admin@demo.example"
DEMO_ANALYST = "analyst@demo.example"


async def create_demo_accounts(session: AsyncSession) -> list[tuple[str, str]]:
    """Gives the demo sales persons two teams (a manager each) and the demo password, and adds an administrator
    and an analyst. Returns (email, role) of the accounts one can sign in with.

    Only for a database whose every user came from the demo seed: it gives all of them the known password
    (backend.demo.seed calls it only when the database had no users before seeding)."""
    if await session.scalar(select(User.id).where(User.email == DEMO_ADMIN)) is not None:
        return []
    roles = {r.code: r for r in (await session.execute(select(Role))).scalars()}
    reps = list((await session.execute(select(User).where(User.email.is_not(None)).order_by(User.id))).scalars())
    accounts: list[tuple[str, str]] = []
    password_hash = service.hash_password(DEMO_PASSWORD)
    for i, user in enumerate(reps):
        team = "Team East" if i < (len(reps) + 1) // 2 else "Team West"
        is_manager = i in (0, (len(reps) + 1) // 2)
        user.role_id = roles["sales_manager" if is_manager else "sales_rep"].id
        user.password_hash = password_hash
        await service.add_to_team(session, user, team)
        accounts.append((user.email or "", "sales_manager" if is_manager else "sales_rep"))
    for name, email, role in (("Demo Admin", DEMO_ADMIN, "administrator"), ("Demo Analyst", DEMO_ANALYST, "analyst")):
        await service.create_user(session, name, email, DEMO_PASSWORD, role)
        accounts.insert(0, (email, role))
    return accounts


def sign_in_help(accounts: list[tuple[str, str]]) -> str:
    if not accounts:
        return ""
    lines = [f"  {email:<40} {role}" for email, role in accounts]
    return (
        f"Demo accounts (password for all: {DEMO_PASSWORD}):\n"
        + "\n".join(lines)
        + "\nManagers see their team's leads, reps their own; the admin and the analyst see all."
    )
