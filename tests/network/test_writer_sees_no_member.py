"""A writer never sees a member's name or needs: pages, API, PDF, CSV; nor does the cache
ever hold a need or a lived-experience tag (after a coordinator used every page)."""
from __future__ import annotations

import io
import pickle

from pypdf import PdfReader

from app.extensions import cache, db
from app.versions import store
from tests.factories import make_bid
from tests.test_api import token_for

NAME, TAG = "Quentin Unrepeatable", "rare-lived-experience-tag"
LINE = {"role": "advisory_group_member", "people": 6, "sessions": 4, "mode": "in_person",
        "travel": "local"}


def _kept_values() -> bytes:
    """Everything in the test app's cache (SimpleCache), keys and values, as bytes."""
    kept = cache.cache._cache
    return pickle.dumps(dict(kept))


def test_writer_never_sees_a_member_and_the_cache_never_holds_needs(
        client, auth, make_user, coordinator, add_member):
    writer = make_user("writer@example.org")
    bid = make_bid("Alpha", region="yorkshire")
    store.save_plan(bid, {"level": "limited", "activities": [dict(LINE)]}, writer, None)
    member = add_member(NAME, needs=["bsl", "step_free", "large_print"], lived_experience=[TAG])
    auth.sign_in(coordinator.email)
    assert NAME in client.get(f"/network/bids/{bid.id}/lines/0").get_data(as_text=True)
    client.post(f"/network/bids/{bid.id}/lines/0", data={"members": [str(member.id)]})
    for path in (f"/network/members/{member.id}", "/network/", "/portfolio/summary",
                 f"/bids/{bid.id}/plan/versions/1", "/portfolio/summary.pdf"):
        assert client.get(path).status_code == 200, path
    auth.sign_out()
    auth.sign_in(writer.email)
    version = store.latest_version(bid)
    assert version.inputs["activities"][0]["needs"]["bsl"] is True  # the assignment held
    texts = [client.get(path).get_data(as_text=True) for path in (
        "/network/", f"/network/bids/{bid.id}/lines/0", f"/bids/{bid.id}",
        f"/bids/{bid.id}/plan/versions/{version.number}", "/portfolio/",
        "/portfolio/export.csv", f"/bids/{bid.id}/plan/versions/{version.number}/csv")]
    api = token_for(writer)
    texts += [client.get(path, headers=api).get_data(as_text=True) for path in (
        f"/api/v1/bids/{bid.id}", f"/api/v1/bids/{bid.id}/versions/{version.number}")]
    pdf = client.get(f"/bids/{bid.id}/plan/versions/{version.number}/pdf").data
    texts.append(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    for text in texts:
        assert NAME not in text and TAG not in text
        # Needs the engine has no word for (a line's needs are counts, shown to writers).
        assert "Step-free venue" not in text and "Large print" not in text
    kept = _kept_values()
    assert kept, "nothing was cached: the check below would prove nothing"
    for secret in (NAME, TAG, "step_free", "large_print"):
        assert secret.encode() not in kept, secret
    db.session.rollback()
