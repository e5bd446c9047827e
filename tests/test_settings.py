"""Settings an administrator edits (billboard.settings): Bakeuda's contact details on the
public information page, placeholders until they are set, every change audited."""
import pytest

from billboard import settings
from billboard.extensions import db
from billboard.models import AuditEvent, Setting

CONTACT = {
    "contact__office": "Badan Keuangan Daerah Kota Pangkalpinang",
    "contact__address": "Jl. Rasakunda No. 1\nPangkalpinang 33121",
    "contact__phone": "(0717) 421234",
    "contact__email": "bakeuda@pangkalpinangkota.go.id",
    "contact__hours": "Senin–Jumat 08.00–16.00 WIB",
    # The rest of the page: the official documents' letterhead, signatory and copies.
    "letterhead__government": "Pemerintah Kota Pangkalpinang",
    "letterhead__agency": "Badan Keuangan Daerah",
    "letterhead__address": "Jl. Rasakunda No. 1, Pangkalpinang 33121",
    "letterhead__phone": "(0717) 421234",
    "letterhead__email": "bakeuda@pangkalpinangkota.go.id",
    "letterhead__website": "bakeuda.pangkalpinangkota.go.id",
    "letterhead__place": "Pangkalpinang",
    "signatory__on_behalf": "a.n. Wali Kota Pangkalpinang",
    "signatory__position": "Kepala Badan Keuangan Daerah",
    "signatory__name": "Drs. Budi Santoso, M.Si.",
    "signatory__rank": "Pembina Utama Muda (IV/c)",
    "signatory__nip": "19700101 199503 1 001",
    "tembusan__lines": "Wali Kota Pangkalpinang\nArsip",
}


def test_until_set_the_information_page_shows_placeholders_that_say_so(client):
    html = client.get("/about").get_data(as_text=True)
    assert html.count("CONTOH") == 4  # address, phone, email, hours
    assert 'href="mailto:' not in html  # a placeholder is not a working address


def test_every_known_setting_has_a_label_and_a_placeholder_or_real_default():
    assert len(settings.KNOWN) == sum(len(group.settings) for group in settings.GROUPS)
    for known in settings.KNOWN.values():
        assert known.key.count(".") == 1 and str(known.label) and known.default


@pytest.mark.db
def test_admin_sets_the_contact_and_the_public_page_shows_it(client, admin):
    page = client.get("/admin/settings").get_data(as_text=True)
    # Contact 4, letterhead 4, signatory 4, copies 1.
    assert page.count("Still the placeholder") == 14
    response = client.post("/admin/settings", data=CONTACT, follow_redirects=True)
    assert "Settings saved." in response.get_data(as_text=True)
    assert settings.group("contact")["contact.phone"] == "(0717) 421234"

    client.get("/language/id")
    html = client.get("/about").get_data(as_text=True)
    assert "CONTOH" not in html
    assert "Jl. Rasakunda No. 1\nPangkalpinang 33121" in html
    assert ('<a href="mailto:bakeuda@pangkalpinangkota.go.id">bakeuda@pangkalpinangkota.go.id</a>'
            in html)
    [event] = db.session.scalars(db.select(AuditEvent).filter_by(
        action="setting.change", object_type="setting").where(
        AuditEvent.detail.startswith("contact.phone"))).all()
    assert event.actor_id == admin.id and "'(0717) 421234'" in event.detail

    # Saving the same values again changes and audits nothing.
    client.get("/language/en")
    before = db.session.scalar(db.select(db.func.count(AuditEvent.id)))
    response = client.post("/admin/settings", data=CONTACT, follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == before


def test_a_blank_or_overlong_setting_is_refused_and_nothing_is_saved(client, admin):
    for bad in ({**CONTACT, "contact__phone": "  "},
                {**CONTACT, "contact__address": "x" * (settings.MAX_LENGTH + 1)}):
        response = client.post("/admin/settings", data=bad)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "This field is required." in text or "cannot be longer than 2000" in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Setting)) == 0


def test_settings_page_is_for_administrators_only(client, reviewer, auth):
    auth.login(reviewer.email)
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings", data=CONTACT).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Setting)) == 0


def test_check_stops_warning_once_the_contact_and_the_emblem_are_set(client, admin, runner):
    from test_emblem import image_bytes, upload

    client.post("/admin/settings", data=CONTACT)
    assert settings.placeholders() == []
    assert "placeholder emblem" in runner.invoke(args=["billboard", "check"]).output
    upload(client, image_bytes())
    result = runner.invoke(args=["billboard", "check"])
    assert "placeholder" not in result.output
