"""Admin rate card pages: who may use them, the list, a card's values, a new card from
an old one (validated by the form and by the engine), and choosing the default."""
from datetime import date

import pytest
from sqlalchemy import event

from app.admin import services
from app.admin.cardinputs import CARD_INPUTS, initial_card_data
from app.admin.forms import RateCardForm
from app.costing.ratecard import RateCard as EngineCard
from app.costing.ratecard import default_rate_card, rate_card_document
from app.extensions import db
from app.fieldpaths import value_at
from app.models import AuditEvent, PlanVersion, RateCard
from tests.conftest import PASSWORD
from tests.factories import make_bid

ROLES = ("viewer", "writer", "reviewer", "admin")


def card_form(**changes) -> dict:
    """A complete new-card form: the default card's values plus a new ID and date."""
    initial = initial_card_data(default_rate_card())
    data = {card_input.name: "" if value is None else str(value) for card_input in CARD_INPUTS
            for value in [value_at(initial, card_input.path)]}
    for key, entry in initial["sources"].items():  # each value's status, basis, checked date
        data.update({f"sources__{key}__{name}": "" if value is None else str(value)
                     for name, value in entry.items()})
    data.update(id="org-2027", label="Our rates from April 2027", description="",
                effective_from="2027-04-01")
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def add_card(card_id: str = "org-2026", effective: str = "2026-09-01",
             default: bool = False) -> RateCard:
    document = default_rate_card()
    document.update(id=card_id, label=f"Card {card_id}", effective_from=effective)
    card = RateCard(id=card_id, label=document["label"], values=document, is_default=default,
                    effective_from=date.fromisoformat(effective))
    db.session.add(card)
    db.session.commit()
    return card


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def defaults() -> list[str]:
    db.session.rollback()  # what was committed
    return db.session.scalars(db.select(RateCard.id).where(RateCard.is_default)).all()


def sign_in_admin(auth, make_user):
    user = make_user("admin@example.org", role="admin")
    auth.sign_in(user.email)
    return user


def admin_routes():
    """(method, url, form data) for every rate card route."""
    return [
        ("GET", "/admin/", None),
        ("GET", "/admin/rate-cards", None),
        ("GET", "/admin/rate-cards/uk-2026", None),
        ("GET", "/admin/rate-cards/uk-2026/copy", None),
        ("POST", "/admin/rate-cards/uk-2026/copy", card_form()),
        ("POST", "/admin/rate-cards/org-2026/default", {}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_may_use_rate_card_pages(client, auth, make_user, role):
    add_card()
    user = make_user(f"{role}@example.org", role=role)
    auth.sign_in(user.email)
    for method, url, data in admin_routes():
        response = client.open(url, method=method, data=data)
        if role == "admin":
            assert response.status_code == (302 if method == "POST" else 200), (method, url)
        else:
            assert response.status_code == 403, (method, url, role)
    if role != "admin":
        assert count(RateCard) == 3 and defaults() == ["uk-2026-12"] and count(AuditEvent) == 0


def test_anonymous_users_are_sent_to_sign_in(client):
    add_card()
    for method, url, data in admin_routes():
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert count(RateCard) == 3 and defaults() == ["uk-2026-12"]


def test_admin_link_is_shown_to_admins_only(client, auth, make_user):
    make_user("writer@example.org")
    auth.sign_in("writer@example.org")
    assert 'href="/admin/"' not in client.get("/bids/").get_data(as_text=True)
    auth.sign_out()
    sign_in_admin(auth, make_user)
    assert 'href="/admin/"' in client.get("/bids/").get_data(as_text=True)


def test_there_is_no_route_that_edits_a_card_in_place(app, client, auth, make_user):
    rules = {(rule.rule, method) for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/admin/rate-cards")
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert rules == {("/admin/rate-cards", "GET"), ("/admin/rate-cards/<card_id>", "GET"),
                     ("/admin/rate-cards/<card_id>/copy", "GET"),
                     ("/admin/rate-cards/<card_id>/copy", "POST"),
                     ("/admin/rate-cards/<card_id>/default", "POST")}
    sign_in_admin(auth, make_user)
    assert client.post("/admin/rate-cards/uk-2026", data=card_form()).status_code == 405
    assert client.get("/admin/rate-cards/uk-2026/edit").status_code == 404


def test_list_shows_cards_default_marker_and_plan_use(client, auth, make_user):
    add_card("org-2026")
    bid = make_bid()
    for number, card_id in enumerate(["uk-2026", "uk-2026", "org-2026"], start=1):
        db.session.add(PlanVersion(bid=bid, number=number, inputs={}, rate_card_id=card_id))
    db.session.commit()
    sign_in_admin(auth, make_user)
    page = client.get("/admin/rate-cards").get_data(as_text=True)
    assert "3 rate cards" in page and 'scope="col"' in page
    uk_row = page[page.index('href="/admin/rate-cards/uk-2026"'):]
    uk_row = uk_row[:uk_row.index("</tr>")]
    org_row = page[page.index('href="/admin/rate-cards/org-2026"'):]
    org_row = org_row[:org_row.index("</tr>")]
    new_row = page[page.index('href="/admin/rate-cards/uk-2026-12"'):]
    new_row = new_row[:new_row.index("</tr>")]
    assert "Default</strong>" in new_row and "1 December 2026" in new_row
    assert "Default</strong>" not in uk_row and "1 April 2026" in uk_row and ">2</td>" in uk_row
    assert "Default</strong>" not in org_row and ">1</td>" in org_row


def test_usage_counts_come_from_one_query(app):
    add_card("org-2026")
    bid = make_bid()
    db.session.add(PlanVersion(bid=bid, number=1, inputs={}, rate_card_id="org-2026"))
    db.session.commit()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        usage = services.rate_cards_with_usage()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert [(card.id, card.plan_versions) for card in usage] == [
        ("uk-2026-12", 0), ("org-2026", 1), ("uk-2026", 0)]
    statements = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))]  # the test's own
    assert len(statements) == 1 and "GROUP BY" in statements[0]


def test_card_page_shows_every_value_published_or_assumed(client, auth, make_user):
    sign_in_admin(auth, make_user)
    page = client.get("/admin/rate-cards/uk-2026").get_data(as_text=True)
    assert "govuk-summary-list" in page and "UK default rates 2026" in page

    def row(label: str) -> str:
        start = page.index(f">{label}</th>")
        return page[start:page.index("</tr>", start)]

    hourly = row("Contributor hourly rate")
    assert "£27.50" in hourly and "Published" in hourly and "Blue Heart" in hourly
    easy_read = row("Easy read")
    assert "£60.00" in easy_read and "Assumption" in easy_read and "(editable)" in easy_read
    travel = row("Return travel")
    assert "Local travel: £12.00" in travel and "National travel: £110.00" in travel
    assert "Most likely: 0.95" in row("Attendance")
    for caption in ("Rates and staff time", "Lead times", "Uncertainty", "Proportionality policy"):
        assert f"caption--m\">{caption}</caption>" in page
    assert client.get("/admin/rate-cards/no-such-card").status_code == 404


def test_copy_form_starts_with_the_source_values(client, auth, make_user):
    sign_in_admin(auth, make_user)
    page = client.get("/admin/rate-cards/uk-2026/copy").get_data(as_text=True)
    assert 'id="rates__contributor_hourly"' in page and 'value="27.5"' in page
    assert 'name="rates__travel_return__national"' in page and 'value="110"' in page
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Return travel' in page
    assert 'for="rates__role_fee_multipliers__co_lead">Co-lead with lived experience' in page
    assert "Assumption (editable)" in page and 'value="10:00"' in page


def test_admin_creates_a_card_from_an_existing_one(client, auth, make_user):
    admin = sign_in_admin(auth, make_user)
    response = client.post("/admin/rate-cards/uk-2026/copy", data=card_form(
        rates__contributor_hourly="30", rates__travel_return__national="120.50",
        uncertainty__sessions__high="1.6", policy__client_requirement_level="full"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/rate-cards/org-2027")
    db.session.rollback()  # read what was committed, not what the request left in the session
    card = db.session.get(RateCard, "org-2027")
    assert card.label == "Our rates from April 2027" and card.effective_from == date(2027, 4, 1)
    assert not card.is_default and card.created_by_id == admin.id
    assert card.values["rates"]["contributor_hourly"] == 30
    assert card.values["rates"]["travel_return"]["national"] == 120.5
    assert card.values["uncertainty"]["sessions"]["high"] == 1.6
    assert card.values["policy"]["client_requirement_level"] == "full"
    assert card.values == EngineCard.from_dict(card.values).to_dict()
    assert card.values["id"] == "org-2027" and card.values["effective_from"] == "2027-04-01"
    source = db.session.get(RateCard, "uk-2026")
    assert source.values == rate_card_document("uk-2026") and not source.is_default
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "ratecard.created"))
    assert event.user_id == admin.id and event.bid_id is None
    assert event.changes["source"] == "uk-2026"
    assert event.changes["values"]["rates.contributor_hourly"] == {"before": 27.5, "after": 30}
    assert "org-2027" in event.summary
    page = client.get("/admin/rate-cards/org-2027").get_data(as_text=True)
    assert "£30.00" in page and "Our rates from April 2027" in page


@pytest.mark.parametrize("field, value, message", [
    ("id", "uk-2026", "A rate card with this ID already exists"),
    ("id", "Our Card!", "Card ID can only use lowercase letters, digits and single hyphens"),
    ("id", "org--2027", "Card ID can only use lowercase letters"),
    ("id", "", "Enter a card ID"),
    ("label", "", "Enter a name for the card"),
    ("effective_from", "", "Enter the date the card takes effect"),
    ("effective_from", "2027-02-30", "Effective from must be a real date"),
    ("effective_from", "1999-12-31", "Effective from must be between 2000 and 2100"),
    ("rates__contributor_hourly", "-5", "Contributor hourly rate must be 0 or more"),
    ("rates__contributor_hourly", "lots", "Contributor hourly rate must be a number, like 27.5"),
    ("rates__contributor_hourly", "NaN", "Contributor hourly rate must be a number"),
    # Too large for the form, and no upper bound to name: never "must be 0 or more".
    ("rates__contributor_hourly", "99999999999999",
     "Contributor hourly rate must be a number, like 27.5"),
    ("rates__contributor_hourly", "", "Enter a value for Contributor hourly rate"),
    ("rates__travel_return__local", "-1", "Return travel: Local travel must be 0 or more"),
    ("policy__justification_min_chars", "4.5",
     "Shortest justification for level none must be a whole number"),
    ("policy__client_requirement_level", "galactic", "Not a valid choice"),
    # These pass WTForms and are caught by the engine's RateCard.from_dict:
    ("rates__contributor_hourly", "2000000",
     "Contributor hourly rate must be a number from 0 to 1,000,000"),
    ("rates__role_fee_multipliers__co_lead", "11",
     "Fee multiplier by role: Co-lead with lived experience must be a number from 0 to 10"),
    ("rates__early_start_before", "25:00", "Early start before must be a 24-hour time as HH:MM"),
    ("time__payment_weeks_max", "3",
     "Contributor payments take at most must be at least “Contributor payments take at least”"),
    ("policy__good_below_gbp", "1000",
     "Recommend good below must be at least “Recommend limited below”"),
    ("uncertainty__sessions__low", "1.2", "Sessions held must have low &lt;= mode &lt;= high"),
])
def test_bad_input_shows_a_field_message_and_stores_nothing(client, auth, make_user,
                                                           field, value, message):
    sign_in_admin(auth, make_user)
    response = client.post("/admin/rate-cards/uk-2026/copy", data=card_form(**{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error: " in page
    assert message in page
    assert f'<a href="#{field}">' in page and f'id="{field}-error"' in page
    assert count(RateCard) == 2 and count(AuditEvent) == 0


def test_every_bad_input_is_reported_in_one_round_trip(client, auth, make_user):
    sign_in_admin(auth, make_user)
    page = client.post("/admin/rate-cards/uk-2026/copy", data=card_form(
        id="BAD", rates__subsistence="-1", rates__easy_read_per_page="2000000",
        effective_from="")).get_data(as_text=True)
    for field in ("id", "rates__subsistence", "rates__easy_read_per_page", "effective_from"):
        assert f'<a href="#{field}">' in page
    assert 'value="2000000"' in page  # what was typed is kept
    assert count(RateCard) == 2


def test_engine_errors_land_at_fields_or_at_the_top(app):
    with app.test_request_context(method="POST", data=card_form()):
        form = RateCardForm()
        form.validate()
        form.add_engine_errors([
            {"field": "rates.venue_per_session.regional", "message": "must be a number",
             "code": "wrong_type"},
            {"field": "currency", "message": "'EUR' is not a known currency", "code": "x"}])
        assert form.rates.venue_per_session.regional.errors == [
            "Venue hire by bid scope: Regional must be a number"]
        assert form.form_errors == ["currency 'EUR' is not a known currency"]


def test_typed_text_is_escaped(client, auth, make_user):
    sign_in_admin(auth, make_user)
    label = "<script>alert('x')</script> & “rates”"
    client.post("/admin/rate-cards/uk-2026/copy", data=card_form(label=label,
                                                                 description="<b>bold</b>"))
    for url in ("/admin/rate-cards/org-2027", "/admin/rate-cards"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; “rates”" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in client.get("/admin/rate-cards/org-2027").get_data(as_text=True)


def test_choosing_the_default_leaves_exactly_one(client, auth, make_user):
    admin = sign_in_admin(auth, make_user)
    add_card("org-2026")
    add_card("org-2027", effective="2027-04-01")
    response = client.post("/admin/rate-cards/org-2027/default")
    assert response.status_code == 302 and response.headers["Location"].endswith("/org-2027")
    assert defaults() == ["org-2027"]
    client.post("/admin/rate-cards/org-2026/default")
    assert defaults() == ["org-2026"]
    client.post("/admin/rate-cards/org-2026/default")  # already the default: nothing changes
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == ["ratecard.default_set"] * 2
    assert events[0].changes == {"before": ["uk-2026-12"], "after": "org-2027"}
    assert events[1].user_id == admin.id
    assert client.post("/admin/rate-cards/no-such-card/default").status_code == 404
    assert "Make this the default card" not in client.get(
        "/admin/rate-cards/org-2026").get_data(as_text=True)


def test_choosing_the_default_needs_a_csrf_token(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = True  # this test's own app instance, not the config class
    make_user("admin@example.org", role="admin")
    add_card("org-2026")
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/sign-in", data={"email": "admin@example.org", "csrf_token": token,
                                  "password": PASSWORD})
    assert client.post("/admin/rate-cards/org-2026/default").status_code == 400
    assert defaults() == ["uk-2026-12"]
    card_page = client.get("/admin/rate-cards/org-2026").get_data(as_text=True)
    token = card_page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/admin/rate-cards/org-2026/default", data={"csrf_token": token})
    assert response.status_code == 302
    assert defaults() == ["org-2026"]


def test_the_level_targets_are_policy_values_an_admin_can_change(client, auth, make_user):
    sign_in_admin(auth, make_user)
    page = client.get("/admin/rate-cards/uk-2026/copy").get_data(as_text=True)
    for key in ("limited_target_percent", "good_target_percent", "full_target_percent"):
        assert f'name="policy__{key}"' in page
    response = client.post("/admin/rate-cards/uk-2026/copy",
                           data=card_form(policy__good_target_percent="5"))
    assert response.status_code == 302
    db.session.rollback()
    card = db.session.get(RateCard, "org-2027")
    assert card.values["policy"]["good_target_percent"] == 5
    assert EngineCard.from_dict(card.values).policy.target_percent("good") == 5
    response = client.post("/admin/rate-cards/uk-2026/copy",
                           data=card_form(id="org-2028", policy__full_target_percent="150"))
    assert "Size full starting plans to at most must be a number from 0 to 100" in \
        response.get_data(as_text=True)


def test_card_page_shows_status_basis_and_checked_date_of_each_value(client, auth, make_user):
    sign_in_admin(auth, make_user)
    page = client.get("/admin/rate-cards/uk-2026-12").get_data(as_text=True)

    def row(label: str) -> str:
        start = page.index(f">{label}</th>")
        return page[start:page.index("</tr>", start)]

    esa = row("ESA permitted work limit")
    assert "£203.50" in esa and "Derived</strong>" in esa and "National Living Wage" in esa
    assert "1 December 2026" in esa
    assert "NUBSLI" in row("BSL interpreter, full day") and "£280.00" in row(
        "BSL interpreter, full day")
    first = client.get("/admin/rate-cards/uk-2026").get_data(as_text=True)
    assert "1 April 2026" in first[first.index(">Carer&#39;s Allowance earnings limit</th>"):]


def test_a_copy_keeps_each_source_and_the_admin_may_change_it(client, auth, make_user):
    sign_in_admin(auth, make_user)
    page = client.get("/admin/rate-cards/uk-2026-12/copy").get_data(as_text=True)
    assert 'name="sources__benefits_esa_permitted_work_weekly__status"' in page
    assert 'value="2026-12-01"' in page
    response = client.post("/admin/rate-cards/uk-2026-12/copy", data=card_form(
        sources__rates_pa_hourly__status="published",
        sources__rates_pa_hourly__basis="Our PA agency's 2027 price list",
        sources__rates_pa_hourly__checked="2027-03-01"))
    assert response.status_code == 302
    db.session.rollback()
    sources = db.session.get(RateCard, "org-2027").values["sources"]
    assert sources["rates.pa_hourly"]["basis"] == "Our PA agency's 2027 price list"
    assert (sources["rates.pa_hourly"]["status"], sources["rates.pa_hourly"]["checked"]) == (
        "published", "2027-03-01")
    assert sources["benefits.esa_permitted_work_weekly"]["status"] == "derived"


def test_a_bad_checked_date_is_named_and_nothing_is_stored(client, auth, make_user):
    sign_in_admin(auth, make_user)
    page = client.post("/admin/rate-cards/uk-2026-12/copy", data=card_form(
        sources__rates_pa_hourly__checked="2027-02-30")).get_data(as_text=True)
    assert "The date Personal assistant hourly rate was checked must be a real date" in page
    assert count(RateCard) == 2
