"""Real files in: dataset identity at its source, distributions, DOIs and coverage, harvest
sources; post-its keep votes, board group, colour and notes from exports.

Revision ID: 0014
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('harvest_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('tag', sa.String(length=200), nullable=False),
    sa.Column('every_hours', sa.Integer(), nullable=True),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_report', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_harvest_sources_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_harvest_sources'))
    )
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identifier', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_portal', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('doi', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('temporal_coverage', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('formats', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('distributions', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('translations', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('harvest_source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_datasets_harvest_source_id_harvest_sources'), 'harvest_sources', ['harvest_source_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_datasets_harvest_source_id'), ['harvest_source_id'], unique=False)
        batch_op.create_index('ix_datasets_source_identity', ['source_portal', 'identifier'], unique=False)
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('votes', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('board_group', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('colour', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('notes', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_column('notes')
        batch_op.drop_column('colour')
        batch_op.drop_column('board_group')
        batch_op.drop_column('votes')
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.drop_index('ix_datasets_source_identity')
        batch_op.drop_index(batch_op.f('ix_datasets_harvest_source_id'))
        batch_op.drop_constraint(batch_op.f('fk_datasets_harvest_source_id_harvest_sources'), type_='foreignkey')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('harvest_source_id')
        batch_op.drop_column('translations')
        batch_op.drop_column('distributions')
        batch_op.drop_column('formats')
        batch_op.drop_column('temporal_coverage')
        batch_op.drop_column('doi')
        batch_op.drop_column('source_portal')
        batch_op.drop_column('identifier')
    op.drop_table('harvest_sources')
