"""Trust: audit entries carry their workshop and before/after values; datasets made from
post-its belong to their workshop until published; a session generation per user; an
address key on participant dots.

Revision ID: 0010
Revises: 0006_nextsteps
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0006_nextsteps'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('before', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('after', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_audit_log_workshop_id_workshops'), 'workshops', ['workshop_id'], ['id'],
            ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_audit_log_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_entity_type'), ['entity_type'], unique=False)

    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('published', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f('fk_datasets_workshop_id_workshops'), 'workshops', ['workshop_id'], ['id'],
            ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_datasets_workshop_id'), ['workshop_id'], unique=False)
    # Datasets already made from post-its go back to their workshop, unpublished.
    op.execute(
        "UPDATE datasets SET workshop_id = (SELECT statements.workshop_id FROM statements"
        " WHERE statements.id = datasets.source_statement_id), published = false"
        " WHERE source_statement_id IS NOT NULL"
    )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_votes_address_key'), ['address_key'], unique=False)


def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_address_key'))
        batch_op.drop_column('address_key')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')

    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_datasets_workshop_id'))
        batch_op.drop_constraint(batch_op.f('fk_datasets_workshop_id_workshops'), type_='foreignkey')
        batch_op.drop_column('published')
        batch_op.drop_column('workshop_id')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_type'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))
        batch_op.drop_index(batch_op.f('ix_audit_log_workshop_id'))
        batch_op.drop_constraint(batch_op.f('fk_audit_log_workshop_id_workshops'), type_='foreignkey')
        batch_op.drop_column('after')
        batch_op.drop_column('before')
        batch_op.drop_column('workshop_id')
