"""Check constraints: every state and kind column holds only its enum's values.

Revision ID: 0007_state_checks
Revises: 0015
"""
from alembic import op


revision = '0007_state_checks'
down_revision = '0015'
branch_labels = None
depends_on = None

# The values as they stood at this revision (insights.core.enums holds today's).
CHECKS = {
    'users': {
        'role': ('admin', 'facilitator', 'lead', 'member'),
    },
    'workshops': {
        'status': ('draft', 'live', 'closed'),
    },
    'workshop_members': {
        'role': ('facilitator', 'member'),
    },
    'statements': {
        'kind': ('need', 'source', 'challenge', 'collected', 'idea', 'next-step'),
    },
    'need_details': {
        'status': ('proposed', 'valid', 'duplicate', 'not-valid'),
    },
    'statement_themes': {
        'source': ('rule', 'model', 'person'),
        'decision': ('suggested', 'accepted', 'rejected'),
    },
    'need_dataset_links': {
        'status': ('suggested', 'confirmed', 'rejected'),
    },
    'next_steps': {
        'status': ('proposed', 'agreed', 'in-progress', 'done', 'parked'),
    },
    'vote_rounds': {
        'status': ('open', 'closed'),
    },
    'roundups': {
        'status': ('draft', 'published'),
    },
}


def check_in(column, allowed):
    return column + ' IN (' + ', '.join(f"'{v}'" for v in allowed) + ')'


def upgrade():
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, allowed in columns.items():
                batch_op.create_check_constraint(column, check_in(column, allowed))


def downgrade():
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
