"""Campaign slots: designated APK locations, contestants, the draw and its designs (DESIGN §3).

A facilitated_campaign request names its election (request.election_id). At most one draw of
a request stands at a time: a partial unique index on the draws not annulled.

Revision ID: d4e5f6a7b8c9
Revises: d1e2f3a4b5c6
Create Date: 2026-12-01 22:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd4e5f6a7b8c9'
down_revision = 'd1e2f3a4b5c6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contestant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('liaison', sa.String(length=200), nullable=True),
    sa.Column('liaison_contact', sa.String(length=200), nullable=True),
    sa.CheckConstraint('number >= 1', name=op.f('ck_contestant_positive_number')),
    sa.ForeignKeyConstraint(['election_id'], ['election.id'], name=op.f('fk_contestant_election_id_election')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contestant')),
    sa.UniqueConstraint('election_id', 'number', name='uq_contestant_number')
    )
    with op.batch_alter_table('contestant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contestant_election_id'), ['election_id'], unique=False)

    op.create_table('campaign_location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('basis_number', sa.String(length=100), nullable=True),
    sa.Column('basis_date', sa.Date(), nullable=True),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.Column('designated_by_id', sa.Integer(), nullable=True),
    sa.Column('designated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('tier BETWEEN 1 AND 9', name=op.f('ck_campaign_location_tier_range')),
    sa.ForeignKeyConstraint(['designated_by_id'], ['user.id'], name=op.f('fk_campaign_location_designated_by_id_user')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_campaign_location_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_location')),
    sa.UniqueConstraint('site_id', name=op.f('uq_campaign_location_site_id'))
    )
    op.create_table('draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=200), nullable=False),
    sa.Column('witnesses', sa.JSON(), nullable=False),
    sa.Column('items_sha256', sa.String(length=64), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('annulled_by_id', sa.Integer(), nullable=True),
    sa.Column('annulled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('annul_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['annulled_by_id'], ['user.id'], name=op.f('fk_draw_annulled_by_id_user')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user.id'], name=op.f('fk_draw_drawn_by_id_user')),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_draw_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw'))
    )
    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draw_request_id'), ['request_id'], unique=False)
        batch_op.create_index('uq_draw_standing', ['request_id'], unique=True, sqlite_where=sa.text('annulled_at IS NULL'), postgresql_where=sa.text('annulled_at IS NULL'))

    op.create_table('allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('contestant_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_allocation_booking_id_booking')),
    sa.ForeignKeyConstraint(['contestant_id'], ['contestant.id'], name=op.f('fk_allocation_contestant_id_contestant')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_allocation_draw_id_draw')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation')),
    sa.UniqueConstraint('draw_id', 'booking_id', name='uq_allocation_booking')
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_draw_id'), ['draw_id'], unique=False)

    op.create_table('design',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('contestant_id', sa.Integer(), nullable=False),
    sa.Column('file', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=200), nullable=True),
    sa.Column('approval_witnesses', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contestant_id'], ['contestant.id'], name=op.f('fk_design_contestant_id_contestant')),
    sa.ForeignKeyConstraint(['draw_id'], ['draw.id'], name=op.f('fk_design_draw_id_draw')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_design_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_design_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_design'))
    )
    with op.batch_alter_table('design', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_design_draw_id'), ['draw_id'], unique=False)

    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('election_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_request_election_id_election'), 'election', ['election_id'], ['id'])



def downgrade():
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_request_election_id_election'), type_='foreignkey')
        batch_op.drop_column('election_id')

    with op.batch_alter_table('design', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_design_draw_id'))

    op.drop_table('design')
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_draw_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_booking_id'))

    op.drop_table('allocation')
    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.drop_index('uq_draw_standing', sqlite_where=sa.text('annulled_at IS NULL'), postgresql_where=sa.text('annulled_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_draw_request_id'))

    op.drop_table('draw')
    op.drop_table('campaign_location')
    with op.batch_alter_table('contestant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contestant_election_id'))

    op.drop_table('contestant')
