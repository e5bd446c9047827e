"""File versions: every uploaded letter, artwork and signed scan of a request, kept for good.

Revision ID: 4882fecd2ca0
Revises: c078c782e737
Create Date: 2026-12-02 05:18:21

Backfill: one version for each letter and artwork a request already names. Its SHA-256 is
computed from the file in the upload folder; a file already gone keeps its name with a NULL
SHA-256 (the row still says which file the request named, and ``billboard check`` reports it
missing) rather than failing the upgrade. Who attached it and when come from its audit event
("request.letter_file", detail = the stored name) when there is one, else from the request.
"""
import hashlib
import os

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "4882fecd2ca0"
down_revision = "c078c782e737"
branch_labels = None
depends_on = None

KINDS = ("letter", "artwork", "signed_letter", "signed_agreement", "signed_bast_handover",
         "signed_bast_return")


def _sha256(folder, name):
    path = os.path.join(folder, name) if folder else None
    if not path or not os.path.isfile(path):
        return None
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def upgrade():
    op.create_table(
        "file_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.Enum(*KINDS, name="file_kind", native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("stored_name", sa.String(length=255), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"],
                                name=op.f("fk_file_version_request_id_request")),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"],
                                name=op.f("fk_file_version_booking_id_booking")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user.id"],
                                name=op.f("fk_file_version_uploaded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_version")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_file_version_stored_name")),
    )
    op.create_index(op.f("ix_file_version_request_id"), "file_version", ["request_id"])

    bind = op.get_bind()
    folder = current_app.config.get("UPLOAD_FOLDER")
    requests = bind.execute(sa.text(
        "SELECT id, created_by_id, created_at, letter_file, artwork_file FROM request"
        " WHERE letter_file IS NOT NULL OR artwork_file IS NOT NULL ORDER BY id")).all()
    rows = []
    for request_id, created_by, created_at, letter, artwork in requests:
        for kind, name in (("letter", letter), ("artwork", artwork)):
            if not name:
                continue
            attached = bind.execute(sa.text(
                "SELECT actor_id, at FROM audit_event WHERE object_type = 'request'"
                " AND object_id = :id AND action = :action AND detail = :name"
                " ORDER BY at DESC LIMIT 1"),
                {"id": request_id, "action": f"request.{kind}_file", "name": name}).first()
            by, at = attached if attached else (created_by, created_at)
            rows.append({"request_id": request_id, "kind": kind, "stored_name": name,
                         "sha256": _sha256(folder, name), "uploaded_by_id": by,
                         "uploaded_at": at})
    if rows:
        # Plain SQL: the times pass through as each database returned them (text on SQLite).
        bind.execute(sa.text(
            "INSERT INTO file_version (request_id, kind, stored_name, sha256, uploaded_by_id,"
            " uploaded_at) VALUES (:request_id, :kind, :stored_name, :sha256, :uploaded_by_id,"
            " :uploaded_at)"), rows)


def downgrade():
    op.drop_index(op.f("ix_file_version_request_id"), table_name="file_version")
    op.drop_table("file_version")
