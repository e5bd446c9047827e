"""Indonesian first, English on request: language switch, dates in WIB, Rupiah."""
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from billboard.i18n import date_time, long_date, rupiah


def test_indonesian_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Titik baliho Kota Pangkalpinang" in html
    assert '>English</a>' in html and "Bahasa Indonesia" not in html


def test_english_link_switches_and_back(client):
    response = client.get("/language/en?next=/sites/PGK-01")
    assert response.status_code == 302 and response.location == "/sites/PGK-01"
    html = client.get("/sites/PGK-01").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<dt>Illuminated</dt><dd>Yes</dd>" in html and "Face A" in html
    assert '>Bahasa Indonesia</a>' in html

    client.get("/language/id")
    html = client.get("/sites/PGK-01").get_data(as_text=True)
    assert '<html lang="id">' in html and "<dt>Berlampu</dt><dd>Ya</dd>" in html


def test_the_language_link_returns_to_the_same_page(client):
    html = client.get("/about").get_data(as_text=True)
    assert 'href="/language/en?next=/about"' in html


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "evil",
                                    "/\\evil.example/"])
def test_language_switch_never_leaves_the_site(client, target):
    response = client.get(f"/language/en?next={target}")
    assert response.status_code == 302 and response.location == "/"


def test_unknown_language_keeps_indonesian(client):
    client.get("/language/xx")
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


def test_dates_and_money_on_the_site_page(client):
    html = client.get("/sites/PGK-01").get_data(as_text=True)
    assert "Rp 6.000.000" in html
    assert "Dari 1 " in html and "Sen</th>" in html
    client.get("/language/en")
    html = client.get("/sites/PGK-01").get_data(as_text=True)
    # Rupiah keep the Indonesian grouping in either language.
    assert "Rp 6.000.000" in html
    assert "From 1 " in html and "Mon</th>" in html


def test_filters(app):
    assert rupiah(4_000_000) == "Rp 4.000.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(-1500) == "-Rp 1.500"
    with app.test_request_context():
        with force_locale("id"):
            assert long_date(date(2024, 12, 27)) == "27 Desember 2024"
            # 07:05 UTC is 14:05 WIB.
            assert date_time(datetime(2024, 11, 27, 7, 5, tzinfo=UTC)) == (
                "27 November 2024 14.05 WIB")
            # 20:00 UTC on the 26th is already the 27th in Pangkalpinang.
            assert long_date(datetime(2024, 11, 26, 20, 0, tzinfo=UTC)) == "27 November 2024"
        with force_locale("en"):
            assert long_date(date(2024, 12, 27)) == "27 December 2024"
