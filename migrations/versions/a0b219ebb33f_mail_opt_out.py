"""mail_opt_out: the e-mail notices each person has switched off (no row: wanted).

Revision ID: a0b219ebb33f
Revises: 7d4520c761a3
Create Date: 2026-12-01 03:30:38.815026

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0b219ebb33f'
down_revision = '7d4520c761a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_opt_out',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_mail_opt_out_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_opt_out')),
    sa.UniqueConstraint('user_id', 'category', name=op.f('uq_mail_opt_out_user_id_category'))
    )
    with op.batch_alter_table('mail_opt_out', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_opt_out_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('mail_opt_out', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_opt_out_user_id'))

    op.drop_table('mail_opt_out')
