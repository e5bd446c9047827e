"""Constants and helpers shared by test modules (conftest modules are not importable by name)."""
import itertools
import os
import re
from datetime import date, timedelta

from billboard import booking, uploads
from billboard.booking import ItemInput, today_wib
from billboard.extensions import db
from billboard.models import Category, Face, Site
from billboard.uploads import Upload

PASSWORD = "kata-sandi-yang-panjang-42"
# "Today" for the whole run, fixed when the tests are collected (conftest keeps the app on it):
# cases built at collection stay right even if the run crosses midnight WIB.
TODAY = today_wib()


def day(n: int) -> date:
    """``n`` days after the run's today (before it when negative)."""
    return TODAY + timedelta(days=n)


def face(code: str, label: str = "A") -> Face:
    """The face ``label`` of site ``code``."""
    return db.session.scalar(db.select(Face).join(Site).where(Site.code == code,
                                                              Face.label == label))


def count(model) -> int:
    """How many rows ``model`` has."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def submit(user, *items, category=Category.VOTER_EDUCATION, purpose="Sosialisasi Pilkada",
           letter_number="001/PL/2026", letter_date=TODAY, **extra):
    """A request of ``user`` submitted through the booking service and committed; each item is
    ``(site, face, start, end)``; ``extra`` goes to ``submit_request`` (files, election…)."""
    request = booking.submit_request(
        user, purpose=purpose, category=category, letter_number=letter_number,
        letter_date=letter_date, items=[ItemInput(*item) for item in items], **extra)
    db.session.commit()
    return request


MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")

# The first bytes of each kind of upload: what the content check looks at.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64

_APPROVALS = itertools.count(1)


def approval(*, iso: bool = False, on=None) -> dict:
    """What a pinjam pakai approval carries (DESIGN §3): the agreement's and the approval
    letter's numbers and dates, the numbers new in the register at each call. Keyword arguments
    of ``booking.approve``/``decide``, or with ``iso`` a JSON or form body."""
    number, day = next(_APPROVALS), on or TODAY
    day = day.isoformat() if iso else day
    return {"agreement_number": f"PKS/{number:03d}/BAKEUDA/{TODAY.year}", "agreement_date": day,
            "approval_letter_number": f"500/{number:03d}/BAKEUDA/{TODAY.year}",
            "approval_letter_date": day}


def decide_item(client, item, *, reject: str | None = None, follow_redirects: bool = False,
                **fields):
    """Decide one item through its request's decision form, as a reviewer's browser does:
    approve it with a decision's numbers, or reject it with ``reject`` as the reason; ``fields``
    add to or replace what is posted."""
    chosen = {f"choice-{item.id}": "approve", **approval(iso=True)} if reject is None else \
        {f"choice-{item.id}": "reject", f"reason-{item.id}": reject}
    return client.post(f"/review/requests/{item.request_id}/decision",
                       data={**chosen, **fields}, follow_redirects=follow_redirects)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG header that declares ``width`` × ``height`` pixels (what a decompression bomb is)."""
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + width.to_bytes(4, "big")
            + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00" + b"\x00" * 32)


def jpeg_declaring(width: int, height: int, frame: int = 0xC0, before: bytes = b"") -> bytes:
    """A JPEG whose start-of-frame ``frame`` declares ``width`` × ``height``, after the segments
    ``before`` (an EXIF thumbnail, say)."""
    sof = (b"\xff" + bytes([frame]) + b"\x00\x11\x08" + height.to_bytes(2, "big")
           + width.to_bytes(2, "big") + b"\x03" + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01")
    return JPEG[:20] + before + sof + b"\xff\xda\x00\x0c" + b"\x00" * 40

# Whatever the order of the attributes (WTForms' hidden_tag or a hand-written input).
_CSRF_FIELD = re.compile(r'<input(?=[^>]*name="csrf_token")[^>]*value="([^"]+)"')


def csrf_token_in(html: str) -> str:
    """The CSRF token of the (first) form in a page."""
    return _CSRF_FIELD.search(html).group(1)


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on the page at ``url``."""
    return csrf_token_in(client.get(url).get_data(as_text=True))


def kept(name: str, data: bytes = PDF) -> Upload:
    """A checked file as the services receive it (stored under ``name``, not written)."""
    mimetype = uploads.MIMETYPES[name.rsplit(".", 1)[-1]]
    return Upload(name, mimetype, data, filename=name)


class Api:
    """The test client with a bearer token; paths are relative to /api/v1."""

    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path):
        return self.client.get("/api/v1" + path, headers=self.headers)

    def post(self, path, json=None, **kwargs):
        return self.client.post("/api/v1" + path, json=json, headers=self.headers, **kwargs)
