"""The plan document: content read back with pypdf, determinism, metadata, a second reader."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from app.costing import LEVEL_LABELS, estimate, format_gbp
from app.reports import VersionInfo, render_plan_pdf
from app.reports.pdf.sections import HEADINGS
from app.reports.text import BUDGET_TO_REQUEST_WHY
from tests.reports import plans
from tests.reports.conftest import pdf_text, require_tool
from tests.reports.corpus import corpus


@pytest.fixture(scope="module")
def approved_pdf(full_plan, full_estimate) -> bytes:
    return render_plan_pdf(full_plan, full_estimate, plans.APPROVED)


@pytest.fixture(scope="module")
def draft_pdf(full_plan, full_estimate) -> bytes:
    return render_plan_pdf(full_plan, full_estimate, plans.IN_REVIEW)


def test_title_prints_exactly_as_typed(approved_pdf):
    assert plans.TITLE in pdf_text(approved_pdf)
    assert "&lt;" not in pdf_text(approved_pdf)


def test_level_total_and_contingency_are_shown(approved_pdf, full_estimate):
    text = pdf_text(approved_pdf)
    assert f"Level chosen: {LEVEL_LABELS['full']}" in text
    assert format_gbp(full_estimate["total_gbp"]) in text
    assert format_gbp(full_estimate["uncertainty"]["recommended_contingency_gbp"]) in text
    assert format_gbp(full_estimate["total_gbp"]).startswith("£")


def test_every_section_heading_is_present(approved_pdf):
    text = pdf_text(approved_pdf)
    for number, heading in enumerate(HEADINGS, start=1):
        assert f"{number}. {heading}" in text, heading


def test_every_budget_line_appears_with_its_amount(approved_pdf, full_estimate):
    text = pdf_text(approved_pdf)
    assert len(full_estimate["lines"]) == 30
    for line in full_estimate["lines"]:
        assert format_gbp(line["amount_gbp"]) in text
    assert full_estimate["rate_card"]["id"] in text


def test_none_plan_shows_its_justification(none_plan, none_estimate):
    text = pdf_text(render_plan_pdf(none_plan, none_estimate, plans.APPROVED))
    assert " ".join(none_plan["justification"].split()) in text
    assert "Why there is no co-production in this bid" in text
    assert f"Level chosen: {LEVEL_LABELS['none']}" in text
    # Level none involves nobody: the plan never opens by saying how people will be involved.
    assert "will be involved in" not in text
    assert "will not be involved" in text and "co-production was considered" in text


def test_draft_is_marked_on_every_page(draft_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    assert len(reader.pages) > 3
    for page in reader.pages:
        assert "DRAFT" in page.extract_text()


@pytest.mark.parametrize("status", ["approved", "submitted"])
def test_final_versions_are_not_marked_draft(full_plan, full_estimate, status):
    version = VersionInfo(number=4, status=status, created_by="Sam Writer",
                          approved_by="Alex Reviewer")
    assert "DRAFT" not in pdf_text(render_plan_pdf(full_plan, full_estimate, version))


def test_unsaved_plan_is_a_draft(full_plan, full_estimate):
    assert "DRAFT" in pdf_text(render_plan_pdf(full_plan, full_estimate))


def test_page_numbers_count_the_pages(draft_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in " ".join(page.extract_text().split())


def test_same_version_gives_identical_bytes(full_plan, full_estimate, approved_pdf):
    assert render_plan_pdf(full_plan, full_estimate, plans.APPROVED) == approved_pdf


FRESH_PROCESS_PDF = """
import sys
from app.costing import estimate
from app.reports import render_plan_pdf
from tests.reports import plans
plan = plans.full_plan()
sys.stdout.buffer.write(render_plan_pdf(plan, estimate(plan), plans.APPROVED))
"""


def test_bytes_do_not_depend_on_what_the_process_rendered_before(full_plan, full_estimate):
    """Paragraph layouts, font subsets and picture digests are reused across documents
    (app/reports/pdf/paragraphs.py, embedding.py, closing.py): after other plans sharing
    much of it, a plan gives the same bytes as in a fresh process."""
    fresh = subprocess.run([sys.executable, "-c", FRESH_PROCESS_PDF], capture_output=True,
                           check=True, timeout=120, cwd=Path(__file__).resolve().parents[2]
                           ).stdout
    for other in corpus().values():
        render_plan_pdf(other, estimate(other), plans.IN_REVIEW)
    assert render_plan_pdf(full_plan, full_estimate, plans.APPROVED) == fresh


def test_cover_date_comes_from_the_version_not_the_clock(approved_pdf, full_plan, full_estimate):
    assert "4 March 2027" in pdf_text(approved_pdf)
    undated = render_plan_pdf(full_plan, full_estimate, issued_on=date(2027, 5, 6))
    assert "6 May 2027" in pdf_text(undated)


def test_metadata(approved_pdf):
    reader = PdfReader(io.BytesIO(approved_pdf))
    meta = reader.metadata
    assert meta.title == f"Co-production plan: {plans.TITLE}"
    assert meta.author == "Sam Writer"
    assert "Co-production plan for National Institute" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    top_level = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
    assert top_level[:2] == [
        f"1. {HEADINGS[0]}", f"2. {HEADINGS[1]}"]


def test_body_text_is_at_least_11pt_and_easy_read_at_least_16pt():
    from app.reports.pdf.styles import styles
    s = styles()
    for style in (s.body, s.cell, s.cell_note, s.bullet, s.caption, s.callout, s.muted):
        assert style.fontSize >= 11, style.name
    assert s.easy.fontSize >= 16


def test_worked_example_total(tmp_path):
    plan = plans.worked_example()
    text = pdf_text(render_plan_pdf(plan, estimate(plan)))
    assert "£7,419.00" in text


def test_opens_in_a_second_reader(draft_pdf, tmp_path):
    pdftoppm = require_tool("pdftoppm")
    source = tmp_path / "plan.pdf"
    source.write_bytes(draft_pdf)
    result = subprocess.run([pdftoppm, "-png", "-r", "40", str(source), str(tmp_path / "page")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(draft_pdf)).pages)
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    assert "Syntax Error" not in result.stderr


def test_tagged_pdf_passes_the_pdf_ua_checker(approved_pdf, draft_pdf):
    import page  # page-validation: a PDF/UA-1 (Matterhorn) and PDF/A validator

    for content in (approved_pdf, draft_pdf):
        report = page.validate_pdf_bytes(content, profile=page.ValidationProfile.PDF_UA_1)
        assert report.is_compliant, [f"{f.rule_id}: {f.message}" for f in report.failures]
        assert report.rules.failed == 0 and report.rules.total >= 100


def test_structure_tree_has_headings_tables_with_header_cells_and_figures(approved_pdf):
    root = PdfReader(io.BytesIO(approved_pdf)).trailer["/Root"]
    marked = root["/MarkInfo"]["/Marked"]
    assert isinstance(marked, BooleanObject) and marked
    tags, alts, scopes = [], [], set()

    def walk(element):
        element = element.get_object()
        if not hasattr(element, "get") or "/S" not in element:
            return
        tags.append(element["/S"])
        if element["/S"] == "/Figure":
            alts.append(element.get("/Alt", ""))
        if element["/S"] == "/TH":
            scopes.add(element["/A"]["/Scope"])
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(root["/StructTreeRoot"]["/K"])
    assert tags[0] == "/Document"
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TR", "/TH", "/TD"} <= set(tags)
    assert scopes == {"/Column", "/Row"}
    charts = [a for a in alts if "The table that follows gives every figure" in a]
    assert len(charts) == 4                  # the Gantt, two bar charts and the curve
    assert len(alts) > 4 and all(a.strip() for a in alts)   # and each easy read picture


def test_metadata_dates_are_the_versions_time(approved_pdf):
    reader = PdfReader(io.BytesIO(approved_pdf))
    assert reader.metadata["/CreationDate"] == "D:20270304160500+00'00'"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "<xmp:CreateDate>2027-03-04T16:05:00+00:00</xmp:CreateDate>" in xmp
    assert f">Co-production plan: {escape(plans.TITLE)}<" in xmp


def test_emoji_extract_as_themselves(full_estimate):
    plan = plans.with_title(plans.full_plan(), "Grins 😀 and winks 😉")
    text = pdf_text(render_plan_pdf(plan, estimate(plan), plans.APPROVED))
    assert "Grins 😀 and winks 😉" in text


def test_budget_to_request_with_the_contingency_and_why(approved_pdf, full_estimate):
    text = pdf_text(approved_pdf)
    request = full_estimate["budget_to_request_gbp"]
    assert request == round(full_estimate["total_gbp"]
                            + full_estimate["uncertainty"]["recommended_contingency_gbp"], 2)
    assert f"Budget to request {format_gbp(request)}" in text
    assert f"Total, every session as planned {format_gbp(full_estimate['total_gbp'])}" in text
    assert " ".join(BUDGET_TO_REQUEST_WHY.split()) in text
    assert f"the budget to request is {format_gbp(request)}" in text       # the summary


def test_cost_by_year_for_plans_over_a_year(full_estimate, approved_pdf):
    text = pdf_text(approved_pdf)
    assert "Cost by year" in text
    for year, amount in full_estimate["by_year"].items():
        assert f"Year {year} {format_gbp(amount)}" in text
    one_year = plans.worked_example()
    one_year["bid"]["duration_months"] = 12
    assert "Cost by year" not in pdf_text(render_plan_pdf(one_year, estimate(one_year)))


def test_boilerplate_follows_the_plan(none_plan, none_estimate):
    none_text = pdf_text(render_plan_pdf(none_plan, none_estimate, plans.APPROVED))
    for contradiction in ("All activities are in person", "existing network keeps",
                          "Access support is budgeted", "In-person meetings start"):
        assert contradiction not in none_text
    assert "no co-production activities are planned" in none_text.lower()
    remote = plans.worked_example()
    for activity in remote["activities"]:
        activity["mode"] = "remote"
        activity.pop("start_time", None)
    remote_text = pdf_text(render_plan_pdf(remote, estimate(remote), plans.APPROVED))
    assert "Every activity is remote" in remote_text
    for contradiction in ("All activities are in person", "In-person meetings start",
                          "meetings avoid early starts"):
        assert contradiction not in remote_text


def test_every_page_has_the_header_and_the_resources_it_draws_with(draft_pdf):
    """The running header is drawn once and repeated (document.py): every page still
    shows it, and names only transparency states and objects its own resources hold
    (the watermark's transparency is registered page by page)."""
    import re

    reader = PdfReader(io.BytesIO(draft_pdf))
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert plans.TITLE in text and "DRAFT" in text, number
        content = page.get_contents().get_data().decode("latin-1")
        resources = page["/Resources"]
        for name, kind in re.findall(r"/(\S+)\s+(gs|Do)\b", content):
            holder = resources["/ExtGState" if kind == "gs" else "/XObject"]
            assert "/" + name in holder, (number, name)


def test_page_furniture_and_watermark_are_pagination_artifacts(draft_pdf):
    import pdfplumber

    from app.reports.pdf.styles import MARGIN_BOTTOM, MARGIN_TOP
    reader = PdfReader(io.BytesIO(draft_pdf))
    stream = reader.pages[1].get_contents().get_data()
    for kind in (b"Header", b"Footer", b"Watermark"):
        assert b"/Artifact <</Type /Pagination /Subtype /" + kind + b">> BDC" in stream
    with pdfplumber.open(io.BytesIO(draft_pdf)) as pdf:
        for sheet in pdf.pages[:4]:
            furniture = [c for c in sheet.chars if c["top"] < MARGIN_TOP - 4
                         or c["bottom"] > sheet.height - MARGIN_BOTTOM + 4 or c["size"] > 60]
            assert furniture and all(c.get("mcid") is None for c in furniture)
            body = [c for c in sheet.chars if c not in furniture and c["text"].strip()]
            assert body and all(c.get("mcid") is not None for c in body)


def test_an_unsaved_plan_is_undated_never_the_year_2000(full_plan, full_estimate):
    reader = PdfReader(io.BytesIO(render_plan_pdf(full_plan, full_estimate)))
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata
    issued = PdfReader(io.BytesIO(render_plan_pdf(full_plan, full_estimate,
                                                  issued_on=date(2027, 5, 6))))
    assert issued.metadata["/CreationDate"] == "D:20270506000000+00'00'"
