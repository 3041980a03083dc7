"""Subject access (JSON and a readable PDF), erasure through its page, and no special
category data in the logs."""
from __future__ import annotations

import io
import logging

from pypdf import PdfReader

from app.extensions import db
from app.membership.models import Member, MemberAuditEvent

TAG = "unusual-lived-experience-tag"


def test_the_member_gets_everything_held_as_json_and_pdf(client, auth, coordinator,
                                                         add_member):
    member = add_member("Sasha Subject", email="sasha@example.org", needs=["easy_read"],
                        lived_experience=[TAG])
    auth.sign_in(coordinator.email)
    client.get(f"/network/members/{member.id}")
    document = client.get(f"/network/members/{member.id}/export.json").get_json()
    assert document["member"]["display_name"] == "Sasha Subject"
    assert document["member"]["needs"] == ["easy_read"]
    assert document["member"]["lived_experience"] == [TAG]
    assert document["consents"][0]["purpose"] == "bid_work"
    assert [entry["action"] for entry in document["access_log"]][:3] == [
        "create", "consent", "view"]
    response = client.get(f"/network/members/{member.id}/export.pdf")
    assert response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(response.data)).pages).split())
    for expected in ("What the co-production network holds about you", "Sasha Subject",
                     "sasha@example.org", "Easy read", TAG, "Being proposed for and taking"):
        assert expected in text, expected
    actions = db.session.scalars(db.select(MemberAuditEvent.action)).all()
    assert "export-json" in actions and "export-pdf" in actions


def test_erasure_needs_the_typed_confirmation(client, auth, coordinator, add_member):
    member = add_member("Eve Erase", needs=["bsl"])
    auth.sign_in(coordinator.email)
    page = client.post(f"/network/members/{member.id}/erase", data={"confirm": "erase"})
    assert "Type ERASE, in capitals" in page.get_data(as_text=True)
    assert db.session.get(Member, member.id).display_name == "Eve Erase"
    assert client.post(f"/network/members/{member.id}/erase",
                       data={"confirm": "ERASE"}).status_code == 302
    db.session.expire_all()
    erased = db.session.get(Member, member.id)
    assert erased.erased and erased.display_name == "" and erased.needs_cipher is None
    assert client.get(f"/network/members/{member.id}").status_code == 404


def test_no_need_or_tag_reaches_the_logs(client, auth, coordinator, add_member, caplog):
    caplog.set_level(logging.DEBUG)
    auth.sign_in(coordinator.email)
    client.post("/network/members/new", data={
        "kind": "person", "display_name": "Logan Log", "region": "london",
        "needs": ["step_free"], "lived_experience": TAG, "payment_preference": "paid",
        "joined_on": "2025-05-01"})
    member = db.session.scalar(db.select(Member))
    client.get(f"/network/members/{member.id}")
    client.get(f"/network/members/{member.id}/export.json")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records  # something was logged: the check is worth something
    assert TAG not in logged and "step_free" not in logged and "Step-free" not in logged
