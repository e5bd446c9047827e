"""Rupiah beyond 32 bits: an expensive site used for long, a large fee. Stored as BIGINT and
bounded at MAX_RUPIAH wherever an amount is typed."""
from datetime import timedelta

import pytest
from support import TODAY, approval

from billboard import booking
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.models import MAX_RUPIAH, Booking, BookingKind, Category, Face, Site, Tariff


def site(code: str) -> Site:
    return db.session.scalar(db.select(Site).filter_by(code=code))


@pytest.mark.db
@pytest.mark.parametrize("monthly_rate", [800_000_000, 25_000_000_000, MAX_RUPIAH])
def test_the_foregone_value_of_a_long_use_of_an_expensive_site_is_kept(kpu, reviewer,
                                                                        monthly_rate):
    for tariff in db.session.scalars(db.select(Tariff).filter_by(site=site("PGK-01"))):
        tariff.monthly_rate_idr = monthly_rate
    db.session.commit()
    start = TODAY + timedelta(days=10)
    end = start + timedelta(days=89)  # the longest use allowed (BOOKING_MAX_DAYS)
    found = booking.submit_request(
        kpu, purpose="Sosialisasi", category=Category.VOTER_EDUCATION, letter_number="1",
        letter_date=TODAY, items=[ItemInput("PGK-01", "A", start, end)])
    db.session.commit()
    booking.approve(found.bookings[0].id, reviewer, **approval())
    db.session.commit()
    db.session.expire_all()
    item = db.session.get(Booking, found.bookings[0].id)
    assert item.foregone_idr == 3 * monthly_rate  # 90 days at the rate / 30
    assert item.foregone_idr > 2**31



def occupancy(fee: str) -> dict:
    start = TODAY + timedelta(days=3)
    face = db.session.scalar(db.select(Face).join(Site).where(Site.code == "PGK-04"))
    return {"face": face.id, "kind": "commercial", "start": start.isoformat(),
            "end": (start + timedelta(days=30)).isoformat(), "tenant_name": "PT Timah Jaya",
            "fee_idr": fee, "fee_reason": "Tarif khusus titik utama",
            "agreement_number": "SEWA/2026/04"}


@pytest.mark.db
@pytest.mark.parametrize("fee", ["3000000000", "999999999999", str(MAX_RUPIAH)])
def test_a_large_fee_is_stored(as_reviewer, fee):
    assert as_reviewer.post("/review/occupancy/new", data=occupancy(fee)).status_code == 303
    rental = db.session.scalar(db.select(Booking).filter_by(kind=BookingKind.COMMERCIAL))
    assert rental.fee_idr == int(fee)


@pytest.mark.db
@pytest.mark.parametrize("fee, message", [
    (str(MAX_RUPIAH + 1), "Enter an amount from Rp 0 to Rp 1.000.000.000.000."),
    ("1.000.000.000.001", "Enter an amount from Rp 0 to Rp 1.000.000.000.000."),
    ("9" * 20, "Enter an amount from Rp 0 to Rp 1.000.000.000.000."),
    ("9" * 400, "Enter an amount from Rp 0 to Rp 1.000.000.000.000."),
    ("-1", "Write whole Rupiah"),
])
def test_a_fee_beyond_the_bound_is_refused_with_a_message(as_reviewer, fee, message):
    response = as_reviewer.post("/review/occupancy/new", data=occupancy(fee))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0
