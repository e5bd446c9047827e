"""Campaign slots end to end: designated locations, contestants, the draw, designs and what the
public sees (DESIGN §3 "Campaign slots", §5)."""
import re
from io import BytesIO

import pytest
import support
from flask_babel import force_locale
from support import JPEG, PNG, TODAY, approval, csrf_token, day

from billboard import booking, campaign
from billboard.auth.tokens import issue_token
from billboard.booking import BookingError
from billboard.campaign.draw import DrawItem, allocate
from billboard.elections import save_election
from billboard.extensions import db
from billboard.models import (
    AuditEvent,
    CampaignLocation,
    Category,
    Contestant,
    Design,
    Draw,
    Election,
    Face,
    Site,
)

EVIL = '<script>alert("paslon")</script> & Co'


@pytest.fixture
def sites(app):
    """``sites(n, tiers=None)``: n new active sites PGK-Cnn with faces A and B, designated
    for campaign props (tiers 1…``tiers`` in turn) unless ``designated=False``."""
    def make(n, *, tiers=None, designated=True):
        made = []
        for i in range(n):
            site = Site(code=f"PGK-C{i + 1:02d}", name=f"Titik kampanye {i + 1}",
                        address=f"Jl. Contoh {i + 1}", kelurahan="Bukit Besar",
                        kecamatan="Girimaya", lat=-2.12 - i / 1000, lon=106.11, width_m=4,
                        height_m=6, asset_register_no=f"BMD-C-{i}",
                        faces=[Face(label="A"), Face(label="B")])
            db.session.add(site)
            if designated:
                db.session.add(CampaignLocation(
                    site=site, basis="Keputusan Wali Kota Pangkalpinang tentang lokasi APK",
                    basis_number="188.45/12/2026", basis_date=TODAY,
                    tier=None if tiers is None else i % tiers + 1))
            made.append(site)
        db.session.commit()
        return made
    return make


@pytest.fixture
def election(app):
    """Pilwalkot 2027: campaign from day 5 to day 60, masa tenang 61–63, three contestants."""
    found = Election(name="Pilwalkot 2027", campaign_start_on=day(5), campaign_end_on=day(60),
                     quiet_start_on=day(61), quiet_end_on=day(63), polling_on=day(64))
    save_election(found)
    for number, name in ((1, "Paslon Satu"), (2, EVIL), (3, "Paslon Tiga")):
        db.session.add(Contestant(election=found, number=number, name=name,
                                  liaison=f"LO {number}", liaison_contact=f"0812-000-{number}"))
    db.session.commit()
    return found


def submit(user, faces, election_id=None, start=5, end=30, category=Category.FACILITATED_CAMPAIGN):
    """Campaign props on ``faces`` ((site, face) pairs) from day ``start`` to day ``end``."""
    return support.submit(user, *[(code, label, day(start), day(end)) for code, label in faces],
                          category=category, purpose="APK pasangan calon",
                          letter_number="012/KPU/2026", election=election_id)


def faces_of(sites):
    return [(site.code, face.label) for site in sites for face in site.faces]


def approved_request(kpu, reviewer, faces, election):
    made = submit(kpu, faces, election.id, start=10)
    for item in made.bookings:
        booking.approve(item.id, reviewer, **approval())
    db.session.commit()
    return made


class Api:
    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            _token, raw = issue_token(user, "test", None)
            db.session.commit()
            self.headers = {"Authorization": f"Bearer {raw}"}

    def call(self, method, path, json=None):
        return self.client.open("/api/v1" + path, method=method, json=json, headers=self.headers)


@pytest.fixture
def api(client):
    client.get("/language/en")
    return lambda user=None: Api(client, user)


def refusal(*args, **kwargs) -> str:
    try:
        with force_locale("en"):
            submit(*args, **kwargs)
    except BookingError as refused:
        db.session.rollback()
        return " ".join(refused.problems)
    db.session.rollback()
    return ""


# --- Requests for campaign props -------------------------------------------------------------

@pytest.mark.db
def test_campaign_props_only_designated_inside_the_campaign_never_in_masa_tenang(
        app, kpu, sites, election):
    [designated] = sites(1)
    plain = db.session.scalar(db.select(Site).filter_by(code="PGK-01"))
    face = [(designated.code, "A")]
    assert refusal(kpu, face, election.id, start=10, end=20) == ""
    assert "only on a designated APK location" in refusal(kpu, [(plain.code, "A")], election.id)
    outside = refusal(kpu, face, election.id, start=50, end=61)
    assert "only inside the campaign period of Pilwalkot 2027" in outside
    quiet = refusal(kpu, face, election.id, start=62, end=62)
    assert "Masa tenang Pilwalkot 2027" in quiet
    assert "names the election" in refusal(kpu, face, None)
    assert "Only a facilitated campaign request names an election" in refusal(
        kpu, face, election.id, category=Category.VOTER_EDUCATION)


def test_api_request_names_its_election_and_is_refused_naming_the_rule(
        api, kpu, sites, election):
    [site] = sites(1)
    agency = api(kpu)
    body = {"purpose": "APK", "category": "facilitated_campaign", "letter_number": "1",
            "letter_date": TODAY.isoformat(), "election": election.id,
            "items": [{"site": site.code, "face": "A", "start": day(10).isoformat(),
                       "end": day(70).isoformat()}]}
    refused = agency.call("POST", "/requests", body)
    assert refused.status_code == 422
    assert "campaign period of Pilwalkot 2027" in " ".join(refused.json["error"]["problems"])
    body["items"][0]["end"] = day(20).isoformat()
    assert agency.call("POST", "/requests", {**body, "election": "x"}).status_code == 400
    # JSON Schema's integer includes 3.0.
    created = agency.call("POST", "/requests", {**body, "election": float(election.id)})
    assert created.status_code == 201


# --- Elections, contestants and designations through the API ----------------------------------

@pytest.mark.db
def test_elections_api_is_public_without_the_lo_contact(api, election):
    body = api().call("GET", "/elections").json
    [found] = [e for e in body["elections"] if e["name"] == "Pilwalkot 2027"]
    assert found["campaign_start"] == day(5).isoformat()
    assert found["contestants"][1] == {"number": 2, "name": EVIL, "liaison": "LO 2"}
    assert "0812-000" not in str(body)


def test_admin_adds_elections_contestants_and_designations(api, make_user, kpu, election):
    admin = api(make_user("admin@bakeuda.example", role="admin", org="Bakeuda"))
    created = admin.call("POST", "/elections", {
        "name": "Pilgub Babel 2027", "campaign_start": day(70).isoformat(),
        "campaign_end": day(90).isoformat(), "quiet_start": day(91).isoformat(),
        "quiet_end": day(93).isoformat(), "polling_on": day(94).isoformat()})
    assert created.status_code == 201 and created.json["contestants"] == []
    path = f"/elections/{created.json['id']}/contestants"
    added = admin.call("POST", path, {"number": 1, "name": "Paslon A", "liaison": "Budi",
                                      "liaison_contact": "budi@example.org"})
    assert added.status_code == 201 and added.json["liaison_contact"] == "budi@example.org"
    again = admin.call("POST", path, {"number": 1, "name": "Paslon B"})
    assert again.status_code == 422 and "already has a contestant number 1" in again.text
    assert admin.call("POST", "/elections/999999/contestants",
                      {"number": 1, "name": "X"}).status_code == 404
    assert api(kpu).call("POST", path, {"number": 2, "name": "X"}).status_code == 403

    put = admin.call("PUT", "/sites/PGK-03/campaign-location", {
        "designated": True, "basis": "Keputusan Wali Kota", "basis_number": "188/1",
        "basis_date": TODAY.isoformat(), "tier": 2})
    assert put.status_code == 200 and put.json["tier"] == 2
    assert db.session.scalar(db.select(CampaignLocation).join(Site).where(
        Site.code == "PGK-03")).basis_number == "188/1"
    assert admin.call("PUT", "/sites/PGK-03/campaign-location",
                      {"designated": True, "basis": " "}).status_code == 422
    assert admin.call("PUT", "/sites/PGK-03/campaign-location",
                      {"designated": True, "basis": "SK", "tier": 12}).status_code == 422
    withdrawn = admin.call("PUT", "/sites/PGK-03/campaign-location", {"designated": False})
    assert withdrawn.json == {"site": "PGK-03", "designated": False}
    assert admin.call("PUT", "/sites/PGK-03/campaign-location",
                      {"designated": False}).status_code == 422
    assert admin.call("PUT", "/sites/PGK-99/campaign-location",
                      {"designated": False}).status_code == 404
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert {"contestant.create", "campaign_location.designate",
            "campaign_location.withdraw"} <= set(actions)


# --- The draw ---------------------------------------------------------------------------------

@pytest.mark.db
def test_draw_shares_faces_equally_is_reproducible_and_runs_once(
        api, kpu, reviewer, sites, election):
    made = approved_request(kpu, reviewer, faces_of(sites(4, tiers=2)), election)
    agency = api(kpu)
    assert agency.call("POST", f"/requests/{made.id}/draw",
                       {"seed": "", "witnesses": ["Bawaslu"]}).status_code == 422
    assert agency.call("POST", f"/requests/{made.id}/draw",
                       {"seed": "3-1-4", "witnesses": []}).status_code == 422
    assert agency.call("POST", f"/requests/{made.id}/draw",
                       {"seed": "x" * 201, "witnesses": ["B"]}).status_code == 400
    drawn = agency.call("POST", f"/requests/{made.id}/draw",
                        {"seed": "3-1-4", "witnesses": ["LO 1", "LO 2", "LO 3", "Bawaslu"]})
    assert drawn.status_code == 200
    allocation = drawn.json["allocation"]
    counts = {n: sum(a["contestant"] == n for a in allocation) for n in (1, 2, 3, None)}
    assert counts == {1: 2, 2: 2, 3: 2, None: 2}
    # The same seed over the same items (site, face, dates, tier), outside the app: same result.
    tiers = {f"PGK-C{i + 1:02d}": i % 2 + 1 for i in range(4)}
    items = [DrawItem(b.face.site.code, b.face.label, b.start_on, b.end_on,
                      tiers[b.face.site.code]) for b in made.bookings]
    expected = [(d.item.site, d.item.face, d.contestant)
                for d in allocate("3-1-4", items, [1, 2, 3])]
    assert [(a["site"], a["face"], a["contestant"]) for a in allocation] == expected
    # The minutes list the tier each face had when it was drawn, whatever changes later.
    standing = campaign.standing_draw(made)
    assert [a.tier for a in standing.allocations] == [d.item.tier for d in allocate(
        "3-1-4", items, [1, 2, 3])]

    again = agency.call("POST", f"/requests/{made.id}/draw", {"seed": "9", "witnesses": ["B"]})
    assert again.status_code == 409 and "drawn already" in again.json["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Draw.id))) == 1
    [event] = db.session.scalars(db.select(AuditEvent).filter_by(action="draw.run")).all()
    assert "3-1-4" in event.detail and event.object_id == made.id


def test_draw_refused_before_every_item_is_decided_and_for_others(
        api, kpu, bawaslu, reviewer, sites, election):
    made = submit(kpu, faces_of(sites(2)), election.id, start=10)
    body = {"seed": "1", "witnesses": ["Bawaslu"]}
    assert api(kpu).call("POST", f"/requests/{made.id}/draw", body).status_code == 409
    assert api(bawaslu).call("POST", f"/requests/{made.id}/draw", body).status_code == 404
    assert api(reviewer).call("POST", f"/requests/{made.id}/draw", body).status_code == 403


def test_annulled_draw_with_reason_allows_a_new_one(client, auth, kpu, reviewer, sites,
                                                    election):
    made = approved_request(kpu, reviewer, faces_of(sites(5)), election)
    auth.login(kpu.email)
    client.get("/language/en")
    page = f"/requests/{made.id}/draw"
    assert "Run the draw" in client.get(page).get_data(as_text=True)
    token = csrf_token(client, page)
    response = client.post(page, data={"csrf_token": token, "seed": "11-22-33",
                                       "witnesses": "LO 1\nLO 2\n\nBawaslu Kota"})
    assert response.status_code == 302 and response.location.endswith("/draw/minutes")
    first = db.session.scalar(db.select(Draw))
    assert first.witnesses == ["LO 1", "LO 2", "Bawaslu Kota"]
    refused = client.post(page, data={"csrf_token": token, "seed": "4", "witnesses": "B"})
    assert refused.status_code == 409
    assert client.post(f"{page}/annul", data={"csrf_token": token,
                                              "reason": " "}).status_code == 422
    annulled = client.post(f"{page}/annul", data={
        "csrf_token": token, "reason": "LO 3 tidak hadir; undian diulang"})
    assert annulled.status_code == 302
    assert client.post(page, data={"csrf_token": token, "seed": "44-55-66",
                                   "witnesses": "LO 1\nLO 2\nLO 3"}).status_code == 302
    draws = db.session.scalars(db.select(Draw).order_by(Draw.id)).all()
    assert [d.annul_reason for d in draws] == ["LO 3 tidak hadir; undian diulang", None]
    [annul] = db.session.scalars(db.select(AuditEvent).filter_by(action="draw.annul")).all()
    assert annul.reason == "LO 3 tidak hadir; undian diulang"


@pytest.mark.db
def test_minutes_are_an_escaped_indonesian_document(client, auth, kpu, reviewer, sites,
                                                    election):
    made = approved_request(kpu, reviewer, faces_of(sites(4)), election)
    drawn = campaign.run_draw(made, kpu, seed="07-<b>13</b>-21",
                              witnesses=["Rudi (LO 1)", "Ketua Bawaslu <i>Kota</i>"])
    db.session.commit()
    auth.login(kpu.email)
    client.get("/language/en")
    html = client.get(f"/requests/{made.id}/draw/minutes").get_data(as_text=True)
    assert "Berita Acara Undian Penempatan Alat Peraga Kampanye" in html
    assert drawn.items_sha256 in html
    assert "07-&lt;b&gt;13&lt;/b&gt;-21" in html and "Ketua Bawaslu &lt;i&gt;Kota&lt;/i&gt;" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "APK Paslon 02 — &lt;script&gt;" in html
    assert "Nomor urut 1 — Paslon Satu: 2 sisi" in html
    assert "0812-000" not in html
    reviewer_client = client.application.test_client()
    auth_reviewer = type(auth)(reviewer_client)
    auth_reviewer.login(reviewer.email)
    assert reviewer_client.get(f"/requests/{made.id}/draw/minutes").status_code == 200


# --- Designs ----------------------------------------------------------------------------------

def test_designs_checked_by_content_then_frozen_once_approved(client, auth, kpu, reviewer,
                                                             sites, election):
    made = approved_request(kpu, reviewer, faces_of(sites(3)), election)
    campaign.run_draw(made, kpu, seed="5", witnesses=["Bawaslu"])
    db.session.commit()
    second = db.session.scalar(db.select(Contestant).filter_by(number=2))
    auth.login(kpu.email)
    client.get("/language/en")
    page = f"/requests/{made.id}/draw"
    token = csrf_token(client, page)
    upload = f"{page}/designs/{second.id}"

    def send(data, name="desain.png", url=upload):
        return client.post(url, data={"csrf_token": token, "design": (BytesIO(data), name)},
                           content_type="multipart/form-data")

    refused = send(b"MZ\x90\x00" + b"\x00" * 64, "desain.png")
    assert refused.status_code == 422 and "judged by its content" in refused.get_data(True)
    assert send(PNG).status_code == 302
    assert send(JPEG, "v2.jpg").status_code == 302
    assert client.post(f"{upload}/approve", data={
        "csrf_token": token, "approved_by": "", "witnesses": "Bawaslu"}).status_code == 422
    assert client.post(f"{upload}/approve", data={
        "csrf_token": token, "approved_by": "Ketua KPU",
        "witnesses": "Bawaslu Kota, LO 2"}).status_code == 302
    frozen = send(PNG)
    assert frozen.status_code == 409 and "can no longer change" in frozen.get_data(True)
    designs = db.session.scalars(db.select(Design).order_by(Design.id)).all()
    assert len(designs) == 2 and designs[-1].approved_by == "Ketua KPU"
    assert designs[-1].file.endswith(".jpg") and len(designs[-1].sha256) == 64
    served = client.get(f"{page}/designs/{designs[-1].id}/file")
    assert served.status_code == 200 and served.data == JPEG
    # A contestant added after the draw has no faces in it, so no design either.
    late = Contestant(election=election, number=9, name="Tidak diundi")
    db.session.add(late)
    db.session.commit()
    assert send(PNG, url=f"{page}/designs/{late.id}").status_code == 404


# --- What the public sees ----------------------------------------------------------------------

@pytest.mark.db
def test_public_views_name_the_contestant_escaped(client, kpu, reviewer, sites, election,
                                                  monkeypatch):
    made = approved_request(kpu, reviewer, faces_of(sites(3)), election)
    drawn = campaign.run_draw(made, kpu, seed="2-7-1", witnesses=["Bawaslu"])
    db.session.commit()
    mine = next(a for a in drawn.allocations if a.contestant and a.contestant.number == 2)
    item = mine.booking
    code, label = item.face.site.code, item.face.label
    label_text = f"APK Paslon 02 — {EVIL}"

    page = client.get(f"/sites/{code}").get_data(as_text=True)
    assert "APK Paslon 02 — &lt;script&gt;alert(&#34;paslon&#34;)&lt;/script&gt; &amp; Co" in page
    assert "<script>alert" not in page

    busy = client.get(f"/api/v1/sites/{code}/availability").json
    [face] = [f for f in busy["faces"] if f["label"] == label]
    assert face["busy"][0]["contestant"] == {"number": 2, "name": EVIL, "label": label_text}
    assert face["busy"][0]["start"] == item.start_on.isoformat()

    ical = client.get(f"/sites/{code}.ics").get_data(as_text=True)
    assert "APK Paslon 02" in ical.replace("\r\n ", "")

    election_page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert f'<a href="/sites/{code}">{code}</a>' in election_page
    assert "APK Paslon 02 — &lt;script&gt;" in election_page
    assert "0812-000" not in election_page and "<script>alert" not in election_page

    # Once the use has started, the map's popup and the sites API say it too.
    monkeypatch.setattr("billboard.clock.today_wib", lambda: item.start_on)
    index = client.get("/").get_data(as_text=True)
    popup = re.search(rf'<template data-popup-for="{code}">(.*?)</template>', index, re.S)
    assert "APK Paslon 02 — &lt;script&gt;" in popup.group(1)
    feature = client.get(f"/api/v1/sites/{code}").json
    [today_face] = [f for f in feature["properties"]["faces"] if f["label"] == label]
    assert today_face["contestant"]["label"] == label_text


def test_annulled_draw_is_no_longer_public(client, kpu, reviewer, sites, election):
    made = approved_request(kpu, reviewer, faces_of(sites(3)), election)
    campaign.run_draw(made, kpu, seed="1", witnesses=["Bawaslu"])
    db.session.commit()
    campaign.annul_draw(made, kpu, reason="Salah susunan")
    db.session.commit()
    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert "APK Paslon" not in page and "C01" in page


# --- Administration pages ---------------------------------------------------------------------

def test_admin_designates_a_site_and_adds_contestants(client, admin, election):
    page = client.get("/admin/campaign-locations").get_data(as_text=True)
    assert "PGK-04" in page and "Designate this site" in page
    token = csrf_token(client, "/admin/campaign-locations")
    refused = client.post("/admin/campaign-locations/PGK-04", data={
        "csrf_token": token, "basis": "", "tier": "12"})
    assert refused.status_code == 422
    assert db.session.scalar(db.select(db.func.count(CampaignLocation.id))) == 0
    saved = client.post("/admin/campaign-locations/PGK-04", data={
        "csrf_token": token, "basis": "Keputusan Wali Kota <b>APK</b>",
        "basis_number": "188.45/9/2026", "basis_date": TODAY.isoformat(), "tier": "1"},
        follow_redirects=True)
    html = saved.get_data(as_text=True)
    assert "Keputusan Wali Kota &lt;b&gt;APK&lt;/b&gt;" in html and "tier 1" in html
    client.post("/admin/campaign-locations/PGK-04/withdraw", data={"csrf_token": token})
    assert db.session.scalar(db.select(db.func.count(CampaignLocation.id))) == 0

    election_page = f"/admin/elections/{election.id}"
    html = client.get(election_page).get_data(as_text=True)
    assert "0812-000-2" in html and "&lt;script&gt;" in html
    token = csrf_token(client, election_page)
    added = client.post(f"{election_page}/contestants", data={
        "csrf_token": token, "contestant-number": "4", "contestant-name": "Paslon Empat",
        "contestant-liaison": "Sari", "contestant-liaison_contact": "0813"}, follow_redirects=True)
    assert "Contestant 4, Paslon Empat, added" in added.get_data(as_text=True)
    taken = client.post(f"{election_page}/contestants", data={
        "csrf_token": token, "contestant-number": "4", "contestant-name": "Lain"})
    assert taken.status_code == 422 and "already has a contestant number 4" in taken.get_data(
        True)


def test_live_check_says_outside_the_campaign_period_once(client, auth, kpu, sites, election):
    auth.login(kpu.email)
    client.get("/language/en")
    faces = faces_of(sites(8))
    response = client.post("/requests/check", json={
        "category": "facilitated_campaign", "election": election.id,
        "items": [{"site": code, "face": label, "start": day(50).isoformat(),
                   "end": day(70).isoformat()} for code, label in faces]})
    assert response.status_code == 200
    data = response.get_json()
    said = " ".join([*data["problems"], *(i["line"] for i in data["items"])])
    assert said.count("only inside the campaign period of Pilwalkot 2027") == 1
    # Masa tenang falls inside these dates too: said once as well.
    assert said.count("Masa tenang Pilwalkot 2027") == 1
    assert any(p.startswith("Every item: campaign props are allowed only inside")
               for p in data["problems"])
    assert len(data["items"]) == 16 and not any(i["ok"] for i in data["items"])


def test_a_refused_request_says_a_shared_reason_once(kpu, sites, election):
    said = refusal(kpu, faces_of(sites(8)), election.id, start=50, end=70)
    assert said.count("only inside the campaign period of Pilwalkot 2027") == 1
    assert said.startswith("Every item: ")
