"""Constants and helpers shared by test modules (conftest modules are not importable by name)."""
import os
import re

from billboard.booking import today_wib

PASSWORD = "kata-sandi-yang-panjang-42"
# "Today" for the whole run, fixed when the tests are collected (conftest keeps the app on it):
# cases built at collection stay right even if the run crosses midnight WIB.
TODAY = today_wib()
MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")

# The first bytes of each kind of upload: what the content check looks at.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64

# Whatever the order of the attributes (WTForms' hidden_tag or a hand-written input).
_CSRF_FIELD = re.compile(r'<input(?=[^>]*name="csrf_token")[^>]*value="([^"]+)"')


def csrf_token_in(html: str) -> str:
    """The CSRF token of the (first) form in a page."""
    return _CSRF_FIELD.search(html).group(1)


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on the page at ``url``."""
    return csrf_token_in(client.get(url).get_data(as_text=True))
