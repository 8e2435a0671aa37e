"""The board's order: an index on (workshop, created_at, id), so a page of a workshop's newest
post-its is read without sorting them all (issue 14: a board of 51,000 post-its).

Revision ID: 0017
Revises: 0011
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_statements_workshop_id_created_at_id",
            ["workshop_id", "created_at", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index("ix_statements_workshop_id_created_at_id")
