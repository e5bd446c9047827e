"""The official documents of a request (DESIGN §6a): the letter of each decision and the
perjanjian pinjam pakai, printable, always in Bahasa Indonesia, for its agency and Bakeuda."""
from datetime import date

import pytest
from support import approval, day
from test_agency import submitted, text_of

from billboard import booking, settings
from billboard.extensions import db

SIGNED_ON = date(2026, 12, 2)
FOUR = [("PGK-01", "A", day(10), day(20)), ("PGK-02", "A", day(10), day(20)),
        ("PGK-03", "A", day(10), day(39)), ("PGK-04", "A", day(10), day(20))]


def decide(found, reviewer, approve=(), reject=(), **numbers):
    """``booking.decide`` on items given by position, with fresh numbers unless told."""
    items = found.bookings
    if "approval_letter_number" not in numbers:
        numbers = {**approval(on=SIGNED_ON), **numbers}
    decision = booking.decide(found.id, reviewer, approve=[items[i].id for i in approve],
                              reject=[(items[i].id, reason) for i, reason in reject], **numbers)
    db.session.commit()
    return decision


def letters(text: str) -> list[str]:
    """Each document of the page, from its start to the next."""
    return text.split('<article class="letter document')[1:]


@pytest.mark.db
def test_a_decision_approving_three_and_refusing_one(client, logged_in, kpu, reviewer):
    found = submitted(kpu, *FOUR)
    decision = decide(found, reviewer, approve=(0, 1, 2),
                      reject=[(3, "Titik dipakai acara HUT Kota")])

    text = text_of(client.get(f"/requests/{found.id}/letter"))
    [letter] = letters(text)
    approved, refused = letter.split("tidak dapat disetujui")
    for code in ("PGK-01", "PGK-02", "PGK-03"):
        assert code in approved and code not in refused
    assert "PGK-04" not in approved and "PGK-04" in refused
    assert "Titik dipakai acara HUT Kota" in refused
    for expected in ("Pangkalpinang, 2 Desember 2026", decision.approval_letter_number,
                     "Yth. Pimpinan KPU Kota Pangkalpinang", "di Tempat", "002/KPU/2026",
                     "Sosialisasi tahapan Pilkada", "menyetujui pinjam pakai", "Ketentuan:",
                     decision.agreement_number, "Pasal 60 ayat (3)", "a.n. Wali Kota Pangkalpinang",
                     "Tembusan:"):
        assert expected in letter, expected

    agreement = text_of(client.get(f"/requests/{found.id}/agreement"))
    [document] = letters(agreement)
    assert decision.agreement_number in document and decision.approval_letter_number in document
    assert "PERJANJIAN" in document.upper() and "PIHAK KEDUA" in document
    assert all(code in document for code in ("PGK-01", "PGK-02", "PGK-03"))
    assert "PGK-04" not in document


@pytest.mark.db
def test_a_refusal_only_decision_prints_a_reply_letter(client, logged_in, kpu, reviewer):
    found = submitted(kpu, *FOUR[:2])
    decide(found, reviewer, reject=[(0, "Konstruksi sedang diperbaiki"), (1, "Tidak sesuai")],
           approval_letter_number="500/900/BAKEUDA/2026", approval_letter_date=SIGNED_ON)

    [letter] = letters(text_of(client.get(f"/requests/{found.id}/letter")))
    assert "Jawaban atas permohonan" in letter and "500/900/BAKEUDA/2026" in letter
    assert "Konstruksi sedang diperbaiki" in letter and "Tidak sesuai" in letter
    assert "Ketentuan:" not in letter and "Pasal 60" not in letter
    page = client.get(f"/requests/{found.id}/agreement")
    assert page.status_code == 200 and "<article" not in text_of(page)


@pytest.mark.db
def test_two_decisions_print_two_letters_in_turn(client, logged_in, kpu, reviewer):
    found = submitted(kpu, *FOUR[:2])
    first = decide(found, reviewer, approve=(0,))
    second = decide(found, reviewer, approve=(1,))

    text = text_of(client.get(f"/requests/{found.id}/letter"))
    one, two = letters(text)
    assert first.approval_letter_number in one and "PGK-01" in one and "PGK-02" not in one
    assert second.approval_letter_number in two and "PGK-02" in two and "PGK-01" not in two
    assert len(letters(text_of(client.get(f"/requests/{found.id}/agreement")))) == 2
    detail = client.get(f"/requests/{found.id}").get_data(as_text=True)
    assert f'href="/requests/{found.id}/letter"' in detail
    assert f'href="/requests/{found.id}/agreement"' in detail


@pytest.mark.db
def test_a_city_office_gets_a_letter_and_no_agreement(client, auth, make_user, reviewer):
    office = make_user("staf@diskominfo.example", org="Dinas Kominfo Kota Pangkalpinang",
                       org_kind="city_office")
    found = submitted(office, FOUR[0])
    decide(found, reviewer, approve=(0,), agreement_number=None, agreement_date=None,
           approval_letter_number="500/901/BAKEUDA/2026", approval_letter_date=SIGNED_ON)
    auth.login_as(office)

    [letter] = letters(text_of(client.get(f"/requests/{found.id}/letter")))
    assert "500/901/BAKEUDA/2026" in letter and "untuk pelaksanaan tugasnya" in letter
    assert "Perjanjian Pinjam Pakai nomor" not in letter
    page = client.get(f"/requests/{found.id}/agreement")
    assert page.status_code == 200
    assert "needs a loan-for-use agreement" in text_of(page)
    assert "<article" not in text_of(page)
    assert f'href="/requests/{found.id}/agreement"' not in client.get(
        f"/requests/{found.id}").get_data(as_text=True)


@pytest.mark.db
def test_only_the_agency_and_bakeuda_and_only_once_decided(client, auth, logged_in, kpu,
                                                           bawaslu, reviewer):
    found = submitted(kpu, FOUR[0])

    def answers() -> list[int]:
        """The status of the letter's page and of the agreement's."""
        return [client.get(f"/requests/{found.id}/{page}").status_code
                for page in ("letter", "agreement")]

    assert answers() == [404, 404]  # no decision yet
    decide(found, reviewer, approve=(0,))
    assert answers() == [200, 200]
    auth.login_as(bawaslu)
    assert answers() == [404, 404]
    auth.login_as(reviewer)
    assert answers() == [200, 200]
    # The reviewer's request page links to both.
    page = client.get(f"/review/requests/{found.id}").get_data(as_text=True)
    assert f'href="/requests/{found.id}/letter"' in page
    assert f'href="/requests/{found.id}/agreement"' in page


@pytest.mark.db
def test_the_old_item_letter_leads_to_its_decision(client, logged_in, kpu, reviewer):
    found = submitted(kpu, *FOUR[:2])
    decision = decide(found, reviewer, approve=(1,), reject=[(0, "Tidak sesuai")])
    response = client.get(f"/requests/{found.id}/bookings/{found.bookings[1].id}/approval")
    assert response.status_code == 302
    assert response.location.endswith(f"/requests/{found.id}/letter#decision-{decision.id}")
    assert client.get(f"/requests/{found.id}/bookings/{found.bookings[0].id}/approval"
                      ).status_code == 404


@pytest.mark.db
def test_what_people_typed_is_escaped(client, auth, make_user, reviewer):
    hostile = make_user("staf@jahat.example", org="Ormas <script>alert(1)</script>")
    found = submitted(hostile, FOUR[0], purpose="Sosialisasi <script>alert(2)</script>")
    decide(found, reviewer, approve=(0,))
    auth.login_as(hostile)
    for url in (f"/requests/{found.id}/letter", f"/requests/{found.id}/agreement"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html, url


@pytest.mark.db
def test_the_documents_are_indonesian_when_the_user_reads_english(client, logged_in, kpu,
                                                                   reviewer):
    found = submitted(kpu, FOUR[0])
    decide(found, reviewer, approve=(0,))
    for url, english in ((f"/requests/{found.id}/letter", "Thank you for your attention"),
                         (f"/requests/{found.id}/agreement", "SECOND PARTY")):
        text = text_of(client.get(url))
        assert "Back to request" in text, url  # the page around follows the chosen language
        assert english not in text and "Desember 2026" in text, url


@pytest.mark.db
def test_settings_print_as_placeholders_until_an_admin_edits_them(client, auth, kpu, reviewer,
                                                                  admin):
    found = submitted(kpu, FOUR[0])
    decide(found, reviewer, approve=(0,))
    letter = text_of(client.get(f"/requests/{found.id}/letter"))
    assert "CONTOH — Nama Pejabat Penandatangan" in letter
    assert "CONTOH — Inspektur Kota Pangkalpinang" in letter
    assert "LAMBANG — contoh" in client.get("/static/img/lambang-contoh.svg").get_data(
        as_text=True)
    # The kop asks for the emblem an administrator uploads (the placeholder until then).
    assert 'class="emblem" src="/documents/emblem"' in letter
    assert client.get("/documents/emblem").headers["Location"].endswith("lambang-contoh.svg")

    form = {key.replace(".", "__"): value for key, value in settings.values().items()}
    response = client.post("/admin/settings", follow_redirects=True, data={
        **form, "signatory__name": "Drs. Budi Santoso, M.Si.",
        "tembusan__lines": "Wali Kota Pangkalpinang\nArsip"})
    assert "Settings saved." in response.get_data(as_text=True)
    letter = text_of(client.get(f"/requests/{found.id}/letter"))
    assert "Drs. Budi Santoso, M.Si." in letter and "Nama Pejabat" not in letter
    assert "Inspektur" not in letter and "<li>Wali Kota Pangkalpinang</li><li>Arsip</li>" in letter
    assert "Drs. Budi Santoso, M.Si." in text_of(client.get(f"/requests/{found.id}/agreement"))


@pytest.mark.db
def test_a_decision_from_before_the_numbers_were_required_still_prints(client, logged_in, kpu,
                                                                      reviewer):
    # The migration backfills decisions of old approvals, some without dates or letter number.
    found = submitted(kpu, FOUR[0])
    decision = decide(found, reviewer, approve=(0,))
    decision.agreement_date = decision.approval_letter_date = None
    decision.approval_letter_number = None
    db.session.commit()
    for url in (f"/requests/{found.id}/letter", f"/requests/{found.id}/agreement"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "None" not in text_of(response) and "tanggal ." not in text_of(response), url
