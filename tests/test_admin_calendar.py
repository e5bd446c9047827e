"""The election calendar and blackouts in the administration: what the admin sees, what a new or
removed blackout or a moved masa tenang does to requests, and what is refused (nothing written)."""
from datetime import date

import pytest
from support import PASSWORD, TODAY, approval, count, csrf_token, day

from billboard import booking
from billboard.booking import BookingError, ItemInput
from billboard.extensions import db
from billboard.models import (
    AuditEvent,
    Blackout,
    BookingStatus,
    CampaignLocation,
    Category,
    Election,
    Site,
)
from billboard.seed import seed_elections

RENOVATION = "Renovasi Alun-Alun Taman Merdeka"


def submit(user, category, start, end, site="PGK-02", election=None):
    return booking.submit_request(
        user, purpose="Sosialisasi", category=category, letter_number="001/KPU",
        letter_date=TODAY, items=[ItemInput(site, "A", start, end)], election=election)


def refusal(user, category, start, end, site="PGK-02", election=None) -> str:
    """The refusal of a request, or '' when it is accepted (and then rolled back)."""
    try:
        submit(user, category, start, end, site, election)
    except BookingError as refused:
        db.session.rollback()
        return " ".join(refused.problems)
    db.session.rollback()
    return ""


def audit_rows(action):
    return db.session.scalars(db.select(AuditEvent).filter_by(action=action)).all()


def site_id(code):
    return db.session.scalar(db.select(Site.id).filter_by(code=code))


def blackout_form(**fields):
    return {"name": RENOVATION, "site": site_id("PGK-02"),
            "category": "", "start_on": day(10).isoformat(), "end_on": day(12).isoformat(),
            **fields}


def election_form(**fields):
    return {"name": "Pilwalkot 2027", "campaign_start_on": day(5).isoformat(),
            "campaign_end_on": day(30).isoformat(), "quiet_start_on": day(31).isoformat(),
            "quiet_end_on": day(33).isoformat(), "polling_on": day(34).isoformat(), **fields}


def pemilu():
    return db.session.scalar(db.select(Election).filter_by(name="Pemilu 2024"))


def test_calendar_lists_elections_and_blackouts_in_indonesian(client, make_user, auth):
    auth.login(make_user(email="admin@bakeuda.example", role="admin",
                         org="Bakeuda Kota Pangkalpinang").email)
    db.session.add(Blackout(name="Perbaikan rangka", site_id=site_id("PGK-03"),
                            start_on=day(20), end_on=day(25)))
    db.session.commit()
    page = client.get("/admin/calendar").get_data(as_text=True)
    assert "Kalender pemilu dan masa larangan" in page
    assert "28 November 2023 – 10 Februari 2024" in page  # Pemilu 2024's campaign
    assert "14 Februari 2024" in page
    assert "Masa tenang Pilkada 2024" in page and "24 November 2024 – 26 November 2024" in page
    assert "Semua titik" in page and "Alat peraga kampanye yang difasilitasi" in page
    assert "PGK-03" in page and "Semua kategori" in page
    # 2024 has passed: those rows are greyed and say so; the new blackout is not.
    assert page.count('class="past"') == 4
    assert "(lampau)" in page
    assert "/admin/calendar" in client.get("/admin/").get_data(as_text=True)


@pytest.mark.db
def test_new_blackout_refuses_requests_until_removed(client, admin, kpu):
    assert refusal(kpu, Category.PUBLIC_SERVICE, day(11), day(11)) == ""
    response = client.post("/admin/blackouts/new", data=blackout_form())
    assert response.status_code == 303 and response.headers["Location"] == "/admin/calendar"
    blackout = db.session.scalar(db.select(Blackout).filter_by(name=RENOVATION))
    assert (blackout.site.code, blackout.category, blackout.start_on, blackout.end_on) == (
        "PGK-02", None, day(10), day(12))
    [created] = audit_rows("blackout.create")
    assert (created.actor_id, created.object_id) == (admin.id, blackout.id)
    assert "PGK-02" in created.detail
    assert RENOVATION in client.get("/admin/calendar").get_data(as_text=True)

    assert RENOVATION in refusal(kpu, Category.PUBLIC_SERVICE, day(8), day(10))
    assert refusal(kpu, Category.PUBLIC_SERVICE, day(13), day(14)) == ""
    assert refusal(kpu, Category.PUBLIC_SERVICE, day(10), day(12), site="PGK-01") == ""

    # The button asks first; only the confirmed post removes it.
    question = client.post(f"/admin/blackouts/{blackout.id}/delete").get_data(as_text=True)
    assert f"Remove the blackout “{RENOVATION}”?" in question
    assert 'name="confirmed" value="1"' in question and 'href="/admin/calendar"' in question
    assert db.session.get(Blackout, blackout.id) is not None and not audit_rows("blackout.delete")
    response = client.post(f"/admin/blackouts/{blackout.id}/delete", data={"confirmed": "1"},
                           follow_redirects=True)
    assert f"Blackout “{RENOVATION}” removed." in response.get_data(as_text=True)
    assert db.session.get(Blackout, blackout.id) is None
    [deleted] = audit_rows("blackout.delete")
    assert deleted.object_id == blackout.id and "Renovasi" in deleted.detail
    assert refusal(kpu, Category.PUBLIC_SERVICE, day(8), day(10)) == ""


def test_blackout_for_one_category_on_all_sites(client, admin, kpu):
    client.post("/admin/blackouts/new", data=blackout_form(
        name="Hari tenang sosialisasi", site="", category="voter_education"))
    blackout = db.session.scalar(db.select(Blackout).filter_by(name="Hari tenang sosialisasi"))
    assert blackout.site is None and blackout.category == Category.VOTER_EDUCATION
    assert "Hari tenang sosialisasi" in refusal(kpu, Category.VOTER_EDUCATION, day(12), day(15),
                                                site="PGK-07")
    assert refusal(kpu, Category.PUBLIC_SERVICE, day(12), day(15), site="PGK-07") == ""


def test_blackout_over_approved_booking_warns_and_keeps_it(client, admin, kpu, make_user):
    reviewer = make_user(email="rev@bakeuda.example", role="reviewer",
                         org="Bakeuda Kota Pangkalpinang")
    item = submit(kpu, Category.PUBLIC_SERVICE, day(9), day(11)).bookings[0]
    booking.approve(item.id, reviewer, **approval())
    db.session.commit()
    response = client.post("/admin/blackouts/new", data=blackout_form(), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"1 approved booking overlaps “{RENOVATION}” and stays approved" in page
    assert "PGK-02/A" in page and "KPU Kota Pangkalpinang" in page
    db.session.expire_all()
    assert item.status == BookingStatus.APPROVED
    assert count(Blackout) == 3


def test_category_blackout_does_not_warn_about_other_categories(client, admin, kpu, make_user):
    reviewer = make_user(email="rev@bakeuda.example", role="reviewer",
                         org="Bakeuda Kota Pangkalpinang")
    item = submit(kpu, Category.PUBLIC_SERVICE, day(9), day(11)).bookings[0]
    booking.approve(item.id, reviewer, **approval())
    db.session.commit()
    page = client.post("/admin/blackouts/new", data=blackout_form(category="voter_education"),
                       follow_redirects=True).get_data(as_text=True)
    assert "added" in page and "overlap" not in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "  "}, "The name is required."),
    ({"start_on": day(12).isoformat(), "end_on": day(10).isoformat()},
     "The end date is before the start date."),
    ({"end_on": ""}, "The end date is required."),
    ({"start_on": "31/02/2026"}, "Write the date like 27 November 2024 or 27-11-2024."),
    ({"site": "999"}, "Choose a site or all sites."),
    ({"site": "PGK-01"}, "Choose a site or all sites."),
    ({"category": "campaign"}, "Choose a category or all categories."),
    ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
])
def test_invalid_blackout_is_refused_and_nothing_written(client, admin, fields, message):
    response = client.post("/admin/blackouts/new", data=blackout_form(**fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Blackout) == 2 and not audit_rows("blackout.create")


def test_masa_tenang_is_not_removed_directly(client, admin):
    quiet = db.session.scalar(db.select(Blackout).filter_by(election_id=pemilu().id))
    page = client.get("/admin/calendar").get_data(as_text=True)
    assert f"/admin/blackouts/{quiet.id}/delete" not in page
    response = client.post(f"/admin/blackouts/{quiet.id}/delete", data={"confirmed": "1"},
                           follow_redirects=True)
    assert "is the masa tenang of Pemilu 2024: change it on the election&#39;s page." in (
        response.get_data(as_text=True))
    assert db.session.get(Blackout, quiet.id) is not None and not audit_rows("blackout.delete")
    assert client.post("/admin/blackouts/9999/delete").status_code == 404


@pytest.mark.db
def test_new_election_and_moving_its_masa_tenang(client, admin, kpu):
    response = client.post("/admin/elections/new", data=election_form())
    assert response.status_code == 303
    election = db.session.scalar(db.select(Election).filter_by(name="Pilwalkot 2027"))
    quiet = db.session.scalar(db.select(Blackout).filter_by(election_id=election.id))
    assert (quiet.name, quiet.site_id, quiet.category, quiet.start_on, quiet.end_on) == (
        "Masa tenang Pilwalkot 2027", None, Category.FACILITATED_CAMPAIGN, day(31), day(33))
    assert audit_rows("election.create")[0].object_id == election.id
    campaign = Category.FACILITATED_CAMPAIGN
    db.session.add(CampaignLocation(site=db.session.scalar(db.select(Site).filter_by(
        code="PGK-02")), basis="Keputusan Wali Kota tentang lokasi APK"))
    db.session.commit()
    assert "Masa tenang Pilwalkot 2027" in refusal(kpu, campaign, day(32), day(32),
                                                   election=election.id)
    assert refusal(kpu, Category.VOTER_EDUCATION, day(32), day(32)) == ""

    form = client.get(f"/admin/elections/{election.id}").get_data(as_text=True)
    assert f'value="{day(31).day} {day(31):%B %Y}"' in form  # shown as 27 November 2024
    response = client.post(f"/admin/elections/{election.id}", data=election_form(
        name="Pilwalkot Pangkalpinang 2027", campaign_end_on=day(40).isoformat(),
        quiet_start_on=day(41).isoformat(), quiet_end_on=day(43).isoformat(),
        polling_on=day(44).isoformat()), follow_redirects=True)
    assert "Election Pilwalkot Pangkalpinang 2027 saved" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(db.select(Blackout).filter_by(election_id=election.id)).all() == [
        quiet]
    assert (quiet.name, quiet.start_on, quiet.end_on) == (
        "Masa tenang Pilwalkot Pangkalpinang 2027", day(41), day(43))
    [updated] = audit_rows("election.update")
    assert updated.actor_id == admin.id and "->" in updated.detail
    # The old masa tenang now lies inside the longer campaign; the new one refuses.
    assert refusal(kpu, campaign, day(32), day(32), election=election.id) == ""
    assert "Masa tenang Pilwalkot Pangkalpinang 2027" in refusal(
        kpu, campaign, day(42), day(42), election=election.id)


@pytest.mark.parametrize(("fields", "message"), [
    ({"campaign_end_on": day(4).isoformat()}, "The campaign ends before it starts."),
    ({"quiet_start_on": day(30).isoformat()},
     "The masa tenang must start after the campaign has ended."),
    ({"quiet_end_on": day(30).isoformat()}, "The masa tenang ends before it starts."),
    ({"polling_on": day(33).isoformat()}, "Polling day must come after the masa tenang."),
    ({"polling_on": ""}, "Every date is required."),
    ({"name": " pilkada 2024 "}, "An election named pilkada 2024 already exists."),
    ({"name": ""}, "The name is required."),
])
def test_invalid_election_edit_changes_nothing(client, admin, fields, message):
    election = pemilu()
    response = client.post(f"/admin/elections/{election.id}", data=election_form(
        **{"name": "Pemilu 2024", **fields}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    quiet = db.session.scalar(db.select(Blackout).filter_by(election_id=election.id))
    assert (election.name, election.quiet_start_on, election.polling_on) == (
        "Pemilu 2024", date(2024, 2, 11), date(2024, 2, 14))
    assert (quiet.name, quiet.start_on) == ("Masa tenang Pemilu 2024", date(2024, 2, 11))
    assert not audit_rows("election.update")


def test_invalid_new_election_writes_nothing(client, admin):
    response = client.post("/admin/elections/new",
                           data=election_form(polling_on=day(31).isoformat()))
    assert response.status_code == 422
    assert (count(Election), count(Blackout)) == (2, 2) and not audit_rows("election.create")
    assert client.get("/admin/elections/9999").status_code == 404


def test_seed_keeps_an_edited_election(client, admin):
    client.post(f"/admin/elections/{pemilu().id}", data=election_form(name="Pemilu 2024"))
    assert seed_elections() == 0
    db.session.commit()
    assert (count(Election), count(Blackout)) == (2, 2)
    assert pemilu().polling_on == day(34)


def test_non_admins_write_nothing(client, make_user, auth):
    auth.login(make_user(email="rev@bakeuda.example", role="reviewer",
                         org="Bakeuda Kota Pangkalpinang").email)
    assert client.post("/admin/blackouts/new", data=blackout_form()).status_code == 403
    assert client.post("/admin/elections/new", data=election_form()).status_code == 403
    assert (count(Election), count(Blackout)) == (2, 2)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_forms_need_the_csrf_token(client, make_user):
    admin = make_user(email="admin@bakeuda.example", role="admin",
                      org="Bakeuda Kota Pangkalpinang")
    token = csrf_token(client, "/login")
    client.post("/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token})
    db.session.add(Blackout(name="Perbaikan rangka", start_on=day(20), end_on=day(25)))
    db.session.commit()
    [blackout_id] = db.session.scalars(db.select(Blackout.id).filter_by(election_id=None))
    assert client.post("/admin/blackouts/new", data=blackout_form()).status_code == 400
    assert client.post("/admin/elections/new", data=election_form()).status_code == 400
    assert client.post(f"/admin/blackouts/{blackout_id}/delete").status_code == 400
    assert (count(Election), count(Blackout)) == (2, 3)
    token = csrf_token(client, "/admin/blackouts/new")
    assert client.post("/admin/blackouts/new",
                       data=blackout_form(csrf_token=token)).status_code == 303
    token = csrf_token(client, "/admin/calendar")
    assert client.post(f"/admin/blackouts/{blackout_id}/delete",
                       data={"csrf_token": token, "confirmed": "1"}).status_code == 303
    assert db.session.get(Blackout, blackout_id) is None
