"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-12-03 18:30:26.551793
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lead_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_types')),
    sa.UniqueConstraint('name', name=op.f('uq_lead_types_name'))
    )
    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('industry', sa.String(length=120), nullable=True),
    sa.Column('employee_count', sa.Integer(), nullable=True),
    sa.Column('annual_revenue', sa.BigInteger(), nullable=True),
    sa.Column('country', sa.String(length=120), nullable=True),
    sa.Column('region', sa.String(length=120), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('parent_name', sa.String(length=200), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('external_id', name=op.f('uq_organizations_external_id'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_employee_count'), ['employee_count'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_industry'), ['industry'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_name'), ['name'], unique=False)

    op.create_table('pipelines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('rotting_days', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipelines')),
    sa.UniqueConstraint('name', name=op.f('uq_pipelines_name'))
    )
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=120), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('list_price', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('billing_term', sa.String(length=32), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('sku', name=op.f('uq_products_sku'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_name'), ['name'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sources_name'))
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_category'), ['category'], unique=False)

    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_tags_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('external_id', name=op.f('uq_users_external_id'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_name'), ['name'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('department', sa.String(length=200), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('emails', sa.JSON(), nullable=False),
    sa.Column('phones', sa.JSON(), nullable=False),
    sa.Column('decision_role', sa.String(length=32), nullable=True),
    sa.Column('preferred_channel', sa.String(length=32), nullable=True),
    sa.Column('best_contact_hours', sa.String(length=120), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_persons_organization_id_organizations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('external_id', name=op.f('uq_persons_external_id'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_persons_organization_id'), ['organization_id'], unique=False)

    op.create_table('stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pipeline_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('expected_days', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'], name=op.f('fk_stages_pipeline_id_pipelines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stages')),
    sa.UniqueConstraint('pipeline_id', 'code', name=op.f('uq_stages_pipeline_id_code'))
    )
    with op.batch_alter_table('stages', schema=None) as batch_op:
        batch_op.create_index('ix_stages_pipeline_position', ['pipeline_id', 'position'], unique=False)

    op.create_table('leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('value', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('lost_reason', sa.String(length=500), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('lead_type_id', sa.Integer(), nullable=True),
    sa.Column('sales_person_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('pipeline_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('stage_entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expected_close_date', sa.Date(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('temperature', sa.String(length=32), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_type_id'], ['lead_types.id'], name=op.f('fk_leads_lead_type_id_lead_types'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_leads_organization_id_organizations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_leads_person_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'], name=op.f('fk_leads_pipeline_id_pipelines')),
    sa.ForeignKeyConstraint(['sales_person_id'], ['users.id'], name=op.f('fk_leads_sales_person_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_leads_source_id_sources'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_leads_stage_id_stages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads')),
    sa.UniqueConstraint('external_id', name=op.f('uq_leads_external_id'))
    )
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_close_date', ['expected_close_date', 'id'], unique=False)
        batch_op.create_index('ix_leads_created', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_lead_type_id'), ['lead_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_pipeline_id'), ['pipeline_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_sales_person_id'), ['sales_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_source_id'), ['source_id'], unique=False)
        batch_op.create_index('ix_leads_stage_created', ['stage_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_leads_stage_value', ['stage_id', 'value', 'id'], unique=False)
        batch_op.create_index('ix_leads_status_stage', ['status', 'stage_id'], unique=False)
        batch_op.create_index('ix_leads_title', ['title', 'id'], unique=False)
        batch_op.create_index('ix_leads_updated', ['updated_at', 'id'], unique=False)
        batch_op.create_index('ix_leads_value', ['value', 'id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_activities_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_activities_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_lead_created', ['lead_id', 'created_at', 'id'], unique=False)

    op.create_table('lead_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('discount_percent', sa.BigInteger(), nullable=True),
    sa.Column('discount_amount', sa.BigInteger(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_products_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_lead_products_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_products'))
    )
    with op.batch_alter_table('lead_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_products_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_products_product_id'), ['product_id'], unique=False)

    op.create_table('lead_tags',
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_tags_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_lead_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('lead_id', 'tag_id', name=op.f('pk_lead_tags'))
    )
    with op.batch_alter_table('lead_tags', schema=None) as batch_op:
        batch_op.create_index('ix_lead_tags_tag_lead', ['tag_id', 'lead_id'], unique=False)



    _insert_reference_data()


# Frozen copies of the reference data as it was at this revision; later changes get their own revision.
DEFAULT_STAGES = [
    # code, name, probability %, kind, expected days in stage
    ("new", "New", 10, "open", 3),
    ("contacted", "Contacted", 20, "open", 7),
    ("qualified", "Qualified", 40, "open", 14),
    ("demo", "Presentation/Demo", 60, "open", 14),
    ("negotiation", "Negotiation", 80, "open", 21),
    ("won", "Won", 100, "won", None),
    ("lost", "Lost", 0, "lost", None),
]

DEFAULT_SOURCES = [
    ("Website form", "digital"),
    ("Content download", "digital"),
    ("Search", "digital"),
    ("Social media", "digital"),
    ("Email campaign", "digital"),
    ("Trade show", "traditional"),
    ("Print", "traditional"),
    ("Direct mail", "traditional"),
    ("Telemarketing", "traditional"),
    ("Radio/TV", "traditional"),
    ("Customer referral", "referral"),
    ("Partner referral", "referral"),
    ("Employee referral", "referral"),
    ("Professional network", "referral"),
    ("Cold outreach", "sales_generated"),
    ("Networking event", "sales_generated"),
    ("Social selling", "sales_generated"),
    ("Cold call", "sales_generated"),
]

DEFAULT_LEAD_TYPES = ["New business", "Existing business"]


def _insert_reference_data() -> None:
    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    pipelines = sa.table(
        "pipelines", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("is_default", sa.Boolean),
        sa.column("rotting_days", sa.Integer), sa.column("position", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(pipelines, [{"id": 1, "name": "Sales pipeline", "is_default": True, "rotting_days": 30,
                                "position": 0, **stamps}])
    stages = sa.table(
        "stages", sa.column("pipeline_id", sa.Integer), sa.column("code", sa.String), sa.column("name", sa.String),
        sa.column("position", sa.Integer), sa.column("probability", sa.Integer), sa.column("kind", sa.String),
        sa.column("expected_days", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(stages, [
        {"pipeline_id": 1, "code": code, "name": name, "position": i, "probability": p, "kind": kind,
         "expected_days": days, **stamps}
        for i, (code, name, p, kind, days) in enumerate(DEFAULT_STAGES)
    ])
    sources = sa.table(
        "sources", sa.column("name", sa.String), sa.column("category", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(sources, [{"name": n, "category": c, **stamps} for n, c in DEFAULT_SOURCES])
    lead_types = sa.table(
        "lead_types", sa.column("name", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(lead_types, [{"name": n, **stamps} for n in DEFAULT_LEAD_TYPES])
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids above do not advance PostgreSQL's sequence.
        op.execute("SELECT setval(pg_get_serial_sequence('pipelines', 'id'), (SELECT MAX(id) FROM pipelines))")


def downgrade() -> None:
    with op.batch_alter_table('lead_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_tags_tag_lead')

    op.drop_table('lead_tags')
    with op.batch_alter_table('lead_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_products_product_id'))
        batch_op.drop_index(batch_op.f('ix_lead_products_lead_id'))

    op.drop_table('lead_products')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_lead_created')

    op.drop_table('activities')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_value')
        batch_op.drop_index('ix_leads_updated')
        batch_op.drop_index('ix_leads_title')
        batch_op.drop_index('ix_leads_status_stage')
        batch_op.drop_index('ix_leads_stage_value')
        batch_op.drop_index('ix_leads_stage_created')
        batch_op.drop_index(batch_op.f('ix_leads_source_id'))
        batch_op.drop_index(batch_op.f('ix_leads_sales_person_id'))
        batch_op.drop_index(batch_op.f('ix_leads_pipeline_id'))
        batch_op.drop_index(batch_op.f('ix_leads_person_id'))
        batch_op.drop_index(batch_op.f('ix_leads_organization_id'))
        batch_op.drop_index(batch_op.f('ix_leads_lead_type_id'))
        batch_op.drop_index('ix_leads_created')
        batch_op.drop_index('ix_leads_close_date')

    op.drop_table('leads')
    with op.batch_alter_table('stages', schema=None) as batch_op:
        batch_op.drop_index('ix_stages_pipeline_position')

    op.drop_table('stages')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_organization_id'))
        batch_op.drop_index(batch_op.f('ix_persons_name'))

    op.drop_table('persons')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_name'))

    op.drop_table('users')
    op.drop_table('tags')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_category'))

    op.drop_table('sources')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_name'))
        batch_op.drop_index(batch_op.f('ix_products_category'))

    op.drop_table('products')
    op.drop_table('pipelines')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_name'))
        batch_op.drop_index(batch_op.f('ix_organizations_industry'))
        batch_op.drop_index(batch_op.f('ix_organizations_employee_count'))
        batch_op.drop_index(batch_op.f('ix_organizations_country'))

    op.drop_table('organizations')
    op.drop_table('lead_types')
