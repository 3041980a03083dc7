"""Portfolio: counted-version and warning markers on plan versions, covering indexes, KPI targets

Revision ID: 9ce4c3f8e6da
Revises: 5ca4a3bc482f
Create Date: 2026-11-26 06:52:46.632631

Adds plan_versions.is_counted / flag_disproportionate / flag_below_requirement
(kept by app.portfolio.services.refresh_counted_version), fills them in for the
versions already stored, adds the two covering indexes the portfolio's
aggregates read, and the portfolio_targets table.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9ce4c3f8e6da'
down_revision = '5ca4a3bc482f'
branch_labels = None
depends_on = None

FLAG_CODES = {'disproportionate': 'flag_disproportionate',
              'below_client_requirement': 'flag_below_requirement'}


def upgrade():
    op.create_table('portfolio_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('financial_year', sa.Integer(), nullable=False),
    sa.Column('considered_percent', sa.Integer(), nullable=False),
    sa.Column('income_pence', sa.BigInteger(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_portfolio_targets_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_targets')),
    sa.UniqueConstraint('financial_year', name=op.f('uq_portfolio_targets_financial_year'))
    )
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.create_index('ix_bids_portfolio', ['deadline', 'archived_at', 'team_id', 'value_pence', 'outcome', 'client_requires_coproduction', 'created_at'], unique=False)

    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_counted', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('flag_disproportionate', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('flag_below_requirement', sa.Boolean(), server_default=sa.false(), nullable=False))

    _fill_markers()

    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.create_index('ix_plan_versions_counted', ['bid_id', 'is_counted', 'level', 'status', 'total_pence', 'flag_disproportionate', 'flag_below_requirement'], unique=False, sqlite_where=sa.text('is_counted = 1'), postgresql_where=sa.text('is_counted'))


def _fill_markers():
    """The same rules as refresh_counted_version, for the versions already stored."""
    versions = sa.table('plan_versions', sa.column('id', sa.Integer),
                        sa.column('bid_id', sa.Integer), sa.column('number', sa.Integer),
                        sa.column('status', sa.String), sa.column('estimate', sa.JSON),
                        sa.column('is_counted', sa.Boolean),
                        sa.column('flag_disproportionate', sa.Boolean),
                        sa.column('flag_below_requirement', sa.Boolean))
    connection = op.get_bind()
    best = {}
    flagged = []
    for row in connection.execute(sa.select(versions.c.id, versions.c.bid_id, versions.c.number,
                                            versions.c.status, versions.c.estimate)):
        key = (row.status == 'submitted', row.number)
        if row.bid_id not in best or key > best[row.bid_id][0]:
            best[row.bid_id] = (key, row.id)
        warnings = (row.estimate or {}).get('warnings') if isinstance(row.estimate, dict) else None
        codes = {item.get('code') for item in warnings or () if isinstance(item, dict)}
        flags = {column: code in codes for code, column in FLAG_CODES.items()}
        if any(flags.values()):
            flagged.append({'version_id': row.id, **flags})
    counted = [{'version_id': version_id} for _, version_id in best.values()]
    if counted:
        connection.execute(versions.update().where(versions.c.id == sa.bindparam('version_id'))
                           .values(is_counted=True), counted)
    if flagged:
        connection.execute(versions.update().where(versions.c.id == sa.bindparam('version_id'))
                           .values({column: sa.bindparam(column)
                                    for column in FLAG_CODES.values()}), flagged)


def downgrade():
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_versions_counted', sqlite_where=sa.text('is_counted = 1'), postgresql_where=sa.text('is_counted'))
        batch_op.drop_column('flag_below_requirement')
        batch_op.drop_column('flag_disproportionate')
        batch_op.drop_column('is_counted')

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_index('ix_bids_portfolio')

    op.drop_table('portfolio_targets')
