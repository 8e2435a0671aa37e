"""Next steps: where each step came from, and each workshop's ranking weights.

Revision ID: 0006_nextsteps
Revises: 0003_themes
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_nextsteps'
down_revision = '0003_themes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('priority_weights',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_priority_weights_updated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_priority_weights_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', name=op.f('pk_priority_weights'))
    )
    with op.batch_alter_table('next_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=12), server_default='scratch', nullable=False))



def downgrade():
    with op.batch_alter_table('next_steps', schema=None) as batch_op:
        batch_op.drop_column('origin')

    op.drop_table('priority_weights')
