"""Pairwise choices between two next steps, which feed the ranking's Pairwise factor.

Revision ID: 0013
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pairwise_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('winner_id', sa.Integer(), nullable=False),
    sa.Column('loser_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=80), nullable=False),
    sa.Column('voter_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('winner_id <> loser_id', name=op.f('ck_pairwise_choices_two_different_steps')),
    sa.ForeignKeyConstraint(['loser_id'], ['next_steps.id'], name=op.f('fk_pairwise_choices_loser_id_next_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_user_id'], ['users.id'], name=op.f('fk_pairwise_choices_voter_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['winner_id'], ['next_steps.id'], name=op.f('fk_pairwise_choices_winner_id_next_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_pairwise_choices_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairwise_choices'))
    )
    with op.batch_alter_table('pairwise_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairwise_choices_loser_id'), ['loser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_choices_winner_id'), ['winner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_choices_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pairwise_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairwise_choices_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_pairwise_choices_winner_id'))
        batch_op.drop_index(batch_op.f('ix_pairwise_choices_loser_id'))

    op.drop_table('pairwise_choices')
