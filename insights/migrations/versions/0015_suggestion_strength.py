"""Suggested links carry a calibrated strength: strong, possible or weak.

Revision ID: 0015
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('need_dataset_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('strength', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('need_dataset_links', schema=None) as batch_op:
        batch_op.drop_column('strength')
