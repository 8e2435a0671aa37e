"""Participants' +1s on post-its (one per device), and whether participants see the cards.

Revision ID: 0011
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plus_ones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('device_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_plus_ones_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plus_ones')),
    sa.UniqueConstraint('statement_id', 'device_hash', name=op.f('uq_plus_ones_statement_id_device_hash'))
    )
    with op.batch_alter_table('plus_ones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plus_ones_statement_id'), ['statement_id'], unique=False)
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participants_see_cards', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('participants_see_cards')
    with op.batch_alter_table('plus_ones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plus_ones_statement_id'))
    op.drop_table('plus_ones')
