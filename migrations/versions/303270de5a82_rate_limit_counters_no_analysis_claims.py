"""Rate-limit counters in the database (shared by every worker and host); the analysis
claims go (a queue job computes each refresh once).

Revision ID: 303270de5a82
Revises: 31a0a4f263a0
Create Date: 2026-12-01 03:35:24.102946

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '303270de5a82'
down_revision = '31a0a4f263a0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limit_counter',
    sa.Column('key', sa.String(length=512), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counter'))
    )
    with op.batch_alter_table('rate_limit_counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_counter_expires_at'), ['expires_at'], unique=False)

    op.drop_table('analysis_claim')


def downgrade():
    op.create_table('analysis_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chapter_id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('params', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['chapter_id'], ['chapter.id'], name=op.f('fk_analysis_claim_chapter_id_chapter'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analysis_claim')),
    sa.UniqueConstraint('chapter_id', 'data_version', 'params', 'subject', name=op.f('uq_analysis_claim_chapter_id_data_version_params_subject'))
    )
    with op.batch_alter_table('rate_limit_counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_counter_expires_at'))

    op.drop_table('rate_limit_counter')
