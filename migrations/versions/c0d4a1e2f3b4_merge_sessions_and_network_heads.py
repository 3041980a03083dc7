"""Merge the two heads: sessions and tokens (a7c3e9d41b20) and the network register (27228da92103)

Revision ID: c0d4a1e2f3b4
Revises: a7c3e9d41b20, 27228da92103
Create Date: 2026-12-01 21:05:00
"""

# revision identifiers, used by Alembic.
revision = 'c0d4a1e2f3b4'
down_revision = ('a7c3e9d41b20', '27228da92103')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
