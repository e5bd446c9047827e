"""initial schema

Revision ID: 72222451b9d3
Revises: 
Create Date: 2026-11-28 06:19:52.860020

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '72222451b9d3'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('election',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('campaign_start_on', sa.Date(), nullable=False),
    sa.Column('campaign_end_on', sa.Date(), nullable=False),
    sa.Column('quiet_start_on', sa.Date(), nullable=False),
    sa.Column('quiet_end_on', sa.Date(), nullable=False),
    sa.Column('polling_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_election')),
    sa.UniqueConstraint('name', name=op.f('uq_election_name'))
    )
    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('government', 'private', 'bakeuda', name='organization_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('name', name=op.f('uq_organization_name'))
    )
    op.create_table('outbox_email',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_email'))
    )
    op.create_table('site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('kelurahan', sa.String(length=100), nullable=False),
    sa.Column('kecamatan', sa.String(length=100), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('width_m', sa.Float(), nullable=False),
    sa.Column('height_m', sa.Float(), nullable=False),
    sa.Column('illuminated', sa.Boolean(), nullable=False),
    sa.Column('asset_register_no', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('active', 'maintenance', 'retired', name='site_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('monthly_rate_idr', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('photo', sa.String(length=255), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('monthly_rate_idr >= 0', name=op.f('ck_site_non_negative_rate')),
    sa.CheckConstraint('width_m > 0 AND height_m > 0', name=op.f('ck_site_positive_size')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site')),
    sa.UniqueConstraint('code', name=op.f('uq_site_code'))
    )
    op.create_table('blackout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('voter_education', 'public_service', 'facilitated_campaign', 'commercial', name='category', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('start_on <= end_on', name=op.f('ck_blackout_ordered_range')),
    sa.ForeignKeyConstraint(['election_id'], ['election.id'], name=op.f('fk_blackout_election_id_election')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_blackout_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blackout'))
    )
    op.create_table('face',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=4), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_face_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_face')),
    sa.UniqueConstraint('site_id', 'label', name='uq_face_site_label')
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('agency', 'reviewer', 'admin', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_user_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_api_token_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('object_type', sa.String(length=50), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('from_state', sa.String(length=50), nullable=True),
    sa.Column('to_state', sa.String(length=50), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_object', ['object_type', 'object_id'], unique=False)

    op.create_table('request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('category', sa.Enum('voter_education', 'public_service', 'facilitated_campaign', 'commercial', name='category', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('letter_number', sa.String(length=100), nullable=False),
    sa.Column('letter_date', sa.Date(), nullable=False),
    sa.Column('letter_file', sa.String(length=255), nullable=True),
    sa.Column('artwork_file', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_request_created_by_id_user')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_request_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request')),
    sa.UniqueConstraint('reference', name=op.f('uq_request_reference'))
    )
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_organization_id'), ['organization_id'], unique=False)

    op.create_table('booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('face_id', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'approved', 'rejected', 'withdrawn', 'cancelled', name='booking_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('kind', sa.Enum('non_commercial', 'commercial', 'maintenance', name='booking_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('tenant_name', sa.String(length=200), nullable=True),
    sa.Column('agreement_number', sa.String(length=100), nullable=True),
    sa.Column('approval_letter_number', sa.String(length=100), nullable=True),
    sa.Column('approval_letter_date', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('fee_idr', sa.Integer(), nullable=False),
    sa.Column('foregone_idr', sa.Integer(), nullable=False),
    sa.Column('installed_photo', sa.String(length=255), nullable=True),
    sa.Column('installed_on', sa.Date(), nullable=True),
    sa.Column('removed_photo', sa.String(length=255), nullable=True),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('fee_idr >= 0 AND foregone_idr >= 0', name=op.f('ck_booking_non_negative_money')),
    sa.CheckConstraint('start_on <= end_on', name=op.f('ck_booking_ordered_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_booking_created_by_id_user')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_booking_decided_by_id_user')),
    sa.ForeignKeyConstraint(['face_id'], ['face.id'], name=op.f('fk_booking_face_id_face')),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_booking_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking'))
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_face_id'), ['face_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_request_id'), ['request_id'], unique=False)


    if op.get_bind().dialect.name == "postgresql":
        # A face carries at most one occupancy per day (DESIGN §3), refused by the database.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE booking ADD CONSTRAINT booking_no_overlapping_occupancy "
            "EXCLUDE USING gist (face_id WITH =, daterange(start_on, end_on, '[]') WITH &&) "
            "WHERE (status = 'approved')"
        )

def downgrade():
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_request_id'))
        batch_op.drop_index(batch_op.f('ix_booking_face_id'))

    op.drop_table('booking')
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_organization_id'))

    op.drop_table('request')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_object')

    op.drop_table('audit_event')
    op.drop_table('api_token')
    op.drop_table('user')
    op.drop_table('face')
    op.drop_table('blackout')
    op.drop_table('site')
    op.drop_table('outbox_email')
    op.drop_table('organization')
    op.drop_table('election')
