"""Themes: background tagging jobs (progress any worker can read) and trained classifiers.

Revision ID: 0003_themes
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_themes'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme_classifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('train_count', sa.Integer(), nullable=False),
    sa.Column('heldout_count', sa.Integer(), nullable=False),
    sa.Column('epochs', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('trained_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['trained_by_id'], ['users.id'], name=op.f('fk_theme_classifiers_trained_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_classifiers'))
    )
    op.create_table('tagging_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=True),
    sa.Column('force', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('tagged', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_tagging_jobs_started_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_tagging_jobs_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tagging_jobs'))
    )
    with op.batch_alter_table('tagging_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tagging_jobs_workshop_id'), ['workshop_id'], unique=False)



def downgrade():
    with op.batch_alter_table('tagging_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tagging_jobs_workshop_id'))

    op.drop_table('tagging_jobs')
    op.drop_table('theme_classifiers')
