"""The load test's quick form reader (tests/html.py quick_forms) reads every form of the
app's pages as the full HTML parser does, so its users post what a browser would."""
from __future__ import annotations

import pytest

from tests.html import form_with, forms, quick_form_with, quick_forms
from tests.plan_forms import activities_form, versions

WHY = 'Peer <b>researchers</b> & "carers"\n\'quoted\' &amp; more'


def page_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.fixture
def planned(client, bid):
    """A bid with a saved good-level plan whose lines carry markup-like text."""
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    data = activities_form(versions(bid.id)[-1], **{"activities-0-needs-bsl": "y"})
    response = client.post(f"/bids/{bid.id}/plan/activities", data={**data, "action": "save"})
    assert response.status_code == 302
    return bid


def test_quick_reader_reads_the_editor_as_the_full_parser_does(client, planned):
    page = page_of(client, f"/bids/{planned.id}/plan/activities")
    assert [(form.id, form.action, form.fields) for form in quick_forms(page)] == \
        [(form.id, form.action, form.fields) for form in forms(page)]
    fields = quick_form_with(page, "activities-0-people")
    assert fields == form_with(page, "activities-0-people")
    assert fields["activities-0-needs-bsl"] == "y"  # a checked box


@pytest.mark.parametrize("path", ["/bids/", "/bids/{id}", "/bids/{id}/edit", "/bids/{id}/plan/level",
                                  "/account/password", "/account/tokens"])
def test_quick_reader_reads_the_other_pages_as_the_full_parser_does(client, planned, path):
    page = page_of(client, path.format(id=planned.id))
    quick, full = quick_forms(page), forms(page)
    assert full, path  # every one of these pages has a form to read
    assert [(f.id, f.action, f.fields) for f in quick] == [(f.id, f.action, f.fields) for f in full]


def test_quick_reader_reads_the_sign_in_form(app):
    page = page_of(app.test_client(), "/sign-in")
    assert quick_form_with(page, "email") == form_with(page, "email")
    with pytest.raises(LookupError):
        quick_form_with(page, "activities-0-people")


def test_quick_reader_reads_a_textarea_with_markup_in_it(client, bid):
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "none", "justification": WHY})
    page = page_of(client, f"/bids/{bid.id}/plan/level")
    assert quick_form_with(page, "justification") == form_with(page, "justification")
    assert quick_form_with(page, "justification")["justification"].strip() == WHY
