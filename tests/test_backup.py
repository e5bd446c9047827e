"""``billboard backup DIR`` / ``billboard restore DIR``: a round trip that loses nothing."""
import io
import json
import os
from datetime import timedelta

import pytest
from support import PDF, PNG, TODAY

from billboard import create_app
from billboard.extensions import db
from billboard.models import Request


def _rows(application) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with application.app_context():
        tables = {table.name: sorted(map(tuple, db.session.execute(table.select())), key=repr)
                  for table in db.metadata.sorted_tables}
        db.session.remove()
        return tables


def _files(folder) -> dict[str, bytes]:
    found = {}
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            with open(os.path.join(parent, name), "rb") as stream:
                found[os.path.relpath(os.path.join(parent, name), folder)] = stream.read()
    return found


@pytest.fixture
def with_data(app, client, kpu, auth):
    """A request with a letter and an artwork, uploaded through the agency form."""
    auth.login(kpu.email)
    start = TODAY + timedelta(days=10)
    response = client.post("/requests/new", data={
        "purpose": "Sosialisasi tahapan Pilkada", "category": "voter_education",
        "letter_number": "001/PL.01/KPU/2026", "letter_date": TODAY.isoformat(),
        "letter": (io.BytesIO(PDF), "surat.pdf"), "artwork": (io.BytesIO(PNG), "desain.png"),
        "start": start.isoformat(), "end": (start + timedelta(days=5)).isoformat(),
        "faces": ["PGK-01/A", "PGK-02/A"]})
    assert response.status_code == 302
    db.session.remove()
    return app


def _elsewhere(tmp_path):
    """A second installation: its own (not yet existing) database file and upload folder."""
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/restored.sqlite",
                       "UPLOAD_FOLDER": str(tmp_path / "restored-uploads")})


def _restore_elsewhere(restored, target):
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["billboard", "restore", str(target)])
        db.session.remove()
        db.engine.dispose()
    return result


def test_a_round_trip_loses_nothing(with_data, runner, tmp_path):
    target = tmp_path / "backup" / "2026-12-01"
    made = runner.invoke(args=["billboard", "backup", str(target)])
    assert made.exit_code == 0, made.output
    assert "2 uploaded file(s)" in made.output
    assert json.loads((target / "manifest.json").read_text())["revision"]

    restored = _elsewhere(tmp_path)
    result = _restore_elsewhere(restored, target)
    assert result.exit_code == 0, result.output

    assert _rows(restored) == _rows(with_data)
    assert len(_rows(restored)["booking"]) == 2
    assert _files(restored.config["UPLOAD_FOLDER"]) == _files(with_data.config["UPLOAD_FOLDER"])
    with restored.app_context():
        letter = db.session.scalar(db.select(Request.letter_file))
        assert (_files(restored.config["UPLOAD_FOLDER"])[letter]) == PDF
        db.session.remove()


def test_restore_refuses_a_database_holding_data_unless_forced(with_data, runner, tmp_path):
    target = tmp_path / "backup"
    assert runner.invoke(args=["billboard", "backup", str(target)]).exit_code == 0
    before = _rows(with_data)

    refused = runner.invoke(args=["billboard", "restore", str(target)])
    assert refused.exit_code == 1
    assert "already holds data" in refused.output and "--force" in refused.output

    forced = runner.invoke(args=["billboard", "restore", "--force", str(target)])
    assert forced.exit_code == 0, forced.output
    assert _rows(with_data) == before


def test_backup_refuses_a_folder_that_holds_something(with_data, runner, tmp_path):
    (tmp_path / "occupied").mkdir()
    (tmp_path / "occupied" / "notes.txt").write_text("keep me")
    result = runner.invoke(args=["billboard", "backup", str(tmp_path / "occupied")])
    assert result.exit_code == 1 and "is not an empty folder" in result.output
    assert os.listdir(tmp_path / "occupied") == ["notes.txt"]


@pytest.mark.parametrize("damage", ["database", "upload", "manifest"])
def test_a_damaged_backup_is_refused_and_nothing_restored(with_data, runner, tmp_path, damage):
    target = tmp_path / "backup"
    assert runner.invoke(args=["billboard", "backup", str(target)]).exit_code == 0
    if damage == "database":
        with open(target / "billboard.sqlite", "ab") as stream:
            stream.write(b"\0")
    elif damage == "upload":
        os.remove(target / "uploads" / sorted(os.listdir(target / "uploads"))[0])
    else:
        (target / "manifest.json").write_text("{")
    restored = _elsewhere(tmp_path)
    result = _restore_elsewhere(restored, target)
    assert result.exit_code == 1
    assert "damaged" in result.output or "no readable manifest.json" in result.output
    assert not (tmp_path / "restored.sqlite").exists()
    assert not (tmp_path / "restored-uploads").exists()


@pytest.mark.db
def test_postgresql_points_to_pg_dump(app, runner, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    result = runner.invoke(args=["billboard", "backup", str(tmp_path / "b")])
    assert result.exit_code == 1 and "pg_dump" in result.output
    assert not (tmp_path / "b").exists()
