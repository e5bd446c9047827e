"""The public pages: the map page's table, the site page, the about page, errors."""
import os
import re
from datetime import timedelta

import pytest
from public_data import letter, occupy
from sqlalchemy import event
from support import TODAY

from billboard.extensions import db
from billboard.models import Blackout, BookingKind, BookingStatus, Category, Site, SiteStatus

NASTY = "<script>alert(1)</script>{{7*7}}${1+1}`"
NASTY_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}${1+1}`"


@pytest.fixture
def today():
    return TODAY


def row_of(html: str, code: str) -> str:
    return re.search(rf'<tr id="site-{code}">(.*?)</tr>', html, re.S).group(1)


def test_index_lists_every_site_in_indonesian(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in html
    codes = re.findall(r'<tr id="site-(PGK-\d\d)">', html)
    assert codes == [f"PGK-{n:02d}" for n in range(1, 11)]
    assert '<a href="/sites/PGK-01">Bundaran Air Mancur</a>' in html
    assert "Keterangan" in html and "setidaknya satu sisi kosong hari ini" in html
    assert "5 × 10 m" in row_of(html, "PGK-01")


def test_index_shows_todays_state_and_holder(client, make_user, today):
    user = make_user()
    kpu = letter(user, "Sosialisasi tahapan Pilkada")
    # PGK-01: both faces occupied -> taken; PGK-04: one face of two -> still free.
    occupy("PGK-01", "A", today - timedelta(days=3), today + timedelta(days=10), request=kpu)
    occupy("PGK-01", "B", today, today, tenant="PT Sinar Bangka")
    occupy("PGK-04", "A", today, today + timedelta(days=1), tenant="PT Sinar Bangka")
    # PGK-03 has one face, blocked for maintenance; PGK-02 is under maintenance as a site.
    occupy("PGK-03", "A", today, today, kind=BookingKind.MAINTENANCE, tenant=None)
    db.session.get(Site, 2).status = SiteStatus.MAINTENANCE
    db.session.commit()

    html = client.get("/").get_data(as_text=True)
    taken = row_of(html, "PGK-01")
    assert '<strong class="state-taken">Terpakai</strong>' in taken
    assert "KPU Kota Pangkalpinang" in taken and "Sosialisasi tahapan Pilkada" in taken
    assert "PT Sinar Bangka" in taken
    assert '<strong class="state-free">Kosong</strong>' in row_of(html, "PGK-04")
    assert '<strong class="state-maintenance">Pemeliharaan</strong>' in row_of(html, "PGK-02")
    assert '<strong class="state-maintenance">Pemeliharaan</strong>' in row_of(html, "PGK-03")
    assert '<strong class="state-free">Kosong</strong>' in row_of(html, "PGK-05")


def test_pending_and_ended_use_is_never_shown(client, make_user, today):
    user = make_user()
    secret = letter(user, "Rencana yang belum disetujui")
    occupy("PGK-05", "A", today, today + timedelta(days=5), request=secret,
           status=BookingStatus.SUBMITTED)
    occupy("PGK-06", "A", today - timedelta(days=9), today - timedelta(days=1),
           tenant="PT Sudah Selesai")
    for url in ("/", "/sites/PGK-05", "/api/v1/sites", "/api/v1/sites/PGK-05/availability"):
        assert "Rencana yang belum disetujui" not in client.get(url).get_data(as_text=True)
    assert "PT Sudah Selesai" not in client.get("/").get_data(as_text=True)
    assert '<strong class="state-free">' in row_of(client.get("/").get_data(as_text=True),
                                                   "PGK-05")


def test_typed_text_is_escaped_on_every_public_page(client, make_user, today):
    user = make_user(org=NASTY)
    request = letter(user, NASTY)
    occupy("PGK-01", "A", today, today + timedelta(days=3), request=request)
    site = db.session.get(Site, 1)
    site.name = site.address = NASTY
    db.session.commit()

    for url in ("/", "/sites/PGK-01"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html
        assert NASTY_ESCAPED in html
    index = client.get("/").get_data(as_text=True)
    popup = re.search(r'<template data-popup-for="PGK-01">(.*?)</template>', index, re.S).group(1)
    assert popup.count(NASTY_ESCAPED) == 4  # name, address, organisation, purpose
    # The Folium part of the page never sees the typed text.
    folium_script = index.split('<script>', 1)[1].split("</script>", 1)[0]
    assert "alert" not in folium_script and "PGK-01" in folium_script


def test_site_page_details_and_calendar(client, make_user, today):
    user = make_user()
    kpu = letter(user, "Pendidikan pemilih")
    first = today.replace(day=1)
    busy_start = first + timedelta(days=40)
    occupy("PGK-01", "B", busy_start, busy_start + timedelta(days=2), request=kpu)
    occupy("PGK-01", "A", busy_start, busy_start, kind=BookingKind.MAINTENANCE, tenant=None)

    html = client.get("/sites/PGK-01").get_data(as_text=True)
    for fact in ("Bundaran Air Mancur", "Jl. Jenderal Sudirman (Bundaran Air Mancur)",
                 "Gedung Nasional / Taman Sari", "5 × 10 m", "BMD-PGK/2019/BLH-001",
                 "Rp 6.000.000", "<dt>Berlampu</dt><dd>Ya</dd>"):
        assert fact in html
    assert 'href="/sites/PGK-01.ics"' in html
    assert html.count('<table class="month">') == 6  # three months for each of two faces
    assert html.count('<td class="busy') == 4
    face_b = html.split('id="face-B"')[1]
    assert "KPU Kota Pangkalpinang — <span class=\"purpose\">Pendidikan pemilih</span>" in face_b
    assert 'title="KPU Kota Pangkalpinang"' in face_b
    face_a = html.split('id="face-A"')[1].split('id="face-B"')[0]
    assert 'class="busy busy-maintenance"' in face_a and "Pemeliharaan" in face_a


def test_site_page_shows_its_blackouts_legend_and_how_to_ask_for_it(client, today):
    soon = today + timedelta(days=20)
    db.session.add_all([
        Blackout(name="Perbaikan rangka PGK-01", site=db.session.get(Site, 1),
                 start_on=soon, end_on=soon + timedelta(days=2)),
        Blackout(name="Perbaikan rangka PGK-02", site=db.session.get(Site, 2),
                 start_on=soon, end_on=soon + timedelta(days=2)),
        Blackout(name="Masa tenang uji", category=Category.FACILITATED_CAMPAIGN,
                 start_on=soon, end_on=soon),
        Blackout(name="Sudah lewat", start_on=today - timedelta(days=400),
                 end_on=today - timedelta(days=399)),
    ])
    db.session.commit()
    html = client.get("/sites/PGK-01").get_data(as_text=True)
    blackouts = html.split('class="blackouts"')[1].split("</div>")[0]
    assert "Perbaikan rangka PGK-01" in blackouts and "Masa tenang uji" in blackouts
    assert "hanya untuk: Alat peraga kampanye" in blackouts
    assert "PGK-02" not in blackouts and "Sudah lewat" not in blackouts
    assert "Arti warna kalender" in html and "pemeliharaan" in html
    assert "5 × 10 m · 2 sisi: A, B" in html  # the photo's caption: size and faces
    assert 'href="/requests/new?site=PGK-01">Ajukan permohonan</a>' in html
    assert "Rp 6.000.000 per bulan" in html and 'href="/about#sewa"' in html
    assert "CONTOH — (0717) 000000" in html  # Bakeuda's phone, from the settings


def test_asking_from_a_site_page_ticks_its_faces(client, kpu, auth):
    assert client.get("/requests/new?site=PGK-01").status_code == 302  # log in first
    auth.login(kpu.email)
    html = client.get("/requests/new?site=PGK-01").get_data(as_text=True)
    assert re.findall(r'name="faces" value="([^"]+)"\s+checked', html) == ["PGK-01/A", "PGK-01/B"]


def test_site_page_for_unknown_or_retired_site_is_404(client):
    db.session.get(Site, 10).status = SiteStatus.RETIRED
    db.session.commit()
    for url in ("/sites/PGK-99", "/sites/PGK-10", "/sites/PGK-10/photo"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.mimetype == "text/html"
    assert "PGK-10" not in client.get("/").get_data(as_text=True)


def test_site_photo_is_shown_when_there_is_one(app, client):
    without = client.get("/sites/PGK-02").get_data(as_text=True)
    assert '<img class="site-photo"' not in without and "site-photo-missing" in without
    assert client.get("/sites/PGK-02/photo").status_code == 404
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(os.path.join(folder, "sites"), exist_ok=True)
    with open(os.path.join(folder, "sites", "pgk-02.jpg"), "wb") as photo:
        photo.write(b"\xff\xd8\xff\xe0 not really a jpeg")
    db.session.get(Site, 2).photo = "sites/pgk-02.jpg"
    db.session.commit()
    assert '<img class="site-photo" src="/sites/PGK-02/photo?v=' in client.get(
        "/sites/PGK-02").get_data(as_text=True)
    response = client.get("/sites/PGK-02/photo")
    assert response.status_code == 200 and response.data.startswith(b"\xff\xd8")


def test_information_page_tells_a_citizen_who_may_use_the_sites_and_how(client):
    html = client.get("/about").get_data(as_text=True)
    for said in ("pinjam pakai", "sewa", "masa tenang", "Hubungi Bakeuda",
                 "daftar resmi titik baliho milik kota", "contoh"):
        assert said in html
    assert 'href="/login?next=/requests/new"' in html
    assert "flask --app" not in html  # no shell commands for citizens
    assert 'href="/api/v1/sites"' in html and 'href="/api/v1/openapi.json"' in html


def test_error_pages_speak_to_their_audience(client, kpu, auth):
    public = client.get("/sites/PGK-99").get_data(as_text=True)
    assert "tidak kami temukan" in public and "instansi lain" not in public
    assert 'href="/about"' in public
    auth.login(kpu.email)
    staff = client.get("/requests/999").get_data(as_text=True)
    assert "milik instansi lain" in staff and 'href="/requests"' in staff
    assert client.get("/review").status_code == 403
    assert "peran yang diperlukan" in client.get("/review").get_data(as_text=True)


def test_healthz_answers_without_the_database(app, client):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert statements == []


def test_phones_may_zoom_the_page(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('name="viewport"') == 1
    assert "user-scalable=no" not in html
    # Folium's global html/body styles would break the page layout; they are left out.
    assert "html, body" not in html


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg")
