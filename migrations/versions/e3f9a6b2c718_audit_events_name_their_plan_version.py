"""audit_events.version_number: the plan version an event changed, so four eyes can ask who changed it

Revision ID: e3f9a6b2c718
Revises: d5e1b7c9a024
Create Date: 2026-12-01 21:30:00

Plan saves recorded before this revision said their version only in the summary
("Saved plan version 3"): it is read from there, so earlier edits count too.
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3f9a6b2c718'
down_revision = 'd5e1b7c9a024'
branch_labels = None
depends_on = None

SAVED = re.compile(r"^Saved plan version (\d+)$")


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_number', sa.Integer(), nullable=True))
    connection = op.get_bind()
    events = sa.table('audit_events', sa.column('id', sa.Integer),
                      sa.column('summary', sa.Text), sa.column('action', sa.String),
                      sa.column('version_number', sa.Integer))
    rows = connection.execute(sa.select(events.c.id, events.c.summary)
                              .where(events.c.action == 'plan.saved')).all()
    for event_id, summary in rows:
        match = SAVED.match(summary or '')
        if match:
            connection.execute(events.update().where(events.c.id == event_id)
                               .values(version_number=int(match[1])))


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('version_number')
