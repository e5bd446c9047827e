from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager
from wtforms import SelectChoice

from ..audit import Action
from ..auth.accounts import (
    AccountError,
    change_role,
    create_organization,
    create_user,
    set_organization_active,
    set_password,
    set_user_active,
)
from ..auth.permissions import acting_user
from ..confirm import ask_first
from ..extensions import db
from ..labels import ORGANIZATION_KIND_NAMES
from ..models import Organization, User
from ..unit_of_work import unit_of_work
from . import bp
from .forms import OrganizationForm, ResetPasswordForm, RoleForm, UserForm


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.route("/organizations", methods=["GET", "POST"])
def organizations():
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                org = create_organization(form.name.data, form.kind.data, acting_user())
        except AccountError as refused:
            form.name.errors.append(str(refused))
        else:
            flash(_("Organisation %(name)s created.", name=org.name), "success")
            return redirect(url_for("admin.organizations"))
    orgs = db.session.scalars(db.select(Organization).order_by(Organization.name)).all()
    # One grouped count rather than loading every organisation's users.
    user_counts = dict(db.session.execute(
        db.select(User.organization_id, db.func.count(User.id)).group_by(User.organization_id)
    ).all())
    return render_template("admin/organizations.html", form=form, organizations=orgs,
                           user_counts=user_counts, kind_names=ORGANIZATION_KIND_NAMES)


@bp.post("/organizations/<int:org_id>/deactivate", defaults={"active": False})
@bp.post("/organizations/<int:org_id>/activate", defaults={"active": True})
def organization_active(org_id: int, active: bool):
    org = db.get_or_404(Organization, org_id)
    if not active and (question := ask_first(
            _("Deactivate %(name)s?", name=org.name), back=url_for("admin.organizations"),
            consequence=_("Its users can no longer log in until it is activated again."),
            button=_("Deactivate"))):
        return question
    try:
        with unit_of_work():
            set_organization_active(org, active, acting_user())
    except AccountError as refused:
        flash(str(refused), "error")
    else:
        flash(_("%(name)s is active again.", name=org.name) if active else
              _("%(name)s is deactivated: its users can no longer log in.", name=org.name),
              "success")
    return redirect(url_for("admin.organizations"))


@bp.get("/users")
def users():
    rows = db.session.scalars(
        db.select(User).join(User.organization).options(contains_eager(User.organization))
        .order_by(Organization.name, User.name)
    ).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    form.organization.choices = [
        SelectChoice(org.id, org.name) for org in db.session.scalars(
            db.select(Organization).filter_by(is_active=True).order_by(Organization.name))
    ]
    if form.validate_on_submit():
        org = db.session.get(Organization, form.organization.data)
        try:
            with unit_of_work():
                user = create_user(form.email.data, form.name.data, form.role.data, org,
                                   form.new_password.data, acting_user())
        except AccountError as refused:
            form.form_errors.append(str(refused))
        else:
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_new.html", form=form)


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    return _user_page(db.get_or_404(User, user_id))


def _user_page(account: User, password_form: ResetPasswordForm | None = None):
    return render_template("admin/user.html", account=account,
                           role_form=RoleForm(role=account.role.value),
                           password_form=password_form or ResetPasswordForm())


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int):
    account = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                change_role(account, form.role.data, acting_user())
        except AccountError as refused:
            flash(str(refused), "error")
        else:
            flash(_("Role saved."), "success")
    else:
        flash(_("Choose one of the roles."), "error")
    return redirect(url_for("admin.user", user_id=account.id))


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int):
    account = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                set_password(account, form.new_password.data, acting_user(),
                             action=Action.USER_RESET_PASSWORD)
        except AccountError as refused:
            form.new_password.errors.append(str(refused))
        else:
            flash(_("New password set; %(name)s is logged out everywhere.", name=account.name),
                  "success")
            return redirect(url_for("admin.user", user_id=account.id))
    return _user_page(account, form)


@bp.post("/users/<int:user_id>/deactivate", defaults={"active": False})
@bp.post("/users/<int:user_id>/activate", defaults={"active": True})
def user_active(user_id: int, active: bool):
    account = db.get_or_404(User, user_id)
    if not active and (question := ask_first(
            _("Deactivate %(name)s?", name=account.name),
            back=url_for("admin.user", user_id=account.id),
            consequence=_("They are logged out at once and cannot log in until activated again."),
            button=_("Deactivate"))):
        return question
    try:
        with unit_of_work():
            set_user_active(account, active, acting_user())
    except AccountError as refused:
        flash(str(refused), "error")
    else:
        flash(_("%(name)s can log in again.", name=account.name) if active else
              _("%(name)s is deactivated and logged out.", name=account.name), "success")
    return redirect(url_for("admin.user", user_id=account.id))
