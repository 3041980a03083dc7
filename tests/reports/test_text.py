"""User text: escaping for reportlab markup, spreadsheet cells, file names; hostile input."""
from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from app.costing import estimate
from app.reports import budget_filename, markup, plan_filename, render_plan_pdf
from app.reports.pdf.styles import styles
from app.reports.text import clean, slug, spreadsheet_cell
from tests.reports import plans
from tests.reports.conftest import pdf_text

HOSTILE = [
    "<para>", "</b>", "&amp;", "<b", "a < b && c > d", "<font color='red'>x</font>",
    "<br/><br/>", "&#0; &nbsp; &bogus;", "x" * 3000, "Long " * 1000,
    "Emoji 😀🎬👩🏽‍🦯", "مشاريع الرعاية الاجتماعية", "שירותים חברתיים", "tab\there\nnew\r\nline",
    "\x00\x07\x1b control", "\ud800 lone surrogate", "=HYPERLINK(\"http://x\")",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_paragraphs_never_raise(text):
    paragraph = Paragraph(markup(text), styles().body)
    width, height = paragraph.wrap(400, 10_000)
    assert height > 0


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
@example("&\xad")  # a soft hyphen after an entity once vanished with its neighbour
def test_markup_parses_and_keeps_the_visible_text(text):
    paragraph = Paragraph(markup(text), styles().body)
    paragraph.wrap(300, 10_000)
    visible = "".join(paragraph.getPlainText().split())   # line breaks become <br/>
    assert visible == "".join(clean(text).split())


def test_markup_escapes_tags_and_entities():
    assert markup("Transition <resources> & films") == "Transition &lt;resources&gt; &amp; films"
    assert markup("a\nb") == "a<br/>b"


@pytest.fixture(scope="module")
def base_plan_and_estimate():
    plan = plans.worked_example()
    return plan, estimate(plan)


@pytest.mark.parametrize("title", HOSTILE + ["T" * 5000, ("Transition <resources> & films " * 170)])
def test_hostile_titles_render(base_plan_and_estimate, title):
    plan, result = base_plan_and_estimate
    hostile = plans.with_title(plan, title)
    hostile["bid"]["client"] = title[:500]
    hostile["bid"]["reference"] = title[:200]
    content = render_plan_pdf(hostile, result, plans.IN_REVIEW)
    assert content.startswith(b"%PDF")


def test_long_title_prints_in_full(base_plan_and_estimate):
    plan, result = base_plan_and_estimate
    title = "Transition <resources> & films " * 170       # about 5,000 characters
    text = pdf_text(render_plan_pdf(plans.with_title(plan, title), result))
    # cover and summary each hold the whole title (the running header a shortened
    # one; the easy read page names only a short title); page breaks may interrupt
    # one or two repeats
    assert text.count("Transition <resources> & films") >= 2 * 170 - 10


def test_hostile_justification_renders(none_plan):
    justification = "<b>Because</b> & " + "y" * 3000 + " 😀 مشاريع </para>"
    plan = plans.none_plan(justification)
    text = pdf_text(render_plan_pdf(plan, estimate(plan)))
    assert "<b>Because</b> &" in text


@given(st.text(min_size=1, max_size=120))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_any_title_renders(base_plan_and_estimate, title):
    plan, result = base_plan_and_estimate
    assert render_plan_pdf(plans.with_title(plan, title), result).startswith(b"%PDF")


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-5", "@SUM(A1)", "\tx"])
def test_spreadsheet_cells_never_start_a_formula(text):
    assert spreadsheet_cell(text) == "'" + text


def test_plain_spreadsheet_text_is_unchanged():
    assert spreadsheet_cell("Fees for contributors") == "Fees for contributors"


def test_file_names_are_safe():
    assert plan_filename("NICH/2027-031", 3, "pdf") == "NICH-2027-031-v3-coproduction-plan.pdf"
    assert budget_filename("NICH/2027-031", 3, "xlsx") == "NICH-2027-031-v3-budget.xlsx"
    assert budget_filename("", None, "csv") == "bid-draft-budget.csv"
    assert plan_filename("../../etc/passwd\r\n\"x", 1) == "etc-passwd-x-v1-coproduction-plan.pdf"


@given(st.text(max_size=200), st.integers(min_value=1, max_value=10_000))
@settings(max_examples=100, deadline=None)
def test_file_names_are_always_ascii_and_pathless(reference, version):
    name = plan_filename(reference, version, "pdf")
    assert name.isascii() and "/" not in name and "\\" not in name and '"' not in name
    assert name.endswith(f"-v{version}-coproduction-plan.pdf")
    assert slug(reference) == slug(copy.copy(reference))


def test_table_row_taller_than_a_page_continues(base_plan_and_estimate):
    plan, result = base_plan_and_estimate
    plan = copy.deepcopy(plan)
    plan["bid"]["client"] = "Client <x> & " * 900 + "y" * 4000    # a cover-table row of pages
    text = pdf_text(render_plan_pdf(plan, result))
    assert text.count("Client <x> &") == 2 * 900     # cover table and summary (easy read: too long)
