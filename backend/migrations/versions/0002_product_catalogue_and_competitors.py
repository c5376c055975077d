"""product catalogue and competitors

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 19:01:28.245737
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('product_bundle_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bundle_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['bundle_id'], ['products.id'], name=op.f('fk_product_bundle_items_bundle_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_bundle_items_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_bundle_items')),
    sa.UniqueConstraint('bundle_id', 'product_id', name=op.f('uq_product_bundle_items_bundle_id_product_id'))
    )
    with op.batch_alter_table('product_bundle_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_bundle_items_bundle_id'), ['bundle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_bundle_items_product_id'), ['product_id'], unique=False)

    op.create_table('product_price_tiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('min_quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_price_tiers_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_price_tiers')),
    sa.UniqueConstraint('product_id', 'min_quantity', name=op.f('uq_product_price_tiers_product_id_min_quantity'))
    )
    with op.batch_alter_table('product_price_tiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_price_tiers_product_id'), ['product_id'], unique=False)

    op.create_table('product_relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('related_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_relations_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['related_id'], ['products.id'], name=op.f('fk_product_relations_related_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_relations')),
    sa.UniqueConstraint('product_id', 'related_id', 'kind', name=op.f('uq_product_relations_product_id_related_id_kind'))
    )
    with op.batch_alter_table('product_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_relations_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_relations_related_id'), ['related_id'], unique=False)

    op.create_table('lead_competitors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('competitor', sa.String(length=200), nullable=False),
    sa.Column('product', sa.String(length=200), nullable=True),
    sa.Column('price', sa.BigInteger(), nullable=True),
    sa.Column('strengths', sa.Text(), nullable=True),
    sa.Column('weaknesses', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('won_the_deal', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_competitors_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_competitors'))
    )
    with op.batch_alter_table('lead_competitors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_competitors_competitor'), ['competitor'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_competitors_lead_id'), ['lead_id'], unique=False)

    with op.batch_alter_table('lead_products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_custom_price', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('term_months', sa.Integer(), nullable=True))

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('win_loss_factors', sa.JSON(), nullable=False, server_default='[]'))

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('features', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('term_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_bundle', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('bundle_pricing', sa.String(length=32), nullable=False, server_default='sum_of_parts'))
        batch_op.add_column(sa.Column('bundle_discount_percent', sa.BigInteger(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        # Accent- and case-insensitive search (SQLite registers the same function from Python on connect).
        op.execute(FOLD_FUNCTION)


# Folds the accents NFKD decomposition removes (the letters Python's unicodedata folds the same way).
FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION crm_fold(value text) RETURNS text AS $$
  SELECT lower(translate(value,
    'ÀÁÂÃÄÅàáâãäåÈÉÊËèéêëÌÍÎÏìíîïÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿÑñÇçŠšŽžČčĆćŁłŚśŹźŻżĘęĄąŃńŐőŰűØøĐđ',
    'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuYyyNnCcSsZzCcCcLlSsZzZzEeAaNnOoUuOoDd'))
$$ LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
"""



def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS crm_fold(text)")
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('bundle_discount_percent')
        batch_op.drop_column('bundle_pricing')
        batch_op.drop_column('is_bundle')
        batch_op.drop_column('term_months')
        batch_op.drop_column('features')

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('win_loss_factors')

    with op.batch_alter_table('lead_products', schema=None) as batch_op:
        batch_op.drop_column('term_months')
        batch_op.drop_column('is_custom_price')

    with op.batch_alter_table('lead_competitors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_competitors_lead_id'))
        batch_op.drop_index(batch_op.f('ix_lead_competitors_competitor'))

    op.drop_table('lead_competitors')
    with op.batch_alter_table('product_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_relations_related_id'))
        batch_op.drop_index(batch_op.f('ix_product_relations_product_id'))

    op.drop_table('product_relations')
    with op.batch_alter_table('product_price_tiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_price_tiers_product_id'))

    op.drop_table('product_price_tiers')
    with op.batch_alter_table('product_bundle_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_bundle_items_product_id'))
        batch_op.drop_index(batch_op.f('ix_product_bundle_items_bundle_id'))

    op.drop_table('product_bundle_items')
