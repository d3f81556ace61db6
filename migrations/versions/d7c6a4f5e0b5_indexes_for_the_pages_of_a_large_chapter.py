"""Indexes for the pages of a large chapter: the ally list by name and its region choices, the
dashboard's counts and newest allies, an issue's stances counted by kind (index-only reads at
10,000 allies).

Revision ID: d7c6a4f5e0b5
Revises: 303270de5a82
Create Date: 2026-12-01 05:45:43.328118

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd7c6a4f5e0b5'
down_revision = '303270de5a82'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ally', schema=None) as batch_op:
        batch_op.create_index('ix_ally_chapter_created', ['chapter_id', 'created_at'])
        batch_op.create_index('ix_ally_chapter_status_name', ['chapter_id', 'status', 'name'])
        batch_op.create_index('ix_ally_chapter_status_region', ['chapter_id', 'status', 'trash_id', 'region'])

    with op.batch_alter_table('relationship', schema=None) as batch_op:
        batch_op.create_index('ix_relationship_chapter_trash', ['chapter_id', 'trash_id'])

    with op.batch_alter_table('stance', schema=None) as batch_op:
        batch_op.create_index('ix_stance_chapter_issue_stance',
                              ['chapter_id', 'issue_id', 'stance', 'trash_id', 'ally_id'])
        batch_op.create_index('ix_stance_chapter_stance_ally', ['chapter_id', 'stance', 'trash_id', 'ally_id'])


def downgrade():
    with op.batch_alter_table('stance', schema=None) as batch_op:
        batch_op.drop_index('ix_stance_chapter_stance_ally')
        batch_op.drop_index('ix_stance_chapter_issue_stance')

    with op.batch_alter_table('relationship', schema=None) as batch_op:
        batch_op.drop_index('ix_relationship_chapter_trash')

    with op.batch_alter_table('ally', schema=None) as batch_op:
        batch_op.drop_index('ix_ally_chapter_status_region')
        batch_op.drop_index('ix_ally_chapter_status_name')
        batch_op.drop_index('ix_ally_chapter_created')
