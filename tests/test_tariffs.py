"""Tariffs with history and the value of a use (DESIGN §3), with figures worked by hand."""
from datetime import date

import pytest
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from support import MIGRATIONS, approval, csrf_token_in

from billboard import booking, finance
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.finance import Rate, prorated, round_half_up, value_of_use
from billboard.models import AuditEvent, Category, Site, Tariff

SINCE_ALWAYS = [Rate(finance.FIRST_DAY, 4_000_000)]
# 4.000.000 until 8 March 2026, 5.000.000 from 9 March.
CHANGED_ON_9_MARCH = [Rate(finance.FIRST_DAY, 4_000_000), Rate(date(2026, 3, 9), 5_000_000)]


def test_a_day_is_a_thirtieth_of_the_month_whatever_the_month():
    assert value_of_use(SINCE_ALWAYS, date(2026, 2, 1), date(2026, 3, 2)) == 4_000_000  # 30 days
    assert value_of_use(SINCE_ALWAYS, date(2026, 1, 1), date(2026, 1, 31)) == 4_133_333  # 31


def test_proration_across_a_month_end_rounds_once():
    # 31 January and 1 February: 2 × 4.000.000 / 30 = 266.666,67 → 266.667. Rounding each day
    # (133.333 + 133.333) would give 266.666.
    assert value_of_use(SINCE_ALWAYS, date(2026, 1, 31), date(2026, 2, 1)) == 266_667


def test_a_tariff_change_in_the_middle_of_a_use():
    # 8 March at 4.000.000, 9 and 10 March at 5.000.000: (4 + 10) million / 30 = 466.666,67.
    assert value_of_use(CHANGED_ON_9_MARCH, date(2026, 3, 8), date(2026, 3, 10)) == 466_667
    # Wholly before and wholly after the change.
    assert value_of_use(CHANGED_ON_9_MARCH, date(2026, 3, 7), date(2026, 3, 8)) == 266_667
    assert value_of_use(CHANGED_ON_9_MARCH, date(2026, 3, 9), date(2026, 3, 11)) == 500_000


def test_no_tariff_in_force_is_worth_nothing():
    assert value_of_use([Rate(date(2026, 3, 9), 3_000_000)], date(2026, 3, 8), date(2026, 3, 9)) \
        == 100_000
    assert value_of_use([], date(2026, 3, 8), date(2026, 3, 9)) == 0


def test_halves_round_up():
    assert (round_half_up(45, 30), round_half_up(44, 30), round_half_up(15, 30)) == (2, 1, 1)


def test_prorated_to_the_days_inside_a_period():
    use = (date(2026, 3, 1), date(2026, 3, 3))  # 3 days worth 1.000.000
    assert prorated(1_000_000, *use, date(2026, 3, 3), date(2026, 3, 31)) == 333_333
    assert prorated(1_000_000, *use, date(2026, 2, 1), date(2026, 3, 2)) == 666_667
    assert prorated(1_000_000, *use, date(2026, 2, 1), date(2026, 2, 28)) == 0
    assert prorated(1_000_000, *use, date(2026, 1, 1), date(2026, 12, 31)) == 1_000_000


# --- In the database --------------------------------------------------------------------------

def site(code: str) -> Site:
    return db.session.scalar(db.select(Site).filter_by(code=code))


@pytest.mark.db
def test_every_site_starts_with_its_register_rate(app):
    assert finance.rates_on(date(2001, 1, 1))[site("PGK-01").id] == 6_000_000
    assert len(finance.tariffs_of(site("PGK-01"))) == 1


@pytest.mark.db
def test_a_tariff_from_a_day_on_leaves_earlier_days_alone(app, reviewer):
    pgk01 = site("PGK-01")
    finance.set_tariff(reviewer, pgk01, 7_500_000, date(2026, 3, 9))
    db.session.commit()
    rates = finance.rates_on
    assert (rates(date(2026, 3, 8))[pgk01.id], rates(date(2026, 3, 9))[pgk01.id]) == \
        (6_000_000, 7_500_000)
    # 8 March at 6.000.000, 9 March at 7.500.000: 13.500.000 / 30.
    assert finance.use_value(pgk01.id, date(2026, 3, 8), date(2026, 3, 9)) == 450_000
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="tariff.set",
                                                              actor_id=reviewer.id))
    assert (event.actor_id, event.to_state, event.detail) == \
        (reviewer.id, "7500000", "PGK-01 2026-03-09")
    # The same day again changes that tariff's rate rather than adding another.
    finance.set_tariff(reviewer, pgk01, 7_000_000, date(2026, 3, 9))
    db.session.commit()
    assert [t.monthly_rate_idr for t in finance.tariffs_of(pgk01)] == [7_000_000, 6_000_000]


@pytest.mark.db
@pytest.mark.parametrize("rate, valid_from, message", [
    (-1, date(2026, 3, 9), "monthly rate"),
    (None, date(2026, 3, 9), "monthly rate"),
    (10_000_000_001, date(2026, 3, 9), "monthly rate"),
    (1, date(1999, 12, 31), "must start between"),
    (1, None, "must start between"),
])
def test_a_bad_tariff_is_refused(app, reviewer, rate, valid_from, message):
    with force_locale("en"), pytest.raises(finance.TariffError, match=message):
        finance.set_tariff(reviewer, site("PGK-01"), rate, valid_from)


@pytest.mark.db
def test_the_first_tariff_stays(app, reviewer):
    [first] = finance.tariffs_of(site("PGK-02"))
    with pytest.raises(finance.TariffError):
        finance.remove_tariff(reviewer, first)
    later = finance.set_tariff(reviewer, site("PGK-02"), 1, date(2026, 6, 1))
    finance.remove_tariff(reviewer, later)
    db.session.commit()
    assert finance.tariffs_of(site("PGK-02")) == [first]


@pytest.mark.db
def test_approval_values_a_use_at_each_days_tariff_and_keeps_it(app, kpu, reviewer):
    today = date(2026, 3, 2)
    pgk01 = site("PGK-01")
    finance.set_tariff(reviewer, pgk01, 9_000_000, date(2026, 3, 20))
    request = booking.submit_request(
        kpu, purpose="Sosialisasi", category=Category.VOTER_EDUCATION, letter_number="1/KPU",
        letter_date=today, items=[ItemInput("PGK-01", "A", date(2026, 3, 15), date(2026, 3, 24))],
        today=today)
    db.session.commit()
    item = booking.approve(request.bookings[0].id, reviewer, **approval(),
                           today=today)
    db.session.commit()
    # 15–19 March at 6.000.000 (5 days), 20–24 March at 9.000.000 (5 days): 75.000.000 / 30.
    assert item.foregone_idr == 2_500_000
    # Editing the tariff afterwards never changes what the approval stored.
    finance.set_tariff(reviewer, pgk01, 1, date(2026, 3, 20))
    finance.set_tariff(reviewer, pgk01, 2, finance.FIRST_DAY)
    db.session.commit()
    db.session.expire_all()
    assert item.foregone_idr == 2_500_000


def test_the_migration_backfills_and_restores_the_rate(app):
    downgrade(directory=MIGRATIONS, revision="5a7e1f0c2b91-1")
    rates = dict(db.session.execute(db.text("SELECT code, monthly_rate_idr FROM site")).all())
    assert rates["PGK-01"] == 6_000_000 and len(rates) == 10
    db.session.execute(db.text("UPDATE site SET monthly_rate_idr = 1234 WHERE code = 'PGK-02'"))
    db.session.commit()
    upgrade(directory=MIGRATIONS)
    tariffs = db.session.execute(db.select(Site.code, Tariff.monthly_rate_idr, Tariff.valid_from)
                                 .join(Tariff.site)).all()
    assert len(tariffs) == 10
    assert ("PGK-02", 1234, finance.FIRST_DAY) in tariffs
    assert ("PGK-01", 6_000_000, finance.FIRST_DAY) in tariffs


# --- The tariff pages -------------------------------------------------------------------------


def test_a_reviewer_sets_a_rate_typed_the_indonesian_way(as_reviewer, reviewer):
    page = as_reviewer.get("/review/tariffs").get_data(as_text=True)
    assert "Rp 6.000.000" in page and "/review/tariffs/PGK-01" in page
    form = as_reviewer.get("/review/tariffs/PGK-01").get_data(as_text=True)
    response = as_reviewer.post("/review/tariffs/PGK-01", data={
        "csrf_token": csrf_token_in(form), "monthly_rate_idr": "12.500.000",
        "valid_from": "1 April 2026"})
    assert response.status_code == 303
    pgk01 = site("PGK-01")
    assert finance.rates_on(date(2026, 4, 1))[pgk01.id] == 12_500_000
    page = as_reviewer.get("/review/tariffs/PGK-01").get_data(as_text=True)
    assert "Rp 12.500.000" in page and "1 April 2026" in page and reviewer.name in page


def test_a_rate_typed_wrongly_changes_nothing_and_says_so_in_indonesian(client, auth, reviewer):
    auth.login(reviewer.email)
    form = client.get("/review/tariffs/PGK-01").get_data(as_text=True)
    response = client.post("/review/tariffs/PGK-01", data={
        "csrf_token": csrf_token_in(form), "monthly_rate_idr": "12,5 juta",
        "valid_from": "1 April 2026"})
    assert response.status_code == 422
    assert "titik pemisah ribuan" in response.get_data(as_text=True)
    assert len(finance.tariffs_of(site("PGK-01"))) == 1


def test_removing_a_later_tariff_but_never_the_first(as_reviewer, reviewer):
    later = finance.set_tariff(reviewer, site("PGK-01"), 1, date(2026, 6, 1))
    [first] = [t for t in finance.tariffs_of(site("PGK-01")) if t.id != later.id]
    db.session.commit()
    token = csrf_token_in(as_reviewer.get("/review/tariffs/PGK-01").get_data(as_text=True))
    response = as_reviewer.post(f"/review/tariffs/PGK-01/{first.id}/remove",
                                data={"csrf_token": token, "confirmed": "1"},
                                follow_redirects=True)
    assert "first tariff cannot be removed" in response.get_data(as_text=True)
    # Asked first: nothing is removed until confirmed.
    asked = as_reviewer.post(f"/review/tariffs/PGK-01/{later.id}/remove",
                             data={"csrf_token": token})
    assert asked.status_code == 200 and "Remove the tariff of PGK-01" in asked.get_data(
        as_text=True)
    assert len(finance.tariffs_of(site("PGK-01"))) == 2
    as_reviewer.post(f"/review/tariffs/PGK-01/{later.id}/remove",
                     data={"csrf_token": token, "confirmed": "1"})
    assert finance.tariffs_of(site("PGK-01")) == [first]
    # Another site's tariff through this site's address is not found.
    assert as_reviewer.post(f"/review/tariffs/PGK-02/{first.id}/remove",
                            data={"csrf_token": token, "confirmed": "1"}).status_code == 404


def test_agencies_do_not_keep_tariffs(client, auth, kpu):
    auth.login(kpu.email)
    assert client.get("/review/tariffs").status_code == 403
