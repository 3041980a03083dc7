"""The easy read summary: short sentences, each with a vendored picture, credited."""
from __future__ import annotations

import copy

import pytest
from PIL import Image

from app.costing import estimate, format_gbp
from app.reports import easyread
from tests.reports import plans

LONG_TITLE = "A very long title " * 17   # about 300 characters


def _plans() -> dict[str, dict]:
    full = plans.full_plan()
    long_names = copy.deepcopy(full)
    long_names["bid"]["title"] = LONG_TITLE
    long_names["bid"]["client"] = "The Department of " + "Health and Social Care " * 6
    return {"full": full, "none": plans.none_plan(), "worked": plans.worked_example(),
            "long names": long_names}


@pytest.fixture(scope="module", params=list(_plans()))
def summary(request) -> tuple[dict, dict, list[easyread.Sentence]]:
    plan = _plans()[request.param]
    result = estimate(plan)
    return plan, result, easyread.sentences(plan, result)


def test_every_sentence_has_at_most_15_words(summary):
    _, _, said = summary
    assert said
    for sentence in said:
        assert sentence.words <= easyread.MAX_WORDS, sentence.text


def test_one_idea_per_sentence(summary):
    """One sentence each: a single full stop, at the end (amounts' decimal points aside)."""
    for sentence in summary[2]:
        text = sentence.text
        assert text.endswith("."), text
        assert text.replace(". ", "|").count("|") <= 1, text


def test_every_sentence_has_a_picture_that_exists(summary):
    for sentence in summary[2]:
        path = sentence.picture_path
        with Image.open(path) as picture:
            assert picture.format == "PNG" and picture.width >= 96, path
        assert sentence.alt


def test_every_listed_picture_is_vendored():
    for key in easyread.all_picture_keys():
        assert easyread.Sentence((("x", False),), key).picture_path.is_file()


def test_the_licence_is_credited_and_shipped():
    assert "OpenMoji" in easyread.CREDIT and "CC BY-SA 4.0" in easyread.CREDIT
    licence = (easyread.PICTURE_DIR / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Attribution-ShareAlike 4.0" in licence


def test_long_names_are_not_read_out_but_short_ones_are():
    long_plan = _plans()["long names"]
    text = " ".join(s.text for s in easyread.sentences(long_plan, estimate(long_plan)))
    assert LONG_TITLE.strip() not in text and "first page" in text
    short = plans.worked_example()
    said = easyread.sentences(short, estimate(short))
    assert any(short["bid"]["title"] in s.text for s in said)


def test_costs_are_the_estimates():
    plan = plans.full_plan()
    result = estimate(plan)
    text = " ".join(s.text for s in easyread.sentences(plan, result))
    assert format_gbp(result["total_gbp"]) in text
    assert format_gbp(result["budget_to_request_gbp"]) in text


def test_an_estimate_stored_before_the_budget_to_request_still_reads():
    plan = plans.full_plan()
    result = estimate(plan)
    old = {key: value for key, value in result.items() if key != "budget_to_request_gbp"}
    text = " ".join(s.text for s in easyread.sentences(plan, old))
    assert format_gbp(result["budget_to_request_gbp"]) in text


def test_level_none_says_no_one_is_involved_and_prices_nothing():
    plan = plans.none_plan()
    text = " ".join(s.text for s in easyread.sentences(plan, estimate(plan)))
    assert "we will not involve people" in text and "£" not in text
    assert "plan to work with people" not in text  # no sentence that says the opposite


def test_a_missing_picture_says_how_to_make_it(monkeypatch, tmp_path):
    monkeypatch.setattr(easyread, "PICTURE_DIR", tmp_path)
    with pytest.raises(easyread.PicturesMissing, match="make pictures"):
        _ = easyread.sentences(plans.none_plan(), estimate(plans.none_plan()))[0].picture_path
