"""The usage report of a period (DESIGN §3, §5): per face and site the days by kind and the free
days, per organisation the use and the value foregone, and the rental fees billed and paid.

Each use counts with the days it has inside the period; its stored value (foregone at approval,
the fee when recorded) is prorated to those days and rounded half up, once per use. Every total
is the sum of its rows, so the page, the CSV, the XLSX and the JSON agree to the Rupiah.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from ..domain_errors import DomainError
from ..extensions import db
from ..models import (
    Booking,
    BookingKind,
    BookingStatus,
    Face,
    OrganizationKind,
    Request,
    Site,
)
from .payments import PaymentState, payment_state
from .value import days_in, days_inside, prorated

# The city's own use: Bakeuda's, and city offices' (OPD) once that kind exists (DESIGN §3,
# "Who borrows"); reported apart from pinjam pakai to other government bodies.
INTERNAL_KINDS = frozenset(kind for kind in OrganizationKind
                           if kind.value in ("bakeuda", "city_office"))
# The longest period one report covers: ten years of days is still a quick query.
MAX_REPORT_DAYS = 3660

FACE_KEYS = ("site", "face", "days", "non_commercial_days", "commercial_days",
             "maintenance_days", "free_days", "foregone_idr", "fee_idr")
ORGANIZATION_KEYS = ("organization", "items", "days", "foregone_idr")


@dataclass
class FaceRow:
    """One face's period; the four kinds of days add up to ``days``."""

    site: str
    face: str
    days: int
    non_commercial_days: int = 0
    commercial_days: int = 0
    maintenance_days: int = 0
    foregone_idr: int = 0
    fee_idr: int = 0

    @property
    def free_days(self) -> int:
        return self.days - self.non_commercial_days - self.commercial_days - \
            self.maintenance_days

    @property
    def used_days(self) -> int:
        return self.days - self.free_days

    @property
    def share_used(self) -> float:
        """The share of the period's days the face was occupied, 0 to 1."""
        return self.used_days / self.days if self.days else 0.0

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in FACE_KEYS}

    def add(self, other: FaceRow) -> None:
        self.days += other.days
        self.non_commercial_days += other.non_commercial_days
        self.commercial_days += other.commercial_days
        self.maintenance_days += other.maintenance_days
        self.foregone_idr += other.foregone_idr
        self.fee_idr += other.fee_idr


@dataclass
class OrganizationRow:
    organization: str
    internal: bool
    items: int = 0
    days: int = 0
    foregone_idr: int = 0

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in ORGANIZATION_KEYS}


@dataclass
class RentalRow:
    """One rental overlapping the period: its fee prorated to the period, and what was paid
    (all of it, and inside the period)."""

    booking_id: int
    site: str
    face: str
    tenant: str
    start: date
    end: date
    days: int
    fee_idr: int  # the whole fee of the rental
    billed_idr: int  # the part of the fee for the days inside the period
    paid_idr: int  # everything paid for it so far
    paid_in_period_idr: int  # paid on a day inside the period
    started_unpaid: bool


@dataclass
class UsageReport:
    start: date
    end: date
    faces: list[FaceRow]
    sites: list[FaceRow]
    organizations: list[OrganizationRow]
    rentals: list[RentalRow] = field(default_factory=list)

    @property
    def days(self) -> int:
        return days_in(self.start, self.end)

    @property
    def totals(self) -> FaceRow:
        total = FaceRow("", "", 0)
        for row in self.faces:
            total.add(row)
        return total

    @property
    def lent(self) -> list[OrganizationRow]:
        """Pinjam pakai to other government bodies."""
        return [row for row in self.organizations if not row.internal]

    @property
    def internal(self) -> list[OrganizationRow]:
        """The city's own use (internal use), shown apart."""
        return [row for row in self.organizations if row.internal]

    def as_json(self) -> dict:
        """The body of ``GET /api/v1/reports/usage`` (DESIGN §5)."""
        totals = self.totals.as_dict()
        del totals["site"], totals["face"]
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "faces": [row.as_dict() for row in self.faces],
                "organizations": [row.as_dict() for row in self.organizations],
                "totals": totals}


def _faces(start: date) -> list[Face]:
    """Every face of every site in the register (retired sites are no longer assets in use),
    but for faces retired before the period: a face counts if it was in use on its first day."""
    return list(db.session.scalars(
        db.select(Face).join(Site).options(joinedload(Face.site))
        .where(Site.is_listed, Face.in_use_on(start)).order_by(Site.code, Face.label)))


def _uses(start: date, end: date, face_ids: Iterable[int]) -> list[Booking]:
    """Approved occupancy overlapping the period, with its request's organisation and, for
    rentals, the payments."""
    return list(db.session.scalars(
        db.select(Booking)
        .where(Booking.status == BookingStatus.APPROVED, Booking.face_id.in_(list(face_ids)),
               Booking.start_on <= end, Booking.end_on >= start)
        .options(joinedload(Booking.request).joinedload(Request.organization),
                 selectinload(Booking.payments))
        .order_by(Booking.start_on, Booking.id)))


class ReportError(DomainError):
    """A period that cannot be reported (code ``invalid``)."""


def check_period(start: date, end: date) -> None:
    if start > end:
        raise ReportError(_("The end of the period is before its start."))
    if days_in(start, end) > MAX_REPORT_DAYS:
        raise ReportError(_("A report covers at most %(n)s days.", n=MAX_REPORT_DAYS))


def usage_report(start: date, end: date, today: date) -> UsageReport:
    """The usage report of the inclusive period ``[start, end]``."""
    check_period(start, end)
    faces = _faces(start)
    rows = {face.id: FaceRow(face.site.code, face.label, days_in(start, end)) for face in faces}
    by_face = {face.id: face for face in faces}
    organizations: dict[int, OrganizationRow] = {}
    rentals: list[RentalRow] = []
    for use in _uses(start, end, rows):
        row, inside = rows[use.face_id], days_inside(use.start_on, use.end_on, start, end)
        if use.kind == BookingKind.NON_COMMERCIAL:
            foregone = prorated(use.foregone_idr, use.start_on, use.end_on, start, end)
            row.non_commercial_days += inside
            row.foregone_idr += foregone
            organization = use.request.organization
            entry = organizations.setdefault(organization.id, OrganizationRow(
                organization.name, organization.kind in INTERNAL_KINDS))
            entry.items += 1
            entry.days += inside
            entry.foregone_idr += foregone
        elif use.kind == BookingKind.COMMERCIAL:
            billed = prorated(use.fee_idr, use.start_on, use.end_on, start, end)
            row.commercial_days += inside
            row.fee_idr += billed
            rentals.append(_rental_row(use, by_face[use.face_id], inside, billed, start, end,
                                       today))
        else:
            row.maintenance_days += inside
    face_rows = list(rows.values())
    return UsageReport(start, end, face_rows, _by_site(face_rows),
                       sorted(organizations.values(), key=lambda o: o.organization.lower()),
                       rentals)


def _rental_row(use: Booking, face: Face, inside: int, billed: int, start: date, end: date,
                today: date) -> RentalRow:
    return RentalRow(
        use.id, face.site.code, face.label, use.tenant_name or "", use.start_on, use.end_on,
        inside, use.fee_idr, billed, use.paid_idr,
        sum(p.amount_idr for p in use.payments if start <= p.paid_on <= end),
        use.start_on <= today and payment_state(use.fee_idr, use.paid_idr) != PaymentState.PAID)


def _by_site(faces: list[FaceRow]) -> list[FaceRow]:
    """The face rows summed per site (``days`` are face-days)."""
    sites: dict[str, FaceRow] = {}
    for row in faces:
        sites.setdefault(row.site, FaceRow(row.site, "", 0)).add(row)
    return list(sites.values())
