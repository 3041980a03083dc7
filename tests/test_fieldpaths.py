"""One language for field paths: the engine's paths lead to the form's fields."""
from __future__ import annotations

import pytest
from wtforms import Form, FormField, IntegerField

from app import fieldpaths
from app.plans.forms import PlanForm


@pytest.mark.parametrize(("path", "parts"), [
    ("activities[2].needs.bsl", ("activities", 2, "needs", "bsl")),
    ("bid.value_gbp", ("bid", "value_gbp")),
    ("level", ("level",)),
    ("activities[10]", ("activities", 10)),
    ("rates.travel_return.local", ("rates", "travel_return", "local")),
])
def test_paths_parse_into_keys_and_positions(path, parts):
    assert fieldpaths.parse_path(path) == parts


@pytest.mark.parametrize("path", ["", ".level", "activities[x]", "a..b", "a b", "a[-1]", "a."])
def test_what_is_not_a_path_parses_to_none(path):
    assert fieldpaths.parse_path(path) is None


def test_html_ids_and_values_follow_the_path():
    assert fieldpaths.html_id("activities[2].needs.bsl") == "activities-2-needs-bsl"
    assert fieldpaths.html_id("rates.travel_return.local", "__") == "rates__travel_return__local"
    document = {"activities": [{"needs": {"bsl": True}}]}
    assert fieldpaths.value_at(document, "activities[0].needs.bsl") is True
    assert fieldpaths.value_at(document, "activities[3].needs.bsl") is None
    assert fieldpaths.value_at(document, "activities.needs") is None


LINE = {"role": "writer", "people": 2, "sessions": 1, "hours_per_session": 3,
        "prep_hours_per_session": 0, "stage": "development", "start_week": 1,
        "mode": "in_person", "travel": "local", "start_time": None,
        "needs": {"bsl": False, "personal_assistants": 0, "carers_needing_replacement_care": 0}}


def plan_form(app, lines=2):
    with app.test_request_context():
        return PlanForm(data={"activities": [LINE] * lines,
                              "accessible_formats": {"easy_read_pages": 0}})


def test_engine_errors_land_on_the_field_their_path_names(app):
    form = plan_form(app)
    fieldpaths.attach_engine_errors(form, [
        {"field": "activities[1].needs.carers_needing_replacement_care",
         "message": "must be at most 500"},
        {"field": "accessible_formats.easy_read_pages", "message": "must be at most 1,000"},
        {"field": "activities[7].people", "message": "must be 1 or more"},
        {"field": "options.draws", "message": "must be a whole number"}])
    line = form.activities[1].form
    assert line.needs.carers_needing_replacement_care.errors == [
        "Carers needing replacement care must be at most 500"]
    assert line.needs.carers_needing_replacement_care.id == \
        "activities-1-needs-carers_needing_replacement_care"
    assert form.accessible_formats.easy_read_pages.errors == ["Easy read pages must be at most 1,000"]
    assert form.form_errors == ["activities[7].people must be 1 or more",
                                "options.draws must be a whole number"]


def test_an_error_about_a_group_lands_on_its_first_input_once(app):
    class Inner(Form):
        low = IntegerField("Low")
        high = IntegerField("High")

    class Outer(Form):
        triangle = FormField(Inner)

    form = Outer()
    fieldpaths.attach_engine_errors(form, [{"field": "triangle", "message": "is wrong"},
                                           {"field": "triangle.low", "message": "again"}])
    assert form.triangle.low.errors == ["Low is wrong"] and not form.triangle.high.errors
