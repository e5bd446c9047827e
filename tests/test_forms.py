"""The forms' shared pieces (billboard/forms.py): WTForms' own messages in Indonesian, dates
written the Indonesian way, Rupiah typed with thousands dots."""
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from support import TODAY

from billboard.forms import parse_date, parse_rupiah


@pytest.mark.parametrize(("text", "expected"), [
    ("27 November 2024", date(2024, 11, 27)),
    ("27 november 2024", date(2024, 11, 27)),
    ("  1   Agustus 2025 ", date(2025, 8, 1)),
    ("1 Agt 2025", date(2025, 8, 1)),
    ("5 Mei 2026", date(2026, 5, 5)),
    ("5 May 2026", date(2026, 5, 5)),
    ("27-11-2024", date(2024, 11, 27)),
    ("27/11/2024", date(2024, 11, 27)),
    ("3.2.2026", date(2026, 2, 3)),
    ("2024-11-27", date(2024, 11, 27)),
    ("31 Februari 2026", None),
    ("2026-02-30", None),
    ("11/27/2024", None),  # month first is not how Indonesians write a date
    ("27 Movember 2024", None),
    ("besok", None),
    ("", None),
])
def test_dates_are_read_as_people_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("12.000.000", 12_000_000),
    ("Rp 12.000.000", 12_000_000),
    ("Rp12.000.000,-", 12_000_000),
    ("rp. 12.000.000,00", 12_000_000),
    ("12000000", 12_000_000),
    ("0", 0),
    ("12.000.00", None),
    ("12,5", None),
    ("1.2", None),
    ("-5", None),
    ("dua juta", None),
])
def test_rupiah_is_read_with_thousands_dots(text, expected):
    assert parse_rupiah(text) == expected


def test_wtforms_own_messages_are_indonesian(client, admin):
    client.get("/language/id")
    response = client.post("/admin/organizations", data={"name": "", "kind": "government"})
    text = response.get_data(as_text=True)
    assert "Isian ini wajib diisi." in text and "This field is required." not in text
    response = client.post("/admin/organizations", data={"name": "x" * 201, "kind": "government"})
    assert "Isian ini paling panjang 200 karakter." in response.get_data(as_text=True)


def test_dates_are_shown_the_indonesian_way_and_read_back(client, admin):
    client.get("/language/id")
    page = client.get("/admin/elections/1").get_data(as_text=True)
    assert 'value="28 November 2023"' in page  # Pemilu 2024's campaign start, as seeded
    assert 'type="date"' not in page  # no browser picker that shows mm/dd/yyyy
    response = client.post("/admin/blackouts/new", data={
        "name": "Perbaikan rangka", "site": "", "category": "",
        "start_on": (TODAY + timedelta(days=40)).strftime("%d-%m-%Y"),
        "end_on": "31 Februari 2030"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Tulis tanggal seperti 27 November 2024 atau 27-11-2024." in text
    # What was typed is shown again as typed.
    assert f'value="{(TODAY + timedelta(days=40)).strftime("%d-%m-%Y")}"' in text


def test_live_check_reads_the_dates_as_typed(client, kpu, auth):
    auth.login(kpu.email)
    start = TODAY + timedelta(days=10)
    response = client.post("/requests/check", json={"category": "voter_education", "items": [
        {"site": "PGK-01", "face": "A", "start": start.strftime("%d-%m-%Y"),
         "end": format_date(start, "d MMMM y", locale="id")}]})
    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert item["ok"] and item["start"] == item["end"] == start.isoformat()
