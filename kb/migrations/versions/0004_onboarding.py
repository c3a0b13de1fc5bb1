"""onboarding paths, progress, check attempts, article content version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 08:02:15.861256
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('learning_path',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source_path', sa.String(length=400), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_path'))
    )
    with op.batch_alter_table('learning_path', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_path_status'), ['status'], unique=False)

    op.create_table('check_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.String(length=100), nullable=False),
    sa.Column('step_key', sa.String(length=250), nullable=False),
    sa.Column('question', sa.Integer(), nullable=False),
    sa.Column('question_text', sa.Text(), nullable=False),
    sa.Column('chosen', sa.JSON(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_check_attempt_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_attempt'))
    )
    with op.batch_alter_table('check_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_attempt_path_id'), ['path_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_attempt_user_id'), ['user_id'], unique=False)

    op.create_table('step_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.String(length=100), nullable=False),
    sa.Column('step_key', sa.String(length=250), nullable=False),
    sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('passed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content_version', sa.Integer(), nullable=True),
    sa.Column('practice_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_step_progress_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_progress')),
    sa.UniqueConstraint('user_id', 'path_id', 'step_key', name=op.f('uq_step_progress_user_id'))
    )
    with op.batch_alter_table('step_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_progress_path_id'), ['path_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_progress_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_version', sa.Integer(), server_default='1', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('content_version')

    with op.batch_alter_table('step_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_progress_user_id'))
        batch_op.drop_index(batch_op.f('ix_step_progress_path_id'))

    op.drop_table('step_progress')
    with op.batch_alter_table('check_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_attempt_user_id'))
        batch_op.drop_index(batch_op.f('ix_check_attempt_path_id'))

    op.drop_table('check_attempt')
    with op.batch_alter_table('learning_path', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_path_status'))

    op.drop_table('learning_path')
