"""Import from the coordinator's spreadsheet: every row validated, all or nothing."""
from __future__ import annotations

import io

from app.extensions import db
from app.membership.models import Member

HEADER = ("name,kind,organisation,organisation_type,email,phone,region,local_authority,roles,"
          "lived_experience,needs,payment_preference,joined_on,consent_bid_work,may_be_named,"
          "consent_given_on\n")
GOOD = ("Ada,person,,,ada@example.org,,London,Camden,Advisory group member;blogger,"
        "carer;deaf,BSL;no_early_start,Paid,2025-04-01,yes,no,2025-04-01\n"
        "Deaf Forum rep,organisation,Deaf Forum,Equality group,,,north_west,,co_trainer,,"
        "hearing_loop,charity,2024-01-15,no,no,\n")


def _upload(client, text: str):
    return client.post("/network/import", data={"file": (io.BytesIO(text.encode()), "m.csv")},
                       content_type="multipart/form-data")


def test_a_good_file_adds_every_member(client, auth, coordinator):
    auth.sign_in(coordinator.email)
    response = _upload(client, HEADER + GOOD)
    assert response.status_code == 302
    ada, rep = db.session.scalars(db.select(Member).order_by(Member.id)).all()
    assert ada.roles == ["advisory_group_member", "blogger"] and ada.region == "london"
    assert ada.needs == ["bsl", "no_early_start"] and ada.consents_to_bid_work
    assert rep.organisation_type == "equality_group" and not rep.consents_to_bid_work


def test_one_bad_row_saves_nothing_and_the_report_names_row_and_column(client, auth,
                                                                        coordinator):
    auth.sign_in(coordinator.email)
    bad = ",person,,,not-an-email,,Atlantis,,astronaut,,,Paid,2025-02-30,maybe,no,\n"
    response = _upload(client, HEADER + GOOD + bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was imported" in page
    for column, words in (("name", "Enter the member"), ("email", "Enter an email address"),
                          ("region", "Choose a region from the list"),
                          ("roles", "“astronaut” is not one of the choices"),
                          ("joined_on", "must be a real date"),
                          ("consent_bid_work", "must be yes or no")):
        assert f"<td class=\"govuk-table__cell\">{column}</td>" in page, column
        assert words in page, words
    assert "<td class=\"govuk-table__cell\">4</td>" in page  # the bad row's line in the file
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 0


def test_missing_columns_and_binary_files_are_refused(client, auth, coordinator):
    auth.sign_in(coordinator.email)
    page = _upload(client, "name,kind\nAda,person\n").get_data(as_text=True)
    assert "The file has no column “region”" in page
    response = client.post("/network/import", data={
        "file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\xff\xfe"), "x.csv")},
        content_type="multipart/form-data")
    assert response.status_code in (200, 400)
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 0


def test_a_flagged_reviewer_coordinates_and_only_admins_set_retention(client, auth,
                                                                       make_user, coordinator):
    plain = make_user("plain-reviewer@example.org", role="reviewer")
    auth.sign_in(coordinator.email)
    for path in ("/network/", "/network/members/new", "/network/import", "/network/meetings",
                 "/network/retention"):
        assert client.get(path).status_code == 200, path
    assert client.post("/network/retention", data={"months": "12"}).status_code == 403
    auth.sign_out()
    auth.sign_in(plain.email)
    assert client.get("/network/members/new").status_code == 403
    make_user("boss@example.org", role="admin")
    auth.sign_out()
    auth.sign_in("boss@example.org")
    assert client.post("/network/retention", data={"months": "12"}).status_code == 302
    assert "12 months" in client.get("/network/retention").get_data(as_text=True)
