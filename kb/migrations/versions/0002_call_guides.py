"""call guides, runs and run events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 07:29:13.964094
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('call_guide',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=400), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source_path', sa.String(length=400), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_guide'))
    )
    with op.batch_alter_table('call_guide', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_guide_status'), ['status'], unique=False)

    op.create_table('guide_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guide_id', sa.String(length=100), nullable=False),
    sa.Column('practice', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['guide_id'], ['call_guide.id'], name=op.f('fk_guide_run_guide_id_call_guide')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guide_run'))
    )
    with op.batch_alter_table('guide_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guide_run_guide_id'), ['guide_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guide_run_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_guide_run_user_id'), ['user_id'], unique=False)

    op.create_table('guide_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('guide_id', sa.String(length=100), nullable=False),
    sa.Column('node_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['guide_run.id'], name=op.f('fk_guide_event_run_id_guide_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guide_event'))
    )
    with op.batch_alter_table('guide_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guide_event_guide_id'), ['guide_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guide_event_run_id'), ['run_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('guide_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guide_event_run_id'))
        batch_op.drop_index(batch_op.f('ix_guide_event_guide_id'))

    op.drop_table('guide_event')
    with op.batch_alter_table('guide_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guide_run_user_id'))
        batch_op.drop_index(batch_op.f('ix_guide_run_status'))
        batch_op.drop_index(batch_op.f('ix_guide_run_guide_id'))

    op.drop_table('guide_run')
    with op.batch_alter_table('call_guide', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_guide_status'))

    op.drop_table('call_guide')
