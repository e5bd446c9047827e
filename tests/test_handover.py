"""The handover of an approved item (DESIGN §3, §6a): BAST serah terima and pengembalian, the
photos' dates, the derived chain, overdue returns, the documents and cancelling a started use."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import event
from support import MIGRATIONS, count, day, face
from test_agency import approve, submitted, text_of
from test_booking_rules import english  # noqa: F401 (an autouse fixture: messages in English)

from billboard import booking, finance
from billboard.booking import BookingError, WrongState
from billboard.domain_errors import DomainError
from billboard.extensions import db
from billboard.i18n import long_date
from billboard.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Handover,
    HandoverKind,
    OutboxEmail,
)
from billboard.unit_of_work import unit_of_work


def approved_item(kpu, reviewer, start=10, end=20, site="PGK-03") -> Booking:
    """An approved item of KPU over [day(start), day(end)]."""
    found = submitted(kpu, (site, "A", day(start), day(end)), today=day(min(start, 0) - 5))
    return approve(found.bookings[0], reviewer, today=day(min(start, 0)))


def hand_over(item: Booking, reviewer, number="BAST/ST/001/2026", on=0, **fields) -> Handover:
    record = booking.record_handover(item.id, reviewer, number=number, on=day(on),
                                     condition=fields.pop("condition", "Baik, bersih"),
                                     **fields)
    db.session.commit()
    return record


def photo(item: Booking, user, which: str, on: int) -> None:
    booking.record_photo(item, user, which=which, filename=f"{which}.png", taken_on=day(on))
    db.session.commit()


def give_back(item: Booking, reviewer, number="BAST/PG/001/2026", on=0) -> Handover:
    record = booking.record_return(item.id, reviewer, number=number, on=day(on),
                                   condition="Baik, materi sudah diturunkan")
    db.session.commit()
    return record


def audit_actions(item: Booking) -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action).where(
        AuditEvent.object_type == "booking", AuditEvent.object_id == item.id)
        .order_by(AuditEvent.id)))


# --- recording the handover and the return -------------------------------------------------

@pytest.mark.db
def test_the_chain_of_an_item_from_approval_to_return(kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-5, end=3)
    assert booking.handover_stage(item) == "approved"
    record = hand_over(item, reviewer, on=-6)
    assert (record.bast_number, record.bast_date, record.recorded_by) == (
        "BAST/ST/001/2026", day(-6), reviewer)
    assert booking.handover_stage(item) == "handed_over"
    assert not booking.can_hand_over(item) and not booking.can_record_return(item)
    photo(item, kpu, "installed", -4)
    assert booking.handover_stage(item) == "installed"
    photo(item, kpu, "removed", 0)
    assert booking.can_record_return(item)
    give_back(item, reviewer, on=0)
    assert booking.handover_stage(item) == "returned"
    assert audit_actions(item)[-4:] == ["booking.handover", "booking.photo_installed",
                                        "booking.photo_removed", "booking.return"]
    mail = db.session.scalars(db.select(OutboxEmail).where(
        OutboxEmail.subject.contains("BAST")).order_by(OutboxEmail.id)).all()
    assert [m.to_address for m in mail] == [kpu.email, kpu.email]
    assert "BAST serah terima" in mail[0].subject and "BAST/ST/001/2026" in mail[0].body
    assert f"/requests/{item.request_id}/bookings/{item.id}/bast/handover" in mail[0].body
    assert "BAST pengembalian" in mail[1].subject and "Baik, materi sudah" in mail[1].body


@pytest.mark.parametrize(("fields", "message"), [
    ({"on": -4}, "at or before the first day"),
    ({"on": 1}, "cannot be in the future"),
    ({"number": "  "}, "The BAST number is required"),
    ({"condition": ""}, "The condition of the face is required"),
])
def test_handover_refusals_write_nothing(kpu, reviewer, fields, message):
    item = approved_item(kpu, reviewer, start=-5, end=5)
    before = audit_actions(item)
    with pytest.raises(BookingError, match=message), unit_of_work():
        hand_over(item, reviewer, **fields)
    assert item.handovers == [] and audit_actions(item) == before


def test_a_handover_is_recorded_once_and_its_number_is_unique(kpu, reviewer):
    item = approved_item(kpu, reviewer)
    other = approved_item(kpu, reviewer, site="PGK-04")
    hand_over(item, reviewer)
    with pytest.raises(WrongState, match="already on record"):
        hand_over(item, reviewer, number="BAST/ST/002/2026")
    db.session.rollback()
    with pytest.raises(BookingError, match="already in the register") as refused:
        hand_over(other, reviewer)
    assert refused.value.code == "clash"


def test_only_approved_pinjam_pakai_items_are_handed_over(kpu, reviewer):
    pending = submitted(kpu, ("PGK-05", "A", day(10), day(12))).bookings[0]
    with pytest.raises(WrongState, match="approved pinjam pakai or internal use"):
        hand_over(pending, reviewer)
    db.session.rollback()
    rental = booking.add_occupancy(reviewer, pending.face, day(20), day(22),
                                   kind=BookingKind.COMMERCIAL, tenant_name="PT Sinar Bangka")
    db.session.commit()
    with pytest.raises(WrongState):
        hand_over(rental, reviewer)


def test_the_return_follows_the_removal_photo(kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-9, end=-2)
    with pytest.raises(BookingError, match="after the removal photo"):
        give_back(item, reviewer)
    db.session.rollback()
    photo(item, kpu, "removed", -1)
    with pytest.raises(BookingError, match="on or after the removal photo"):
        give_back(item, reviewer, on=-2)
    db.session.rollback()
    give_back(item, reviewer, on=-1)
    with pytest.raises(WrongState, match="already on record"):
        give_back(item, reviewer, number="BAST/PG/002/2026")
    db.session.rollback()
    # The return was recorded on the strength of the photos: they stay as they were.
    with pytest.raises(WrongState, match="can no longer change"):
        photo(item, kpu, "removed", 0)


@pytest.mark.db
def test_two_reviewers_recording_the_same_handover_at_once(app, kpu, reviewer, backend):
    """Each in its own connection and transaction: the row lock lets one through, the other
    re-checks and is refused; one record, one audit row."""
    item = approved_item(kpu, reviewer)
    item_id, reviewer_id = item.id, reviewer.id
    db.session.remove()
    barrier = threading.Barrier(2)

    def record(number: str) -> str:
        with app.app_context():
            actor = db.session.get(type(reviewer), reviewer_id)
            barrier.wait()
            try:
                with unit_of_work():
                    booking.record_handover(item_id, actor, number=number, on=day(0),
                                            condition="Baik")
            except DomainError as refused:
                return refused.code
            finally:
                db.session.remove()
            return "ok"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(record, ["BAST/ST/A", "BAST/ST/B"]))
    assert results == ["ok", "wrong_state"]
    assert count(Handover) == 1
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "booking.handover")) == 1


# --- the dates of the photos ---------------------------------------------------------------

@pytest.mark.parametrize(("which", "on", "message"), [
    ("installed", -6, "installation photo is dated within the use"),
    ("installed", 1, "must not be in the future"),
    ("removed", -6, "removal photo is dated within the use or up to 7 days"),
])
def test_photo_dates_outside_the_use_are_refused(kpu, reviewer, which, on, message):
    item = approved_item(kpu, reviewer, start=-5, end=3)
    with pytest.raises(BookingError, match=message):
        photo(item, kpu, which, on)


def test_removal_photo_up_to_a_week_after_the_end(kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-20, end=-8)
    with pytest.raises(BookingError, match="up to 7 days"):
        photo(item, kpu, "removed", -21)
    db.session.rollback()
    photo(item, kpu, "removed", -1)  # the last day of the grace
    assert item.removed_on == day(-1)
    late = approved_item(kpu, reviewer, start=-20, end=-9, site="PGK-04")
    with pytest.raises(BookingError, match="up to 7 days"):
        photo(late, kpu, "removed", -1)


def test_installation_photo_from_the_handover_date(kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-2, end=5)
    hand_over(item, reviewer, on=-4)
    photo(item, kpu, "installed", -3)
    assert item.installed_on == day(-3)
    with pytest.raises(BookingError, match="within the use"):
        photo(item, kpu, "installed", -5)


# --- overdue --------------------------------------------------------------------------------

@pytest.mark.db
def test_overdue_means_past_the_end_with_no_return(kpu, reviewer):
    over = approved_item(kpu, reviewer, start=-9, end=-2)
    returned = approved_item(kpu, reviewer, start=-9, end=-2, site="PGK-04")
    photo(returned, kpu, "removed", -1)
    give_back(returned, reviewer)
    running = approved_item(kpu, reviewer, start=-3, end=3, site="PGK-05")
    assert [b.id for b in booking.overdue_returns()] == [over.id]
    assert booking.is_overdue(over) and not booking.is_overdue(returned)
    assert not booking.is_overdue(running)
    assert booking.desk_counts(day(0)).overdue_returns == 1


# --- the reviewer's forms and pages ---------------------------------------------------------


def bast_form(number="BAST/ST/010/2026", on=0, condition="Baik, rangka utuh"):
    return {"number": number, "on": day(on).isoformat(), "condition": condition}


def test_the_reviewer_records_the_handover_on_the_request_page(as_reviewer, kpu, reviewer):
    item = approved_item(kpu, reviewer)
    page = text_of(as_reviewer.get(f"/review/requests/{item.request_id}"))
    assert "Record the handover (BAST serah terima)" in page
    assert "Record the return" not in page  # no removal photo yet
    response = as_reviewer.post(f"/review/bookings/{item.id}/handover", data=bast_form())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/review/requests/{item.request_id}#item-{item.id}")
    page = text_of(as_reviewer.get(f"/review/requests/{item.request_id}"))
    assert "The handover is on record." in page
    assert "BAST serah terima: BAST/ST/010/2026, " + long_date(day(0)) in page
    assert "Record the handover" not in page
    assert re.search(r'class="chain-current" aria-current="step">Handed over<', as_reviewer.get(
        f"/review/requests/{item.request_id}").get_data(as_text=True))


@pytest.mark.parametrize(("form", "message"), [
    (bast_form(number=""), "The BAST number is required."),
    (bast_form(on=3), "cannot be in the future"),
    ({**bast_form(), "on": "31 Februari 2026"}, "Write the date like"),
    (bast_form(condition=""), "The condition of the face is required."),
])
def test_a_bad_handover_form_is_shown_again_and_writes_nothing(as_reviewer, kpu, reviewer,
                                                               form, message):
    item = approved_item(kpu, reviewer)
    before = audit_actions(item)
    response = as_reviewer.post(f"/review/bookings/{item.id}/handover", data=form)
    assert response.status_code == 422
    page = text_of(response)
    assert message in page
    assert f'value="{form["number"]}"' in response.get_data(as_text=True) or not form["number"]
    db.session.expire_all()
    assert count(Handover) == 0
    assert audit_actions(item) == before


def test_a_reused_bast_number_is_a_409_on_the_page(as_reviewer, kpu, reviewer):
    first = approved_item(kpu, reviewer)
    second = approved_item(kpu, reviewer, site="PGK-04")
    hand_over(first, reviewer, number="BAST/ST/010/2026")
    response = as_reviewer.post(f"/review/bookings/{second.id}/handover", data=bast_form())
    assert response.status_code == 409
    assert "BAST number BAST/ST/010/2026 is already in the register." in text_of(response)


def test_the_return_form_after_the_removal_photo(as_reviewer, kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-9, end=-2)
    photo(item, kpu, "removed", -1)
    page = text_of(as_reviewer.get(f"/review/requests/{item.request_id}"))
    assert "Record the return (BAST pengembalian)" in page
    assert "Overdue: the use ended on" in page
    response = as_reviewer.post(f"/review/bookings/{item.id}/return",
                                data=bast_form(number="BAST/PG/010/2026"))
    assert response.status_code == 303
    page = text_of(as_reviewer.get(f"/review/requests/{item.request_id}"))
    assert "BAST pengembalian: BAST/PG/010/2026" in page and "Overdue" not in page


def test_the_overdue_list_is_linked_from_the_desk(as_reviewer, kpu, reviewer):
    over = approved_item(kpu, reviewer, start=-9, end=-3)
    approved_item(kpu, reviewer, start=-3, end=3, site="PGK-04")
    queue = as_reviewer.get("/review").get_data(as_text=True)
    assert re.search(r'<a href="/review/overdue"><span class="desk-number">1</span>', queue)
    page = as_reviewer.get("/review/overdue")
    text = text_of(page)
    assert page.status_code == 200
    assert over.request.reference in text and "PGK-03/A" in text and "PGK-04" not in text
    assert "not sent yet" in text


def test_the_agency_sees_the_chain_of_its_item(client, auth, kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-3, end=3)
    hand_over(item, reviewer, on=-4)
    photo(item, kpu, "installed", -3)
    auth.login(kpu.email)
    client.get("/language/en")
    html = client.get(f"/requests/{item.request_id}").get_data(as_text=True)
    assert re.search(r'class="chain-current" aria-current="step">Installed<', html)
    assert "BAST/ST/001/2026" in html


def words(response) -> str:
    """What a document says, its tags left out."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


# --- the documents --------------------------------------------------------------------------

def test_the_bast_documents_in_indonesian_with_object_condition_and_photo(
        client, auth, kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-3, end=-1)
    hand_over(item, reviewer, number="BAST/ST/077/2026", on=-4, condition="Rangka utuh, bersih")
    photo(item, kpu, "installed", -3)
    photo(item, kpu, "removed", 0)
    give_back(item, reviewer, number="BAST/PG/078/2026", on=0)
    site = item.face.site
    auth.login(kpu.email)
    client.get("/language/en")  # the page around it follows the UI, the document does not
    base = f"/requests/{item.request_id}/bookings/{item.id}/bast"

    handover = client.get(f"{base}/handover")
    assert handover.status_code == 200
    text = words(handover)
    assert "Berita Acara Serah Terima Bidang Reklame".upper() in text.upper()
    assert "Nomor: BAST/ST/077/2026" in text
    assert f"Pada {long_date(day(-4))}" in text
    assert "Pihak Pertama Pemerintah Kota Pangkalpinang" in text
    assert "Pihak Kedua KPU Kota Pangkalpinang" in text
    # The city signs through the signatory of its documents (a setting, a placeholder here).
    assert "NIP. CONTOH" in text and "Badan Keuangan Daerah" in text
    for fact in (site.code, site.name, site.address, site.asset_register_no,
                 "Rangka utuh, bersih", item.agreement_number):
        assert fact in text
    assert f'src="{base[:-5]}/photos/installed"' in handover.get_data(as_text=True)
    assert "Back to request" in text

    back = words(client.get(f"{base}/return"))
    assert "Nomor: BAST/PG/078/2026" in back and "Baik, materi sudah diturunkan" in back
    # At the return the borrower hands the face back to the city.
    assert "Pihak Pertama KPU Kota Pangkalpinang" in back
    assert f'src="{base[:-5]}/photos/removed"' in client.get(f"{base}/return").get_data(
        as_text=True)


def test_no_bast_before_it_is_recorded_nor_for_another_agency(client, auth, kpu, bawaslu,
                                                               reviewer):
    item = approved_item(kpu, reviewer)
    url = f"/requests/{item.request_id}/bookings/{item.id}/bast/handover"
    auth.login(kpu.email)
    assert client.get(url).status_code == 404
    hand_over(item, reviewer)
    assert client.get(url).status_code == 200
    assert client.get(url.replace("handover", "return")).status_code == 404
    client.post("/logout")
    auth.login(bawaslu.email)
    assert client.get(url).status_code == 404
    client.post("/logout")
    auth.login(reviewer.email)
    assert client.get(url).status_code == 200


# --- cancelling a use that has started ---------------------------------------------------------

def test_cancelling_a_started_use_ends_it_and_keeps_the_days_used(kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-4, end=10)
    ended = booking.cancel(item.id, reviewer, reason="Struktur rusak")
    db.session.commit()
    assert (ended.status, ended.end_on, ended.reason) == (
        BookingStatus.APPROVED, day(0), "Struktur rusak")
    assert ended.foregone_idr == finance.use_value(item.face.site_id, day(-4), day(0))
    assert audit_actions(item)[-1] == "booking.ended_early"
    mail = db.session.scalars(db.select(OutboxEmail.subject).where(
        OutboxEmail.subject.contains("diakhiri lebih awal"))).all()
    assert len(mail) == 2  # the organisation and Bakeuda


def test_a_started_use_ends_on_a_chosen_day_within_it(kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-4, end=10)
    with pytest.raises(BookingError, match="ends on a day within it"):
        booking.cancel(item.id, reviewer, reason="Rusak", ends_on=day(-5))
    db.session.rollback()
    booking.cancel(item.id, reviewer, reason="Rusak", ends_on=day(-1))
    db.session.commit()
    assert (item.end_on, item.foregone_idr) == (
        day(-1), finance.use_value(item.face.site_id, day(-4), day(-1)))


def test_a_use_not_started_is_cancelled_whole_and_one_over_is_refused(kpu, reviewer):
    later = approved_item(kpu, reviewer, start=5, end=10)
    assert booking.cancel(later.id, reviewer, reason="Batal").status == BookingStatus.CANCELLED
    db.session.commit()
    over = approved_item(kpu, reviewer, start=-9, end=-2, site="PGK-04")
    with pytest.raises(WrongState, match="already over"):
        booking.cancel(over.id, reviewer, reason="Batal")


def test_the_reviewer_ends_a_started_use_from_the_request_page(as_reviewer, kpu, reviewer):
    item = approved_item(kpu, reviewer, start=-4, end=10)
    page = text_of(as_reviewer.get(f"/review/requests/{item.request_id}"))
    assert "Last day of use, if it has started" in page
    question = text_of(as_reviewer.post(f"/review/bookings/{item.id}/cancel", data={
        "reason": "Struktur rusak", "ends_on": day(-1).isoformat()}))
    assert f"The use ends on {long_date(day(-1))}" in question
    assert "The days used stay in the record." in question
    response = as_reviewer.post(f"/review/bookings/{item.id}/cancel", data={
        "reason": "Struktur rusak", "ends_on": day(-1).isoformat(), "confirmed": "1",
        "next": f"/review/requests/{item.request_id}"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (item.status, item.end_on) == (BookingStatus.APPROVED, day(-1))


def test_the_chain_of_every_item_is_read_in_a_constant_number_of_queries(kpu, reviewer):
    def stages(request_id: int) -> list:
        db.session.expunge_all()
        statements = []

        def listen(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            found = booking.request_for(None, request_id)
            [booking.handover_stage(item) for item in found.bookings]
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        return statements

    one = approved_item(kpu, reviewer)
    many = submitted(kpu, *[(f"PGK-{n:02d}", "A", day(10), day(12)) for n in range(4, 11)])
    for item in many.bookings:
        approve(item, reviewer)
        hand_over(item, reviewer, number=f"BAST/ST/{item.id}")
    few_id, many_id = one.request_id, many.id
    assert len(stages(few_id)) == len(stages(many_id))


@pytest.mark.db
def test_a_return_added_any_way_marks_its_use_returned(kpu, reviewer):
    """The copy on the booking follows the handover however it is added, by its booking or by
    the booking's id alone (as an import would)."""
    by_object = approved_item(kpu, reviewer, start=-9, end=-2)
    by_id = approved_item(kpu, reviewer, start=-9, end=-2, site="PGK-04")
    by_id_id = by_id.id
    db.session.add_all([
        Handover(booking=by_object, kind=HandoverKind.RETURN, bast_number="BAST/PG/7",
                 bast_date=day(-1), condition="Baik"),
        Handover(booking_id=by_id_id, kind=HandoverKind.RETURN, bast_number="BAST/PG/8",
                 bast_date=day(0), condition="Baik")])
    db.session.commit()
    assert (by_object.returned_on, by_id.returned_on) == (day(-1), day(0))
    assert booking.desk_counts(day(0)).overdue_returns == 0


# --- the migration ----------------------------------------------------------------------------

@pytest.mark.db
def test_the_migration_copies_each_return_and_the_rent_paid_onto_the_use(kpu, reviewer):
    """Returns and payments recorded before the copies existed are copied by the migration,
    so that the desk counts them the day it is deployed."""
    returned = approved_item(kpu, reviewer, start=-9, end=-2)
    photo(returned, kpu, "removed", -1)
    give_back(returned, reviewer, on=-1)
    overdue = approved_item(kpu, reviewer, start=-9, end=-2, site="PGK-04")
    rental = booking.add_occupancy(reviewer, face("PGK-05"), day(-5), day(5),
                                   kind=BookingKind.COMMERCIAL, tenant_name="PT Bangka Jaya",
                                   fee_idr=1_000_000, fee_reason="Harga paket")
    db.session.commit()
    for number, amount in (("KW-1", 400_000), ("KW-2", 600_000)):
        booking.record_payment(rental.id, reviewer, receipt_number=number, paid_on=day(-5),
                               amount_idr=amount)
        db.session.commit()
    ids = returned.id, overdue.id, rental.id
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="a3b4c5d6e7f8-1")
    upgrade(directory=MIGRATIONS)

    copies = {b.id: (b.returned_on, b.paid_idr)
              for b in db.session.scalars(db.select(Booking).where(Booking.id.in_(ids)))}
    assert copies == {ids[0]: (day(-1), 0), ids[1]: (None, 0), ids[2]: (None, 1_000_000)}
    counts = booking.desk_counts(day(0))
    assert (counts.overdue_returns, counts.unpaid_rentals) == (1, 0)
