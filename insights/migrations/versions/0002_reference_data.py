"""Reference data every database gets: the London boroughs and the starter themes.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from insights.reference import seed_reference_data

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    seed_reference_data(op.get_bind())


def downgrade():
    op.execute("DELETE FROM themes")
    op.execute("DELETE FROM boroughs")
