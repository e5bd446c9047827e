"""Who may reach which route: the expectations walked by ``tests/test_access.py``.

The format is explained in README.md next to this file. This module loads every area file in
the package and provides ``AccessContext``, the objects an entry builds its URL from.
"""
from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta
from functools import cached_property

from support import TODAY
from werkzeug.security import generate_password_hash

from billboard.auth.tokens import issue_token
from billboard.booking import ItemInput, submit_request
from billboard.extensions import db
from billboard.models import Organization, OrganizationKind, Role, User

ROLES = ("anonymous", "agency", "other_agency", "reviewer", "admin")

# The people the walk acts as: two government agencies, a reviewer and an administrator.
PEOPLE = {
    "agency": ("agency@kpu.example", "agency", "KPU Kota Pangkalpinang", "government"),
    "other_agency": ("agency@bawaslu.example", "agency", "Bawaslu Kota Pangkalpinang",
                     "government"),
    "reviewer": ("reviewer@bakeuda.example", "reviewer", "Bakeuda Kota Pangkalpinang", "bakeuda"),
    "admin": ("admin@bakeuda.example", "admin", "Bakeuda Kota Pangkalpinang", "bakeuda"),
}
SPEC_KEYS = {"methods", "url", "data", "json", "auth", "expect"}


def load_entries() -> dict[str, list[dict]]:
    """Every area's ``ACCESS``, merged; each value normalised to a list of specs."""
    entries: dict[str, list[dict]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for rule, specs in module.ACCESS.items():
            if rule in entries:
                raise AssertionError(f"{rule} has entries in two area files")
            specs = [specs] if isinstance(specs, dict) else list(specs)
            for spec in specs:
                unknown = set(spec) - SPEC_KEYS
                missing = set(ROLES) - set(spec["expect"])
                if unknown or missing:
                    raise AssertionError(
                        f"{module_info.name}: {rule}: unknown keys {sorted(unknown)} or "
                        f"roles without expectation {sorted(missing)}")
            entries[rule] = specs
    return entries


def spec_for(entries: dict[str, list[dict]], rule: str, method: str) -> dict | None:
    for spec in entries.get(rule, ()):
        if method in spec.get("methods", ("GET",)):
            return spec
    return None


class AccessContext:
    """The users and objects an entry may refer to. Objects are made on first use, so a
    walk of a page that needs none stays cheap."""

    def __init__(self, password: str):
        # The walk logs in hundreds of times; hash strength is tested elsewhere, so these
        # users get a one-iteration hash that Werkzeug still verifies the normal way.
        self._password_hash = generate_password_hash(password, "pbkdf2:sha256:1")
        self._users = {}

    def user(self, role: str):
        """The user acting as ``role`` (one of ROLES except anonymous)."""
        if role not in self._users:
            email, user_role, org_name, kind = PEOPLE[role]
            org = db.session.scalar(db.select(Organization).filter_by(name=org_name))
            if org is None:
                org = Organization(name=org_name, kind=OrganizationKind(kind))
            user = User(email=email, name=email.split("@")[0], role=Role(user_role),
                        organization=org, password_hash=self._password_hash)
            db.session.add(user)
            db.session.commit()
            self._users[role] = user
        return self._users[role]

    def org(self, role: str):
        return self.user(role).organization

    @cached_property
    def request(self):
        """A submitted request of the "agency" organisation (so "other_agency" must get 404)."""
        today = TODAY
        start = today + timedelta(days=20)
        request = submit_request(
            self.user("agency"), purpose="Sosialisasi tahapan pemilu",
            category="voter_education", letter_number="001/PL.01/KPU/2024", letter_date=today,
            items=[ItemInput(site="PGK-01", face="A", start=start, end=start + timedelta(days=9))],
        )
        db.session.commit()
        return request

    @cached_property
    def booking(self):
        """The (submitted) item of ``request``."""
        return self.request.bookings[0]

    def token(self, role: str) -> str:
        """A raw API token of the user acting as ``role``."""
        _token, raw = issue_token(self.user(role), "access walk", None)
        db.session.commit()
        return raw

    def resolve(self, value):
        return value(self) if callable(value) else value
