"""Tables only; the rules that connect them live in ``booking.py`` (DESIGN §3–§4)."""
from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    or_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime, TypeDecorator

from .extensions import db

# The largest amount of Rupiah accepted anywhere (a tariff, a fee): Rp 1 trillion. Computed sums
# (a long use of an expensive site) stay far inside the 64-bit columns that hold money.
MAX_RUPIAH = 10**12
# BIGINT on PostgreSQL; SQLite's INTEGER holds 64 bits already (and stays as first declared).
Rupiah = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on the way in and out, also on SQLite (which keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime refused; use timezone-aware UTC")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


# Free text kept in a Text column: the database sets no limit, the forms and the API this one.
TEXT_LENGTH = 2000


def max_length(column) -> int:
    """The longest text ``column`` (a model attribute) takes: its ``String(n)``, else
    ``TEXT_LENGTH``; forms and the API read their limits here, so none is larger than the
    column (PostgreSQL would refuse it with a 500) and none differs from the other."""
    return column.type.length or TEXT_LENGTH


def str_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Enums stored as their string values with a CHECK, portable across databases."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


class OrganizationKind(enum.StrEnum):
    GOVERNMENT = "government"
    PRIVATE = "private"
    BAKEUDA = "bakeuda"
    # A city office (OPD) is the city itself: its use is internal use, without a perjanjian.
    CITY_OFFICE = "city_office"


class Role(enum.StrEnum):
    AGENCY = "agency"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class SiteStatus(enum.StrEnum):
    ACTIVE = "active"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


class Category(enum.StrEnum):
    VOTER_EDUCATION = "voter_education"
    PUBLIC_SERVICE = "public_service"
    FACILITATED_CAMPAIGN = "facilitated_campaign"
    COMMERCIAL = "commercial"


class BookingStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


class BookingKind(enum.StrEnum):
    NON_COMMERCIAL = "non_commercial"
    COMMERCIAL = "commercial"
    MAINTENANCE = "maintenance"


class FileKind(enum.StrEnum):
    """What a kept file of a request is: the agency's letter and artwork, or a signed scan
    Bakeuda uploads back (DESIGN §6a)."""

    LETTER = "letter"
    ARTWORK = "artwork"
    SIGNED_LETTER = "signed_letter"
    SIGNED_AGREEMENT = "signed_agreement"
    SIGNED_BAST_HANDOVER = "signed_bast_handover"
    SIGNED_BAST_RETURN = "signed_bast_return"


class HandoverKind(enum.StrEnum):
    HANDOVER = "handover"
    RETURN = "return"


class Organization(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganizationKind] = mapped_column(str_enum(OrganizationKind, "organization_kind"))
    email: Mapped[str | None] = mapped_column(String(254))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organization")

    def __repr__(self) -> str:
        return f"<Organization {self.name!r}>"


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login cookie's id: changing it (on a password change) logs out every session.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship(back_populates="users")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class Site(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    kelurahan: Mapped[str] = mapped_column(String(100))
    kecamatan: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    width_m: Mapped[float] = mapped_column(Float)
    height_m: Mapped[float] = mapped_column(Float)
    illuminated: Mapped[bool] = mapped_column(Boolean, default=False)
    asset_register_no: Mapped[str] = mapped_column(String(100))
    status: Mapped[SiteStatus] = mapped_column(
        str_enum(SiteStatus, "site_status"), default=SiteStatus.ACTIVE
    )
    description: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[str | None] = mapped_column(String(255))
    thumbnail_photo: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    faces: Mapped[list[Face]] = relationship(
        back_populates="site", order_by="Face.label", cascade="all, delete-orphan"
    )
    campaign_location: Mapped[CampaignLocation | None] = relationship(back_populates="site")

    __table_args__ = (
        CheckConstraint("width_m > 0 AND height_m > 0", name="positive_size"),
    )

    @hybrid_property
    def is_listed(self) -> bool:
        """Every site not retired: shown to the public, offered for use and counted as an
        asset in use (the one home of that rule, in Python and in SQL alike)."""
        return self.status != SiteStatus.RETIRED

    @property
    def faces_in_use(self) -> list[Face]:
        """The faces not retired: what the public sees and what may be booked."""
        return [face for face in self.faces if face.retired_on is None]

    def __repr__(self) -> str:
        return f"<Site {self.code}>"


class Tariff(db.Model):
    """A site's monthly rent from a day on, until the next tariff of the site (DESIGN §3)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    monthly_rate_idr: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("site_id", "valid_from", name="uq_tariff_site_valid_from"),
        CheckConstraint("monthly_rate_idr >= 0", name="non_negative_rate"),
    )


class Face(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    label: Mapped[str] = mapped_column(String(4))
    # A retired face keeps its bookings (the record) but takes no new ones and is not shown.
    retired_on: Mapped[date | None] = mapped_column(Date)

    site: Mapped[Site] = relationship(back_populates="faces")

    @property
    def code(self) -> str:
        """``PGK-01/A``: how pages, letters and mails name a face."""
        return f"{self.site.code}/{self.label}"

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    @classmethod
    def in_use_on(cls, day: date):
        """SQL: the face was not yet retired on ``day`` (a retirement holds from its date)."""
        return or_(cls.retired_on.is_(None), cls.retired_on > day)

    __table_args__ = (UniqueConstraint("site_id", "label", name="uq_face_site_label"),)

    def __repr__(self) -> str:
        return f"<Face {self.code}>"


class Request(db.Model):
    """One letter from one organisation with one purpose (permohonan)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    purpose: Mapped[str] = mapped_column(Text)
    category: Mapped[Category] = mapped_column(str_enum(Category, "category"))
    letter_number: Mapped[str] = mapped_column(String(100))
    letter_date: Mapped[date] = mapped_column(Date)
    letter_file: Mapped[str | None] = mapped_column(String(255))
    artwork_file: Mapped[str | None] = mapped_column(String(255))
    # The election whose campaign period a facilitated_campaign request is for.
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User] = relationship()
    election: Mapped[Election | None] = relationship()
    bookings: Mapped[list[Booking]] = relationship(
        back_populates="request", order_by="Booking.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="request", order_by="Decision.id")

    # An agency's requests, newest first, a page at a time.
    __table_args__ = (db.Index("ix_request_organization_created", "organization_id",
                               "created_at", "id"),)


# A use whose fee is not wholly paid: the condition of the partial index ``ix_booking_owing``.
OWING = "fee_idr > paid_idr"


class Booking(db.Model):
    """One face for one inclusive date range: a request item, a rental or a maintenance block."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    face_id: Mapped[int] = mapped_column(ForeignKey("face.id"))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    status: Mapped[BookingStatus] = mapped_column(
        str_enum(BookingStatus, "booking_status"), default=BookingStatus.SUBMITTED
    )
    kind: Mapped[BookingKind] = mapped_column(str_enum(BookingKind, "booking_kind"))
    # Commercial rentals: the outside party renting the face.
    tenant_name: Mapped[str | None] = mapped_column(String(200))
    agreement_number: Mapped[str | None] = mapped_column(String(100))
    approval_letter_number: Mapped[str | None] = mapped_column(String(100))
    approval_letter_date: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    fee_idr: Mapped[int] = mapped_column(Rupiah, default=0)
    # Why a rental's fee is not the tariff's value (None: the fee is the tariff's).
    fee_reason: Mapped[str | None] = mapped_column(Text)
    foregone_idr: Mapped[int] = mapped_column(Rupiah, default=0)
    # The decision that approved or rejected it (one letter answers several items).
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True)
    installed_photo: Mapped[str | None] = mapped_column(String(255))
    installed_on: Mapped[date | None] = mapped_column(Date)
    removed_photo: Mapped[str | None] = mapped_column(String(255))
    removed_on: Mapped[date | None] = mapped_column(Date)
    # Copies of what its handovers and payments record (neither is ever changed or deleted;
    # kept on every flush that adds one): the desk counts what is not back and what is owed
    # from an index of those alone, not by reading every use of ten years.
    returned_on: Mapped[date | None] = mapped_column(Date)  # the BAST pengembalian's date
    paid_idr: Mapped[int] = mapped_column(Rupiah, default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the row last changed (a decision, a withdrawal, a photo): for operators and sync.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    request: Mapped[Request | None] = relationship(back_populates="bookings")
    face: Mapped[Face] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    payments: Mapped[list[Payment]] = relationship(back_populates="booking",
                                                   order_by="Payment.paid_on")
    handovers: Mapped[list[Handover]] = relationship(back_populates="booking",
                                                     order_by="Handover.id")
    decision: Mapped[Decision | None] = relationship(back_populates="bookings")

    @property
    def is_pending(self) -> bool:
        """Waiting for Bakeuda's decision."""
        return self.status == BookingStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == BookingStatus.APPROVED

    @property
    def can_cancel(self) -> bool:
        """Bakeuda may still end it: submitted or approved (a pending one is rejected instead)."""
        return self.status in (BookingStatus.SUBMITTED, BookingStatus.APPROVED)

    __table_args__ = (
        CheckConstraint("start_on <= end_on", name="ordered_range"),
        CheckConstraint("fee_idr >= 0 AND foregone_idr >= 0", name="non_negative_money"),
        # No two approved rows overlap on a face: added by migration (PostgreSQL: an exclusion
        # constraint with btree_gist; SQLite: triggers), since models cannot declare either.

        # Every occupancy read is "status = …, overlapping [start, end]": a face's range (site
        # page, availability, clash checks, pending rivals) and all faces on one day (the map,
        # the queue). end_on >= start bounds the scan to what has not ended before the window.
        db.Index("ix_booking_face_status_end", "face_id", "status", "end_on"),
        db.Index("ix_booking_status_end", "status", "end_on"),
        # The desk's "approved this month": a range of decisions, not every approval ever.
        db.Index("ix_booking_status_decided", "status", "decided_at"),
        # The desk's overdue returns and unpaid rentals: the few uses still open, not history.
        db.Index("ix_booking_awaiting_return", "kind", "status", "returned_on", "end_on"),
        db.Index("ix_booking_owing", "kind", "status", "start_on",
                 sqlite_where=text(OWING), postgresql_where=text(OWING)),
    )


class Decision(db.Model):
    """Bakeuda's answer to a request (DESIGN §3): one letter, and when it approves pinjam pakai,
    one agreement. A refusal-only decision's letter is the reply letter (surat jawaban); internal
    use (a city office) and refusals carry no agreement. Numbers are unique in the register."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    agreement_number: Mapped[str | None] = mapped_column(String(100), unique=True)
    agreement_date: Mapped[date | None] = mapped_column(Date)
    approval_letter_number: Mapped[str | None] = mapped_column(String(100), unique=True)
    approval_letter_date: Mapped[date | None] = mapped_column(Date)

    request: Mapped[Request] = relationship(back_populates="decisions")
    decided_by: Mapped[User | None] = relationship()
    bookings: Mapped[list[Booking]] = relationship(back_populates="decision",
                                                   order_by="Booking.id")

    # A rejection is final, so every other item of a decision was approved by it, even one
    # cancelled or withdrawn since: the letter that was signed stays as it was.
    @property
    def approved(self) -> list[Booking]:
        return [b for b in self.bookings if b.status != BookingStatus.REJECTED]

    @property
    def refused(self) -> list[Booking]:
        return [b for b in self.bookings if b.status == BookingStatus.REJECTED]


class Payment(db.Model):
    """A payment of a rental's fee, as the receipt (kuitansi or bank slip) records it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    receipt_number: Mapped[str] = mapped_column(String(100), unique=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    booking: Mapped[Booking] = relationship(back_populates="payments")
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (CheckConstraint("amount_idr > 0", name="positive_amount"),)


class Handover(db.Model):
    """A berita acara (BAST) of an approved item: the face handed over to the borrower, or
    handed back at the end of the use (DESIGN §3, §6a). One of each kind per item."""

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    kind: Mapped[HandoverKind] = mapped_column(str_enum(HandoverKind, "handover_kind"))
    bast_number: Mapped[str] = mapped_column(String(100), unique=True)
    bast_date: Mapped[date] = mapped_column(Date)
    condition: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    booking: Mapped[Booking] = relationship(back_populates="handovers")
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("booking_id", "kind", name="uq_handover_booking_kind"),)


@event.listens_for(db.session, "before_flush")
def _copy_returns_and_payments(session, _context, _instances) -> None:
    """Each booking's copies of its return date and of the rent paid (``Booking.returned_on``,
    ``Booking.paid_idr``), kept for whatever adds a handover or a payment."""
    for row in session.new:
        if isinstance(row, Payment):
            _use_of(session, row).paid_idr += row.amount_idr
        elif isinstance(row, Handover) and row.kind == HandoverKind.RETURN:
            _use_of(session, row).returned_on = row.bast_date


def _use_of(session, row: Handover | Payment) -> Booking:
    # A row made with the booking's id alone has no booking object until it is flushed.
    return row.booking or session.get(Booking, row.booking_id)


class Election(db.Model):
    """An election on the calendar: its campaign period, masa tenang and polling day."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    campaign_start_on: Mapped[date] = mapped_column(Date)
    campaign_end_on: Mapped[date] = mapped_column(Date)
    quiet_start_on: Mapped[date] = mapped_column(Date)
    quiet_end_on: Mapped[date] = mapped_column(Date)
    polling_on: Mapped[date] = mapped_column(Date)

    contestants: Mapped[list[Contestant]] = relationship(
        back_populates="election", order_by="Contestant.number")


class Blackout(db.Model):
    """A period in which requests are refused: one site or all, optionally one category."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    category: Mapped[Category | None] = mapped_column(str_enum(Category, "category"))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id"))

    site: Mapped[Site | None] = relationship()
    election: Mapped[Election | None] = relationship()

    __table_args__ = (CheckConstraint("start_on <= end_on", name="ordered_range"),)


class AuditEvent(db.Model):
    """Append-only record of every change of state."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[int | None] = mapped_column(Integer)
    from_state: Mapped[str | None] = mapped_column(String(50))
    to_state: Mapped[str | None] = mapped_column(String(50))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship()

    __table_args__ = (db.Index("ix_audit_event_object", "object_type", "object_id"),)


class DataVersion(db.Model):
    """One row whose version changes in every transaction that changes what the public sees
    (``billboard.versioning``): the key under which every worker keeps public responses."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(32))


class OutboxEmail(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Setting(db.Model):
    """A value an administrator edits; what keys exist is declared in ``billboard.settings``."""

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReminderSent(db.Model):
    """A reminder that went out: each kind of reminder is sent once per booking."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"))
    due_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "booking_id", name="uq_reminder_sent_kind_booking"),)


# --- Campaign slots (DESIGN §3 "Campaign slots"): billboard/campaign owns their rules ---------

class CampaignLocation(db.Model):
    """A site designated for campaign props (APK) by the Wali Kota: every face, every election,
    until withdrawn. ``tier`` (1 = most visible) stratifies the draw."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), unique=True)
    basis: Mapped[str] = mapped_column(Text)
    basis_number: Mapped[str | None] = mapped_column(String(100))
    basis_date: Mapped[date | None] = mapped_column(Date)
    tier: Mapped[int | None] = mapped_column(Integer)
    designated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    designated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship(back_populates="campaign_location")

    __table_args__ = (CheckConstraint("tier BETWEEN 1 AND 9", name="tier_range"),)


class Contestant(db.Model):
    """A contestant (paslon or party) of an election, with its liaison officer (LO).

    The LO's contact is for KPU and Bakeuda only, never shown to the public.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    liaison: Mapped[str | None] = mapped_column(String(200))
    liaison_contact: Mapped[str | None] = mapped_column(String(200))

    election: Mapped[Election] = relationship(back_populates="contestants")

    __table_args__ = (
        UniqueConstraint("election_id", "number", name="uq_contestant_number"),
        CheckConstraint("number >= 1", name="positive_number"),
    )


class Draw(db.Model):
    """The witnessed draw (undian) sharing a request's approved faces among the contestants.

    At most one draw of a request stands at a time (a partial unique index): a new one needs
    the standing one annulled with a reason.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    seed: Mapped[str] = mapped_column(String(200))
    witnesses: Mapped[list] = mapped_column(JSON)
    items_sha256: Mapped[str] = mapped_column(String(64))
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    annulled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    annulled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    annul_reason: Mapped[str | None] = mapped_column(Text)

    request: Mapped[Request] = relationship()
    drawn_by: Mapped[User] = relationship(foreign_keys=[drawn_by_id])
    annulled_by: Mapped[User | None] = relationship(foreign_keys=[annulled_by_id])
    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="draw", order_by="Allocation.position")
    designs: Mapped[list[Design]] = relationship(back_populates="draw", order_by="Design.id")

    __table_args__ = (
        db.Index("uq_draw_standing", "request_id", unique=True,
                 sqlite_where=db.text("annulled_at IS NULL"),
                 postgresql_where=db.text("annulled_at IS NULL")),
    )


class Allocation(db.Model):
    """One face of a draw: the contestant it went to, or none (KPU's own voter education)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), index=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    contestant_id: Mapped[int | None] = mapped_column(ForeignKey("contestant.id"))
    # The item's place in the draw's ordering and its site's tier then, as the minutes list them.
    position: Mapped[int] = mapped_column(Integer)
    tier: Mapped[int | None] = mapped_column(Integer)

    draw: Mapped[Draw] = relationship(back_populates="allocations")
    booking: Mapped[Booking] = relationship()
    contestant: Mapped[Contestant | None] = relationship()

    __table_args__ = (UniqueConstraint("draw_id", "booking_id", name="uq_allocation_booking"),)


class Design(db.Model):
    """One uploaded version of a contestant's design for its drawn faces; frozen once approved."""

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), index=True)
    contestant_id: Mapped[int] = mapped_column(ForeignKey("contestant.id"))
    file: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approval_witnesses: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    draw: Mapped[Draw] = relationship(back_populates="designs")
    contestant: Mapped[Contestant] = relationship()


class FileVersion(db.Model):
    """One uploaded version of a request's file, kept for good: never overwritten or deleted
    (``billboard.booking.files`` refuses both), so that what a decision saw stays on record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    # The item a signed BAST belongs to; None for the request's own files.
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"))
    kind: Mapped[FileKind] = mapped_column(str_enum(FileKind, "file_kind"))
    # None only for a file named before versions existed whose content was already gone.
    sha256: Mapped[str | None] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(255), unique=True)
    original_filename: Mapped[str | None] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[Request] = relationship()
    booking: Mapped[Booking | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
