"""Fuzzing the web forms: the bid form, the plan's level form and its activities form.

Whatever is typed, the answer is the form again with "There is a problem" (200)
and nothing stored, or a redirect (302) after storing exactly one row that the
engine accepts. Never a 500 and never a partial row. The activities form is
also sent to the preview (htmx) first, which must answer 200 and store nothing.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app import costing
from app.extensions import db
from app.models import AuditEvent, Bid, PlanVersion
from app.versions import engine, store
from tests.factories import VALID_BID_FORM, form_for, make_bid
from tests.plan_forms import JUSTIFICATION, activities_form

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# What people type into number boxes, and what Python's parsers accept beyond that.
# (No exponent beyond 1e4000: a huge exponent is its own finding, see the report.)
NUMBER_LIKE = ["", " ", "0", "-0", "1", "-1", "2", "0.25", "0.24", "12", "12.5", "40", "500",
               "501", "1e3", "1E-3", "1e4000", "NaN", "nan", "-NaN", "sNaN", "Infinity",
               "-Infinity", "inf", "0x10", "1_000", "٣", "１２", "5.", ".5", "+3", "1,000",
               "99999999999999999999", "9" * 4301, "½", "2027-04-01", "2027-02-30",
               "1890-01-01", "10:30", "9:05", "25:00", "24:00", "y", "on", "None", "null"]
AWKWARD_TEXT = ["\x00", "Care\x00Act", "<script>alert(1)</script>", "&amp; <b>", "\u202eRTL",
                "😀 שלום", "a\r\nb", "\t", "\u00ad", "Ω" * 201, "x" * 5001]
TYPED = st.one_of(
    st.sampled_from(NUMBER_LIKE),
    st.sampled_from(AWKWARD_TEXT),
    st.integers(min_value=-10**6, max_value=10**6).map(str),
    st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False).map(str),
    st.text(alphabet="0123456789.,-+ _:", max_size=10),
    st.text(max_size=80),
    st.text(min_size=190, max_size=260),
)


PLAUSIBLE = st.one_of(st.integers(0, 12).map(str), st.sampled_from(["0.5", "1.5", "2.25", "3"]))
TEXT_FIELDS = {"title", "client", "reference", "start_time"}
NUMBER_FIELDS = {"value_gbp", "duration_months", "people", "sessions", "hours_per_session",
                 "prep_hours_per_session", "start_week", "personal_assistants",
                 "carers_needing_replacement_care", "easy_read_pages", "contributors"}


def mostly(usual, sometimes, share_usual: int = 3):
    """``usual`` share_usual times in share_usual + 1, else ``sometimes`` (one_of would
    flatten nested choices and weigh every branch alike)."""
    return st.integers(0, share_usual).flatmap(lambda pick: sometimes if pick == 0 else usual)


def typed_changes(fields: list[str], choices: dict[str, list[str]]):
    """Up to four of ``fields`` changed to typed text (or a known choice), or left out."""
    def value_for(field: str):
        name = field.rsplit("-", 1)[-1]
        if name in NUMBER_FIELDS:
            return mostly(PLAUSIBLE, mostly(st.sampled_from(NUMBER_LIKE), TYPED), 1)
        if name in TEXT_FIELDS:
            return st.one_of(st.sampled_from(AWKWARD_TEXT), TYPED)
        return st.one_of(TYPED, st.sampled_from(choices[name])) if name in choices else TYPED

    change = st.sampled_from(fields).flatmap(
        lambda field: st.tuples(st.just(field), st.one_of(value_for(field), st.none())))
    return st.lists(change, max_size=4)


def apply(data: dict, changes) -> dict:
    data = dict(data)
    for field, value in changes:
        if value is None:
            data.pop(field, None)
        else:
            data[field] = value
    return data


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def versions_state(bid_id: int) -> list[tuple]:
    db.session.expire_all()
    return [(version.id, version.number, version.row_version, version.status, version.inputs,
             version.estimate, version.total_pence, version.level)
            for version in db.session.scalars(db.select(PlanVersion).where(
                PlanVersion.bid_id == bid_id).order_by(PlanVersion.number))]


def assert_form_shown_again(response) -> None:
    """Refused with a message: the form again with its errors, or (for text no database
    can store, such as NUL) a 400 page that names the field."""
    page = response.get_data(as_text=True)
    if response.status_code == 400:
        assert "cannot be stored" in page
        return
    assert response.status_code == 200, response.status_code
    assert "There is a problem" in page


def assert_one_version_saved(bid_id: int, before: list[tuple], audits_before: int) -> PlanVersion:
    """Only the latest version changed, costed as the engine costs it; its row_version went
    up by one and one audit entry was written, unless the save changed nothing in it (then
    nothing is written at all)."""
    after = versions_state(bid_id)
    assert len(after) == len(before) and after[:-1] == before[:-1]
    (number, row_version, content), (_, old_row_version, old_content) = (
        (state[1], state[2], state[3:]) for state in (after[-1], before[-1]))
    assert number == before[-1][1]
    assert row_version == old_row_version + (content != old_content)
    assert count(AuditEvent) == audits_before + (content != old_content)
    version = db.session.get(PlanVersion, after[-1][0])
    assert version.estimate == costing.estimate(version.inputs)
    assert version.total_pence == round(Decimal(str(version.estimate["total_gbp"])) * 100)
    return version


@pytest.fixture
def writer(make_user, auth):
    user = make_user("fuzz-writer@example.org", role="writer", team="Alpha")
    auth.sign_in(user.email)
    return user


@pytest.fixture
def planned_bid(client, writer):
    """A bid with version 1 at level good, saved through the level form."""
    bid = make_bid("Alpha", title="Care Act training", work_type="training", scope="local",
                   client_requires_coproduction=True)
    assert client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"}).status_code == 302
    return bid


# --- The bid form -------------------------------------------------------------------------

BID_CHOICES = {"scope": ["local", "regional", "national"],
               "work_type": ["training", "research", "service_design", "guidance"],
               "client_requires_coproduction": ["y", "n", ""]}


@FUZZ
@given(changes=typed_changes([*VALID_BID_FORM, "team_id"], BID_CHOICES))
def test_bid_form_stores_one_valid_bid_or_nothing(client, writer, changes):
    data = apply(form_for(writer.teams[0].id), changes)
    bids, audits = count(Bid), count(AuditEvent)
    response = client.post("/bids/new", data=data)
    event(f"status {response.status_code}")
    if response.status_code == 302:
        assert count(Bid) == bids + 1 and count(AuditEvent) == audits + 1
        bid = db.session.scalar(db.select(Bid).order_by(Bid.id.desc()).limit(1))
        assert response.headers["Location"].endswith(f"/bids/{bid.id}")
        assert (bid.title, bid.client) == (data["title"].strip(), data["client"].strip())
        assert bid.team_id == writer.teams[0].id
        costing.estimate({"bid": engine.bid_document(bid), "level": "none",
                          "justification": JUSTIFICATION})  # the engine accepts the bid
    else:
        assert_form_shown_again(response)
        assert (count(Bid), count(AuditEvent)) == (bids, audits)


# --- The activities form (and its preview) ------------------------------------------------

LINE_FIELDS = ("role", "people", "sessions", "hours_per_session", "prep_hours_per_session",
               "stage", "start_week", "mode", "travel", "start_time", "needs-personal_assistants",
               "needs-carers_needing_replacement_care", "needs-bsl")
ACTIVITY_FIELDS = [f"activities-{index}-{name}" for index in (0, 1) for name in LINE_FIELDS] + [
    "accessible_formats-easy_read_pages", "contributors", "existing_network", "new_role",
    "remove_line",
    "add_line", "action", "activities-7-people"]
MAX_LINES = 4  # beyond this the draft is cut back to two lines before the next example
ACTIVITY_CHOICES = {
    "role": list(costing.ROLES), "new_role": list(costing.ROLES),
    "stage": ["setup", "scoping", "development", "delivery", "dissemination"],
    "mode": ["in_person", "remote"], "travel": ["local", "regional", "national"],
    "bsl": ["y"], "existing_network": ["y"], "remove_line": ["0", "1", "9"],
    "add_line": ["1"], "action": ["estimate", "save"]}


@FUZZ
@given(changes=typed_changes(ACTIVITY_FIELDS, ACTIVITY_CHOICES))
def test_activities_form_saves_the_draft_or_nothing(client, writer, planned_bid, changes):
    latest = store.latest_version(planned_bid)
    if len(latest.inputs["activities"]) > MAX_LINES:  # "Add a line" examples pile up lines
        latest = store.save_plan(planned_bid, dict(
            latest.inputs, activities=latest.inputs["activities"][:2]), writer, None)
    before, audits = versions_state(planned_bid.id), count(AuditEvent)
    data = apply(activities_form(latest), changes)
    preview = client.post(f"/bids/{planned_bid.id}/plan/preview", data=data)
    assert preview.status_code in (200, 400), preview.status_code
    if preview.status_code == 400:
        assert "cannot be stored" in preview.get_data(as_text=True)
    assert versions_state(planned_bid.id) == before and count(AuditEvent) == audits
    response = client.post(f"/bids/{planned_bid.id}/plan/activities", data=data)
    event(f"status {response.status_code}")
    if response.status_code == 302:
        assert f"/bids/{planned_bid.id}/plan/" in response.headers["Location"]
        assert_one_version_saved(planned_bid.id, before, audits)
    else:
        assert_form_shown_again(response)
        assert versions_state(planned_bid.id) == before and count(AuditEvent) == audits


# --- The level form -----------------------------------------------------------------------

@FUZZ
@given(level=mostly(st.sampled_from(["none", "limited", "good", "full"]), TYPED | st.none()),
       justification=st.one_of(st.just(JUSTIFICATION), TYPED, st.none(),
                               st.text(min_size=40, max_size=200),
                               st.text(min_size=4990, max_size=5010)),
       stale=st.booleans())
def test_level_form_saves_the_draft_or_nothing(client, planned_bid, level, justification,
                                              stale):
    before, audits = versions_state(planned_bid.id), count(AuditEvent)
    row_version = store.latest_version(planned_bid).row_version
    data = {"level": level, "justification": justification,
            "row_version": str(row_version - 1 if stale else row_version)}
    response = client.post(f"/bids/{planned_bid.id}/plan/level",
                           data={key: value for key, value in data.items() if value is not None})
    event(f"status {response.status_code}")
    if response.status_code == 302:
        assert not stale
        version = assert_one_version_saved(planned_bid.id, before, audits)
        assert version.level == level
        if level == "none":  # a justification left out of the form keeps the stored one
            stored = before[-1][4].get("justification")
            assert version.inputs["justification"] == (
                stored if justification is None else justification.strip())
            assert version.inputs["activities"] == []
    else:
        assert_form_shown_again(response)
        assert versions_state(planned_bid.id) == before and count(AuditEvent) == audits


# --- Inputs the fuzzers found, kept as plain examples -------------------------------------
# Each test tries all its examples and lists every one that fails (one setup per backend).

def test_non_finite_hours_get_a_message_not_a_500(client, planned_bid):
    before, audits = versions_state(planned_bid.id), count(AuditEvent)
    latest = store.latest_version(planned_bid)
    failures = []
    for value in ("Infinity", "-Infinity", "inf", "sNaN", "NaN", "1e4000"):
        data = activities_form(latest, **{"activities-0-hours_per_session": value,
                                          "activities-1-prep_hours_per_session": value})
        for page in ("preview", "activities"):
            response = client.post(f"/bids/{planned_bid.id}/plan/{page}", data=data)
            text = response.get_data(as_text=True)
            if response.status_code != 200 or page == "activities" and not (
                    "There is a problem" in text and "Hours per session" in text):
                failures.append(f"{page} with hours {value!r}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert versions_state(planned_bid.id) == before and count(AuditEvent) == audits


def test_the_preview_says_to_fix_the_form_when_the_engine_refuses_a_line(client, planned_bid):
    """The panel must not say "Save the plan to see its estimate" (there is a plan, and
    saving would fail): the engine's messages are on the form, so it says to fix them."""
    latest = store.latest_version(planned_bid)
    failures = []
    for change in ({"activities-0-people": "0"}, {"activities-1-hours_per_session": "13"},
                   {"activities-0-start_time": "25:00"}):
        data = activities_form(latest, **change)
        page = client.post(f"/bids/{planned_bid.id}/plan/activities", data=data)
        assert_form_shown_again(page)  # the page itself shows the engine's message
        preview = client.post(f"/bids/{planned_bid.id}/plan/preview", data=data)
        text = preview.get_data(as_text=True)
        if preview.status_code != 200 or "Fix the problems in the form" not in text:
            failures.append(f"{change}: {preview.status_code} {' '.join(text.split())[:80]}")
    assert not failures, "\n".join(failures)


def test_a_nul_character_in_typed_text_gets_a_message_not_a_500(client, planned_bid, writer):
    """PostgreSQL refuses NUL in text, so every route that sends typed text to it is tried:
    the bid form's fields, the bid search, the portfolio filter and CSV, a comment."""
    bid_form = form_for(writer.teams[0].id, row_version=str(planned_bid.row_version))
    requests = [("POST", "/bids/new", dict(bid_form, **{field: "Care\x00Act"}))
                for field in ("title", "client", "reference")] + [
        ("POST", f"/bids/{planned_bid.id}/edit", dict(bid_form, client="Care\x00Act")),
        ("GET", "/bids/?q=Care%00", None),
        ("GET", "/portfolio/?client=Care%00&year=", None),
        ("GET", "/portfolio/export.csv?client=Care%00&year=", None),
        ("POST", f"/bids/{planned_bid.id}/review/versions/1/comments",
         {"comment-section": "plan", "comment-body": "Looks\x00 fine"}),
    ]
    failures = []
    for method, url, data in requests:
        bids = count(Bid)
        response = client.open(url, method=method, data=data)
        changed = [key for key, value in (data or {}).items() if "\x00" in value]
        if response.status_code not in (200, 302, 400):
            failures.append(f"{method} {url} {changed}: {response.status_code}")
        elif url == "/bids/new" and count(Bid) != bids + (response.status_code == 302):
            failures.append(f"{method} {url} {changed}: a partial bid row")
    assert not failures, "\n".join(failures)
