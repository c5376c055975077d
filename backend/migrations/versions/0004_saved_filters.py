"""saved filters

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 19:33:04.618550
"""
import base64
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('saved_filters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('filter', sa.JSON(), nullable=False),
    sa.Column('sort', sa.JSON(), nullable=False),
    sa.Column('view', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('role_id', sa.Integer(), nullable=True),
    sa.Column('is_builtin', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_saved_filters_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_saved_filters_role_id_roles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_saved_filters_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filters'))
    )
    with op.batch_alter_table('saved_filters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_filters_owner_id'), ['owner_id'], unique=False)

    _insert_builtin_filters()


def _stage_id(code: str) -> str:
    """The global id (as the API spells it) of a stage of the default pipeline."""
    number = op.get_bind().execute(
        sa.text("SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id "
                "WHERE s.code = :code ORDER BY p.is_default DESC, p.id LIMIT 1"),
        {"code": code},
    ).scalar_one()
    return base64.urlsafe_b64encode(f"Stage:{number}".encode()).decode().rstrip("=")


def _insert_builtin_filters() -> None:
    """The filters sales teams use, for everyone. Frozen at this revision, in the API's own spelling."""
    now = datetime.now(UTC)
    open_ = {"status": {"eq": "OPEN"}}
    by_close = [{"field": "EXPECTED_CLOSE_DATE", "direction": "ASC", "nulls": "LAST"}]
    newest = [{"field": "CREATED_AT", "direction": "DESC", "nulls": "LAST"}]
    filters = [
        ("High value closing soon", {**open_, "value": {"gte": "50000"},
                                     "expectedCloseDate": {"relative": {"period": "NEXT_N_DAYS", "days": 30}}},
         by_close, "list"),
        ("Uncontacted and recent", {"stage": {"in": [_stage_id("new")]},
                                    "createdAt": {"relative": {"period": "LAST_N_DAYS", "days": 7}}}, newest, "list"),
        ("Cold and old", {**open_, "temperature": {"in": ["COLD", "UNQUALIFIED"]},
                          "not": {"createdAt": {"relative": {"period": "LAST_N_DAYS", "days": 90}}}},
         [{"field": "CREATED_AT", "direction": "ASC", "nulls": "LAST"}], "list"),
        ("Demo done but stalled", {"stage": {"in": [_stage_id("demo")]}, "daysInStage": {"gte": 14}},
         [{"field": "STAGE_ENTERED_AT", "direction": "ASC", "nulls": "LAST"}], "list"),
        ("My open leads", {**open_, "isMine": True}, by_close, "board"),
        ("Overdue", {**open_, "expectedCloseDate": {"relative": {"period": "OVERDUE"}}}, by_close, "list"),
    ]
    table = sa.table(
        "saved_filters", sa.column("name", sa.String), sa.column("filter", sa.JSON), sa.column("sort", sa.JSON),
        sa.column("view", sa.String), sa.column("scope", sa.String), sa.column("is_builtin", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(table, [
        {"name": name, "filter": flt, "sort": sort, "view": view, "scope": "everyone", "is_builtin": True,
         "created_at": now, "updated_at": now}
        for name, flt, sort, view in filters
    ])



def downgrade() -> None:
    with op.batch_alter_table('saved_filters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_filters_owner_id'))

    op.drop_table('saved_filters')
