"""The level page: the four levels from their sized plans, the recommendation with its
reasons, and plain words when no level can be kept within the limit."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app import costing
from app.versions import engine
from tests.factories import make_bid
from tests.html import form_fields
from tests.plan_forms import versions

# the bid of issue 13: local research, £85,000 over 18 months, co-production required
LOCAL_RESEARCH = dict(title="Local research", value_pence=8_500_000, duration_months=18,
                      scope="local", work_type="research", client_requires_coproduction=True)


class Sections(HTMLParser):
    """The text of each table row with ``data-level`` and each element with ``data-testid``."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self._open: list[tuple[str, str, int]] = []  # (name, tag, depth)
        self._depth = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        self._depth += 1
        name = attributes.get("data-level") or attributes.get("data-testid")
        if name:
            self._open.append((name, tag, self._depth))
            self.text.setdefault(name, "")

    def handle_endtag(self, tag) -> None:
        if self._open and self._open[-1][1] == tag and self._open[-1][2] == self._depth:
            self._open.pop()
        self._depth -= 1

    def handle_data(self, data) -> None:
        for name, _, _ in self._open:
            self.text[name] += " " + " ".join(data.split())


def compare(bid) -> dict:
    """The comparison the page shows: the bid's levels on the default card."""
    return costing.compare_levels(engine.bid_document(bid),
                                  rate_card=engine.default_rate_card().values)


def level_page(client, bid) -> Sections:
    response = client.get(f"/bids/{bid.id}/plan/level")
    assert response.status_code == 200
    return Sections(response.get_data(as_text=True))


def test_the_local_research_bid_gets_a_plan_within_the_limit_or_says_why(client, writer):
    bid = make_bid("Alpha", **LOCAL_RESEARCH)
    page = level_page(client, bid)
    comparison = compare(bid)
    recommended = next(row for row in comparison["levels"] if row["recommended"])
    assert "Recommended" in page.text[recommended["level"]]
    shown = page.text[recommended["level"]]
    assert f"{recommended['percent_of_bid']:.2f}%" in shown
    assert costing.format_gbp(recommended["total_gbp"]) in shown
    if recommended["percent_of_bid"] <= 15:
        assert "over-limit" not in page.text
    else:  # none can be: the page says so and what can be done
        assert "No level can be kept within 15%" in page.text["over-limit"]
        assert "separate co-production budget line" in page.text["actions"]
    # the reasons carry the figures: the bid value and the sized plan's cost and share
    assert "£85,000.00" in page.text["recommendation"]
    assert costing.format_gbp(recommended["total_gbp"]) in page.text["recommendation"]


def test_every_level_shows_its_floor_its_sized_lines_and_its_figures(client, writer):
    bid = make_bid("Alpha", **LOCAL_RESEARCH)
    page = level_page(client, bid)
    for row in compare(bid)["levels"]:
        shown = page.text[row["level"]]
        for need in row["floor_requirements"]:
            assert " ".join(need.split()) in shown
        for line in row["activities"]:
            assert costing.ROLE_LABELS[line["role"]] in shown
        assert costing.format_gbp(row["p80_gbp"]) in shown
        assert f"{row['percent_of_bid']:.2f}%" in shown


def test_a_small_bid_says_plainly_that_no_level_fits_and_what_to_do(client, writer):
    bid = make_bid("Alpha", **dict(LOCAL_RESEARCH, value_pence=500_000))
    page = level_page(client, bid)
    assert "No level can be kept within 15% of this bid" in page.text["over-limit"]
    for action in ("Ask the client for a separate co-production budget line",
                   "Partner with a local user-led organisation",
                   "Share a standing network of contributors across bids",
                   "Use remote sessions where they suit people"):
        assert action in page.text["actions"]
    assert "At its floor" in page.text["good"]


@pytest.mark.parametrize("level", ["limited", "good", "full"])
def test_choosing_a_level_starts_from_the_plan_the_page_shows(client, writer, level):
    bid = make_bid("Alpha", **LOCAL_RESEARCH)
    shown = {row["level"]: row for row in
             compare(bid)["levels"]}[level]
    client.post(f"/bids/{bid.id}/plan/level", data={"level": level})
    [version] = versions(bid.id)
    assert version.inputs["activities"] == shown["activities"]
    assert version.estimate["total_gbp"] == shown["total_gbp"]


def test_a_new_plan_starts_with_the_recommended_level_chosen_and_a_saved_one_keeps_its_own(
        client, writer):
    bid = make_bid("Alpha", **LOCAL_RESEARCH)
    recommended = compare(bid)["recommendation"]["level"]
    page = client.get(f"/bids/{bid.id}/plan/level").get_data(as_text=True)
    assert form_fields(page).get("level") == recommended
    other = "limited" if recommended != "limited" else "good"
    client.post(f"/bids/{bid.id}/plan/level", data={"level": other})
    page = client.get(f"/bids/{bid.id}/plan/level").get_data(as_text=True)
    assert form_fields(page).get("level") == other
