"""``billboard seed`` and ``billboard import-sites``: all or nothing, every error with its line."""
from datetime import timedelta

import pytest
from support import TODAY
from test_agency import submitted

from billboard import booking, finance
from billboard.extensions import db
from billboard.models import Face, Site, SiteStatus
from billboard.sites import COLUMNS

HEADER = ",".join(COLUMNS)
GOOD = ("PGK-11,Simpang Lima Girimaya,Jl. Jenderal Sudirman Km 2,Girimaya,Girimaya,-2.1400,"
        "106.1200,4,8,ya,BMD-PGK/2024/BLH-011,active,4500000,A;B,Baru")
UPDATE_01 = ("PGK-01,Bundaran Air Mancur (baru),Jl. Jenderal Sudirman,Gedung Nasional,Taman Sari,"
             "-2.12955,106.11345,6,12,yes,BMD-PGK/2019/BLH-001,active,7000000,A;B;C,")


def counts():
    return (db.session.scalar(db.select(db.func.count(Site.id))),
            db.session.scalar(db.select(db.func.count(Face.id))))


def write_csv(tmp_path, *rows: str) -> str:
    path = tmp_path / "sites.csv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return str(path)


def import_sites(runner, path: str):
    return runner.invoke(args=["billboard", "import-sites", path])


def test_seed_is_idempotent(runner):
    before = counts()
    assert before == (10, 16)
    result = runner.invoke(args=["billboard", "seed"])
    assert result.exit_code == 0, result.output
    assert "0 new site(s)" in result.output
    assert counts() == before


def test_seed_never_overwrites_an_edited_site(runner):
    db.session.get(Site, 1).name = "Nama baru"
    db.session.commit()
    runner.invoke(args=["billboard", "seed"])
    db.session.expire_all()
    assert db.session.get(Site, 1).name == "Nama baru"


def test_import_creates_and_updates_by_code(runner, tmp_path):
    result = import_sites(runner, write_csv(tmp_path, GOOD, UPDATE_01))
    assert result.exit_code == 0, result.output
    assert "2 site(s): 1 new, 1 updated" in result.output
    db.session.expire_all()
    assert counts() == (11, 19)
    updated = db.session.scalar(db.select(Site).filter_by(code="PGK-01"))
    assert (updated.name, updated.width_m) == ("Bundaran Air Mancur (baru)", 6)
    # The new rate holds from today; the rate of earlier days stays what it was.
    assert finance.rates_on(TODAY)[updated.id] == 7_000_000
    assert finance.rates_on(TODAY - timedelta(days=1))[updated.id] == 6_000_000
    assert [f.label for f in updated.faces] == ["A", "B", "C"]
    new = db.session.scalar(db.select(Site).filter_by(code="PGK-11"))
    assert new.illuminated is True and new.kecamatan == "Girimaya"
    # Importing the same file again changes nothing.
    assert import_sites(runner, write_csv(tmp_path, GOOD, UPDATE_01)).exit_code == 0
    assert counts() == (11, 19)


def with_field(column: str, value: str, row: str = GOOD) -> str:
    values = row.split(",")
    values[COLUMNS.index(column)] = value
    return ",".join(values)


@pytest.mark.db
@pytest.mark.parametrize("column, value, message", [
    ("name", "", "line 3: name is missing"),
    ("lon", "10.5", "line 3: coordinates -2.14, 10.5 are outside Indonesia"),
    ("width_m", "-4", "line 3: width_m must be positive"),
    ("code", "PGK-11", "line 3: duplicate code PGK-11 (first on line 2)"),
    ("monthly_rate_idr", "empat juta", "line 3: monthly_rate_idr is not a number"),
    ("height_m", "8m", "line 3: height_m is not a number"),
    ("illuminated", "kadang", "line 3: illuminated must be yes or no"),
    ("address", "Jl. " + "x" * 300, "line 3: address is longer than 300 characters"),
])
def test_any_bad_row_and_nothing_is_written(runner, tmp_path, column, value, message):
    bad_row = with_field(column, value, with_field("code", "PGK-12"))
    # Neither the good new site before it nor the update after it may be written.
    result = import_sites(runner, write_csv(tmp_path, GOOD, bad_row, UPDATE_01))
    assert result.exit_code != 0
    assert message in result.output
    assert "Nothing was imported." in result.output
    db.session.expire_all()
    assert counts() == (10, 16)
    assert db.session.get(Site, 1).name == "Bundaran Air Mancur"


def test_a_row_retiring_a_site_with_use_to_come_is_refused_as_the_retire_button_is(
        runner, tmp_path, kpu):
    pending = submitted(kpu, ("PGK-01", "B", TODAY + timedelta(days=10),
                              TODAY + timedelta(days=12)))
    path = write_csv(tmp_path, GOOD, with_field("status", "retired", UPDATE_01))
    result = import_sites(runner, path)
    assert result.exit_code != 0
    assert ("line 3: PGK-01 still has 1 pending or approved use that has not ended"
            in result.output)
    db.session.expire_all()
    assert counts() == (10, 16)
    assert db.session.scalar(db.select(Site.status).filter_by(code="PGK-01")) == \
        SiteStatus.ACTIVE
    # Once the use is out of the way the same file retires it.
    booking.withdraw_request(pending, kpu)
    db.session.commit()
    assert import_sites(runner, path).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(db.select(Site.status).filter_by(code="PGK-01")) == \
        SiteStatus.RETIRED


def test_every_error_is_reported_with_its_line(runner, tmp_path):
    result = import_sites(runner, write_csv(
        tmp_path, with_field("lat", "x"), with_field("code", "PGK-13", with_field("width_m", "0"))))
    assert result.exit_code != 0
    assert "line 2: lat is not a number" in result.output
    assert "line 3: width_m must be positive" in result.output


def test_a_file_without_the_required_columns_is_refused(runner, tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("code,name\nPGK-11,Baru\n", encoding="utf-8")
    result = import_sites(runner, str(path))
    assert result.exit_code != 0
    assert "line 1: missing column(s): address" in result.output
    assert counts() == (10, 16)


@pytest.mark.db
@pytest.mark.parametrize("column, value, message", [
    ("lat", "nan", "line 3: lat is not a number: 'nan'"),
    ("lon", "inf", "line 3: lon is not a number: 'inf'"),
    ("width_m", "-Infinity", "line 3: width_m is not a number"),
    ("height_m", "1e999", "line 3: height_m is not a number"),
    ("monthly_rate_idr", "9" * 30, "line 3: monthly_rate_idr must be from 0 to"),
    ("name", '"Simpang\nLima"', "line 3: name: Must be a single line"),
    ("address", '"Jl. A\r\nJl. B"', "line 3: address: Must be a single line"),
    ("kelurahan", "Giri\x00maya", "line 3: kelurahan: Contains a character that is not allowed"),
    ("asset_register_no", "BMD\u202e110", "line 3: asset_register_no: Contains a character"),
    ("description", "Baru\x1b[2J", "line 3: description: Contains a character"),
])
def test_hostile_values_are_errors_of_their_line(runner, tmp_path, column, value, message):
    bad_row = with_field(column, value, with_field("code", "PGK-12"))
    result = import_sites(runner, write_csv(tmp_path, GOOD, bad_row))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert message in result.output and "Traceback" not in result.output
    assert "Nothing was imported." in result.output
    assert counts() == (10, 16)


def test_a_multi_line_description_is_kept(runner, tmp_path):
    row = with_field("description", '"Dua sisi.\nMenghadap jalan."')
    assert import_sites(runner, write_csv(tmp_path, row)).exit_code == 0
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-11"))
    assert site.description == "Dua sisi.\nMenghadap jalan."


@pytest.mark.parametrize("content, message", [
    (b"code,name\n\xff\xfe,\x80\n", "the file is not UTF-8 text"),
    (("\n".join((HEADER, with_field("description", '"' + "x" * 200_000 + '"'))) + "\n")
     .encode(), "the file is not readable CSV"),
])
def test_an_unreadable_file_is_one_clean_message(runner, tmp_path, content, message):
    path = tmp_path / "sites.csv"
    path.write_bytes(content)
    result = import_sites(runner, str(path))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert message in result.output and "Traceback" not in result.output
    assert counts() == (10, 16)


def test_the_geojson_of_imported_sites_stays_json(runner, tmp_path, client):
    import json

    assert import_sites(runner, write_csv(tmp_path, with_field("lat", "-2.5"))).exit_code == 0
    json.loads(client.get("/api/v1/sites").get_data(as_text=True),
               parse_constant=lambda name: pytest.fail(f"{name} in the GeoJSON"))
