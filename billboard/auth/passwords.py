"""Password policy and hashing.

Length is what makes a password strong (OWASP ASVS 4 V2.1: at least 12 characters, no
composition rules); on top of that we refuse the passwords attackers try first.
Hashes use Werkzeug's current default method, so they improve as Werkzeug does.
"""
import string

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from .common_passwords import COMMON_PASSWORDS

MIN_LENGTH = 12
# Hashing stays cheap and a longer "password" is a paste accident.
MAX_LENGTH = 256
_EDGE = string.digits + string.punctuation + string.whitespace
# Compared against when the account is unknown, so that a wrong email costs as long as a
# wrong password and the timing tells nothing about which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-account-password")


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why ``password`` is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(count)d characters.", count=MAX_LENGTH)
    folded = password.casefold()
    if len(set(folded)) < 5:
        return _("This password is too repetitive; choose another.")
    # "Password2024!" is "password" with decoration: strip digits and symbols at the ends.
    core = folded.strip(_EDGE)
    squeezed = "".join(ch for ch in core if ch.isalnum())
    if {folded, core, squeezed} & COMMON_PASSWORDS:
        return _("This password is among the most common ones; choose another.")
    if email:
        local = email.casefold().partition("@")[0]
        if folded in (email.casefold(), local) or core == local:
            return _("The password must not be your email address.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-cost check; ``None`` (no such account) is always False."""
    if password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)
