"""Comparing two versions: changed inputs field by field, and cost differences checked
by hand against the engine's by_category of each version."""
from __future__ import annotations

import re
from decimal import Decimal

from app import costing
from app.extensions import db
from app.models import PlanVersion
from app.reviews.compare import compare_versions
from tests.factories import make_bid
from tests.plan_forms import activities_form
from tests.review_steps import approve, fresh, save_level, submit


def version(bid, number) -> PlanVersion:
    return db.session.scalar(db.select(PlanVersion).where(PlanVersion.bid_id == bid.id,
                                                          PlanVersion.number == number))


def edited_copy(client, bid, approved_version):
    """Version 2: line 2 has two more people, 12 easy read pages, and a blogger added."""
    people = approved_version.inputs["activities"][1]["people"]
    response = client.post(f"/bids/{bid.id}/plan/activities", data=activities_form(
        approved_version, **{"activities-1-people": str(people + 2),
                             "accessible_formats-easy_read_pages": "12",
                             "add_line": "1", "new_role": "blogger"}))
    assert response.status_code == 302
    return version(bid, 2)


def rows(page: str, testid: str) -> list[list[str]]:
    """The text of each cell in the rows marked with this data-testid."""
    found = re.findall(rf'<tr[^>]*data-testid="{testid}">(.*?)</tr>', page, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in found]


def test_the_cost_difference_matches_the_engine_by_category(approved, bid, team, as_user):
    writer = as_user(team.writer)
    newer = edited_copy(writer, bid, approved)
    older_costs = costing.estimate(fresh(approved).inputs)["by_category"]
    newer_costs = costing.estimate(newer.inputs)["by_category"]
    assert older_costs == fresh(approved).estimate["by_category"]
    assert newer_costs == newer.estimate["by_category"]

    page = writer.get(f"/bids/{bid.id}/review/compare?older=1&newer=2").get_data(as_text=True)
    table = rows(page, "category-row")
    assert [row[0] for row in table] == [costing.CATEGORY_LABELS[key]
                                         for key in costing.CATEGORIES]
    total_difference = Decimal(0)
    for key, row in zip(costing.CATEGORIES, table, strict=True):
        before, after = Decimal(str(older_costs[key])), Decimal(str(newer_costs[key]))
        total_difference += after - before
        assert row[1:] == [costing.format_gbp(before), costing.format_gbp(after),
                           costing.format_gbp(after - before)], key
    # Two more people and a blogger cost more fees; twelve easy read pages cost formats.
    assert Decimal(str(newer_costs["fees"])) > Decimal(str(older_costs["fees"]))
    assert Decimal(str(newer_costs["accessible_formats"])) > \
        Decimal(str(older_costs["accessible_formats"]))
    old_total = Decimal(str(fresh(approved).estimate["total_gbp"]))
    new_total = Decimal(str(newer.estimate["total_gbp"]))
    assert new_total - old_total == total_difference
    assert rows(page, "total-row") == [["Total", costing.format_gbp(old_total),
                                        costing.format_gbp(new_total),
                                        costing.format_gbp(total_difference)]]


def test_changed_inputs_are_listed_field_by_field(approved, bid, team, as_user):
    writer = as_user(team.writer)
    newer = edited_copy(writer, bid, approved)
    comparison = compare_versions(fresh(approved), newer)
    people = approved.inputs["activities"][1]["people"]
    assert [(change.label, change.before, change.after) for change in comparison.settings] == [
        ("Easy read pages", str(approved.inputs["accessible_formats"]["easy_read_pages"]), "12")]
    [changed, added] = comparison.lines
    assert (changed.number, changed.kind, changed.role) == (2, "changed", "Advisory group member")
    assert [(c.label, c.before, c.after) for c in changed.changes] == [
        ("Number of people", str(people), str(people + 2))]
    count = len(approved.inputs["activities"])
    assert (added.number, added.kind, added.role) == (count + 1, "added", "Blogger")
    assert added.summary.startswith("1 person × 1 session of")

    page = writer.get(f"/bids/{bid.id}/review/compare?older=1&newer=2").get_data(as_text=True)
    assert "Line 2: Advisory group member (changed)" in page
    assert f"Line {count + 1}: Blogger (added in version 2)" in page
    reverse = compare_versions(newer, fresh(approved))
    assert [line.kind for line in reverse.lines] == ["changed", "removed"]
    assert reverse.total.difference == -comparison.total.difference


def test_a_change_of_level_shows_the_level_reason_and_every_line(bid, team, as_user):
    good = save_level(bid, team.writer, level="good")
    assert submit(as_user(team.writer), bid, good).status_code == 302
    assert approve(as_user(team.reviewer), bid, fresh(good)).status_code == 302
    reason = "A desk review of published data only: nobody's services are affected at all."
    none = save_level(bid, team.writer, level="none", justification=reason)
    comparison = compare_versions(fresh(good), none)
    settings = {change.label: (change.before, change.after) for change in comparison.settings}
    assert settings["Level of co-production"] == ("Good", "None")
    assert settings["Justification for none"] == ("–", reason)
    assert {line.kind for line in comparison.lines} == {"removed"}
    assert len(comparison.lines) == len(good.inputs["activities"])
    assert comparison.total.after == 0
    assert comparison.total.difference == -Decimal(str(fresh(good).estimate["total_gbp"]))


def test_the_bid_as_costed_is_compared_too(approved, bid, team, as_user):
    bid.value_pence = 20_000_000
    db.session.commit()
    newer = edited_copy(as_user(team.writer), bid, approved)
    settings = {change.label: (change.before, change.after)
                for change in compare_versions(fresh(approved), newer).settings}
    assert settings["Bid value"] == ("£120,000.00", "£200,000.00")


def test_compare_picks_sensible_versions_from_bad_input(approved, bid, team, as_user):
    writer = as_user(team.writer)
    edited_copy(writer, bid, approved)
    page = writer.get(f"/bids/{bid.id}/review/compare?older=abc&newer=99")
    assert page.status_code == 200
    assert "Compare version 1 with version 2" in page.get_data(as_text=True)
    empty = make_bid("Alpha", title="No plan yet")
    assert writer.get(f"/bids/{empty.id}/review/compare").status_code == 404
