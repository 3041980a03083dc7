"""The plan document: content read back with pypdf, determinism, metadata, a second reader."""
from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from app.costing import LEVEL_LABELS, estimate, format_gbp
from app.reports import VersionInfo, render_plan_pdf
from app.reports.pdf.sections import HEADINGS
from tests.reports import plans
from tests.reports.conftest import pdf_text, require_tool


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
