"""Indexes for pages rendered afresh: the trash_id indexes over the trashed rows only
(``WHERE trash_id IS NOT NULL``): every page asks for ``trash_id IS NULL``, which the full
index also matched, and SQLite (no statistics) chose it and read every row of the table; the
Trash and a purge still find rows by it. And the stances by chapter and last change, for the
dashboard's stances of the last days (it read all of them); the allies by kind, for the ally
list's count by kind from the index alone.

Revision ID: 6744ca41ada4
Revises: 22ba39952dd1
Create Date: 2026-12-01 08:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '6744ca41ada4'
down_revision = '22ba39952dd1'
branch_labels = None
depends_on = None

TABLES = ('ally', 'evidence_count', 'insurer', 'insurer_contact', 'issue', 'issue_event',
          'outreach_task', 'preparation_tick', 'relationship', 'stance', 'touchpoint')


def upgrade():
    where = sa.text('trash_id IS NOT NULL')
    for table in TABLES:
        op.drop_index(f'ix_{table}_trash_id', table_name=table)
        op.create_index(f'ix_{table}_trash_id', table, ['trash_id'], unique=False,
                        sqlite_where=where, postgresql_where=where)
    op.create_index('ix_stance_chapter_updated', 'stance', ['chapter_id', 'updated_at'], unique=False)
    op.create_index('ix_ally_chapter_status_kind', 'ally', ['chapter_id', 'status', 'trash_id', 'kind'],
                    unique=False)


def downgrade():
    op.drop_index('ix_ally_chapter_status_kind', table_name='ally')
    op.drop_index('ix_stance_chapter_updated', table_name='stance')
    for table in TABLES:
        op.drop_index(f'ix_{table}_trash_id', table_name=table)
        op.create_index(f'ix_{table}_trash_id', table, ['trash_id'], unique=False)
