"""Administration of organisations and users: create, change role, reset password,
deactivate; every change audited, every refusal leaves things as they were."""
import re

import pytest
from support import PASSWORD, count

from billboard.extensions import db
from billboard.models import AuditEvent, Organization, Role, User

NEW_PASSWORD = "tiga-baliho-di-bundaran-air-mancur"


def audit_rows(action):
    return db.session.scalars(db.select(AuditEvent).filter_by(action=action)).all()


@pytest.mark.db
def test_admin_creates_an_organisation(client, admin):
    response = client.post("/admin/organizations",
                           data={"name": "  Dinas  Kominfo ", "kind": "government"},
                           follow_redirects=True)
    assert "Organisation Dinas Kominfo created." in response.get_data(as_text=True)
    org = db.session.scalar(db.select(Organization).filter_by(name="Dinas Kominfo"))
    assert org.kind == "government" and org.is_active
    [created] = audit_rows("organization.created")
    assert created.actor_id == admin.id and created.object_id == org.id


def test_duplicate_or_bad_organisation_is_refused(client, admin):
    before = count(Organization)
    response = client.post("/admin/organizations",
                           data={"name": "Bakeuda Kota Pangkalpinang", "kind": "bakeuda"})
    assert "already exists" in response.get_data(as_text=True)
    assert client.post("/admin/organizations",
                       data={"name": "X", "kind": "alien"}).status_code == 200
    assert count(Organization) == before


@pytest.mark.db
def test_admin_creates_a_user_who_can_log_in(app, client, admin, make_org):
    kpu = make_org()
    response = client.post("/admin/users/new", data={
        "email": "Rina@KPU.example", "name": "Rina", "role": "agency",
        "organization": kpu.id, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    user = db.session.scalar(db.select(User).filter_by(email="rina@kpu.example"))
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.role == Role.AGENCY and user.organization == kpu
    assert audit_rows("user.created")[0].actor_id == admin.id
    other = app.test_client()
    assert other.post("/login", data={"email": "rina@kpu.example",
                                      "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize(("fields", "message"), [
    ({"role": "reviewer"}, "does not fit an organisation of kind Government body"),
    ({"new_password": "short", "confirm": "short"}, "Use at least 12 characters."),
    ({"confirm": "something-else-entirely"}, "The two passwords differ."),
    ({"email": "admin@bakeuda.example"}, "already exists"),
    ({"email": "not-an-email"}, "Enter a valid email address."),
])
def test_refused_user_is_not_created(client, admin, make_org, fields, message):
    kpu = make_org()
    before = count(User)
    data = {"email": "rina@kpu.example", "name": "Rina", "role": "agency",
            "organization": kpu.id, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
            **fields}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(User) == before
    assert not audit_rows("user.created")


def test_role_change_is_audited_and_checked_against_the_organisation(client, admin,
                                                                     make_user):
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/role", data={"role": "admin"},
                           follow_redirects=True)
    assert "Role saved." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).role == Role.ADMIN
    [changed] = audit_rows("user.role_changed")
    assert (changed.from_state, changed.to_state, changed.actor_id) == ("agency", "admin",
                                                                        admin.id)
    response = client.post(f"/admin/users/{user.id}/role", data={"role": "reviewer"},
                           follow_redirects=True)
    assert "does not fit" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).role == Role.ADMIN
    assert len(audit_rows("user.role_changed")) == 1


def test_admin_cannot_lock_themselves_out(client, admin):
    for path, data in ((f"/admin/users/{admin.id}/role", {"role": "agency"}),
                       (f"/admin/users/{admin.id}/deactivate", {"confirmed": "1"}),
                       (f"/admin/organizations/{admin.organization_id}/deactivate",
                        {"confirmed": "1"})):
        client.post(path, data=data)
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN and admin.is_active and admin.organization.is_active
    assert client.get("/admin/").status_code == 200


def test_password_reset_logs_the_user_out_everywhere(app, client, admin, make_user):
    user = make_user()
    their_browser = app.test_client()
    their_browser.post("/login", data={"email": user.email, "password": PASSWORD})
    assert their_browser.get("/account").status_code == 200
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert their_browser.get("/account").status_code == 302
    assert their_browser.post("/login", data={"email": user.email,
                                              "password": NEW_PASSWORD}).status_code == 302
    [reset] = audit_rows("user.password_reset")
    assert reset.actor_id == admin.id and reset.object_id == user.id


def test_weak_reset_password_is_refused(client, admin, make_user):
    user = make_user()
    before = user.password_hash
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"new_password": "password1234", "confirm": "password1234"})
    assert "among the most common" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == before


def test_deactivating_a_user_ends_their_session_until_reactivated(app, client, admin,
                                                                  make_user):
    user = make_user()
    their_browser = app.test_client()
    their_browser.post("/login", data={"email": user.email, "password": PASSWORD})
    client.post(f"/admin/users/{user.id}/deactivate", data={"confirmed": "1"})
    assert their_browser.get("/account").status_code == 302
    assert their_browser.post("/login", data={"email": user.email,
                                              "password": PASSWORD}).status_code == 200
    client.post(f"/admin/users/{user.id}/activate")
    assert their_browser.post("/login", data={"email": user.email,
                                              "password": PASSWORD}).status_code == 302
    assert [e.to_state for e in audit_rows("user.deactivated") + audit_rows("user.activated")] \
        == ["inactive", "active"]


def test_deactivating_an_organisation_locks_out_its_users(app, client, admin, make_user):
    user = make_user()
    response = client.post(f"/admin/organizations/{user.organization_id}/deactivate",
                           data={"confirmed": "1"}, follow_redirects=True)
    assert "its users can no longer log in" in response.get_data(as_text=True)
    assert app.test_client().post("/login", data={"email": user.email,
                                                  "password": PASSWORD}).status_code == 200
    assert audit_rows("organization.deactivated")[0].object_id == user.organization_id


def test_pages_list_organisations_and_users(client, admin, make_user):
    user = make_user(name="Rina Kartika")
    users = client.get("/admin/users").get_data(as_text=True)
    assert "Rina Kartika" in users and "KPU Kota Pangkalpinang" in users
    assert "KPU Kota Pangkalpinang" in client.get("/admin/organizations").get_data(as_text=True)
    detail = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "staf@kpu.example" in detail
    assert re.search(r'<option selected value="agency">', detail)
    assert client.get("/admin/users/999999").status_code == 404
