"""The Word plan: opens in python-docx and LibreOffice, Word headings in order,
header rows that repeat, totals equal to the estimate's, pictures with alt text."""
from __future__ import annotations

import io
import subprocess
import zipfile
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn

from app.costing import estimate, format_gbp
from app.reports import easyread
from app.reports.pdf.sections import HEADINGS
from app.reports.word import render_plan_docx
from app.reports.word.sections import TOTAL_AS_PLANNED
from tests.reports import plans
from tests.reports.conftest import pdf_text, require_tool
from tests.reports.corpus import corpus, typed_strings

LAYOUT = "Layout:"   # caption that marks the easy read grid as a layout table


@pytest.fixture(scope="module")
def approved_docx(full_plan, full_estimate) -> bytes:
    return render_plan_docx(full_plan, full_estimate, plans.APPROVED)


@pytest.fixture(scope="module")
def opened(approved_docx):
    return docx.Document(io.BytesIO(approved_docx))


def _headings(document) -> list[tuple[int, str]]:
    out = []
    for para in document.paragraphs:
        name = para.style.name
        if name == "Title":
            out.append((0, para.text))
        elif name.startswith("Heading "):
            out.append((int(name.split()[1]), para.text))
    return out


def _caption(table) -> str:
    caption = table._tbl.tblPr.find(qn("w:tblCaption"))
    return caption.get(qn("w:val")) if caption is not None else ""


def _data_tables(document):
    return [t for t in document.tables if not _caption(t).startswith(LAYOUT)]


def _pence(text: str) -> int:
    return int(Decimal(text.replace("£", "").replace(",", "")) * 100)


def test_headings_are_word_headings_in_order(opened, full_plan):
    headings = _headings(opened)
    assert headings[0] == (0, full_plan["bid"]["title"])
    assert [text for level, text in headings if level == 1] == list(HEADINGS)
    levels = [level for level, _ in headings]
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))


def test_every_data_table_has_a_repeating_header_row(opened):
    tables = _data_tables(opened)
    assert len(tables) >= 15
    for table in tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None, _caption(table)
        assert all(row.trPr is None or row.trPr.find(qn("w:tblHeader")) is None
                   for row in rows[1:])
        assert _caption(table)


def test_the_only_other_table_is_the_easy_read_layout(opened, full_plan, full_estimate):
    layout = [t for t in opened.tables if _caption(t).startswith(LAYOUT)]
    assert len(layout) == 1
    said = easyread.sentences(full_plan, full_estimate)
    assert [row.cells[1].text for row in layout[0].rows] == [s.text for s in said]


def test_totals_equal_the_estimate(opened, full_estimate):
    tables = {_caption(t): t for t in _data_tables(opened)}
    totals = {row.cells[0].text: row.cells[1].text for row in tables["Budget totals"].rows}
    assert totals[TOTAL_AS_PLANNED] == format_gbp(full_estimate["total_gbp"])
    assert totals["Recommended contingency"] == format_gbp(
        full_estimate["uncertainty"]["recommended_contingency_gbp"])
    assert totals["Budget to request"] == format_gbp(full_estimate["budget_to_request_gbp"])
    years = {row.cells[0].text: row.cells[1].text for row in tables["Cost by year"].rows[1:]}
    assert years == {**{f"Year {y}": format_gbp(v) for y, v in full_estimate["by_year"].items()},
                     "Total": format_gbp(full_estimate["total_gbp"])}
    line_tables = [t for name, t in tables.items() if name.startswith("Budget lines: ")]
    amounts = [row.cells[-1].text for t in line_tables for row in t.rows[1:-1]]
    assert len(amounts) == len(full_estimate["lines"])
    assert sum(_pence(a) for a in amounts) == _pence(format_gbp(full_estimate["total_gbp"]))
    subtotals = sorted(_pence(t.rows[-1].cells[-1].text) for t in line_tables)
    assert subtotals == sorted(_pence(format_gbp(v)) for v in
                               full_estimate["by_category"].values() if v)


def test_every_picture_has_alternative_text(opened, full_estimate):
    shapes = list(opened.inline_shapes)
    descriptions = [shape._inline.docPr.get("descr") for shape in shapes]
    assert len(shapes) == 4 + len(easyread.sentences(plans.full_plan(), full_estimate))
    assert all(descriptions)
    category_chart = next(d for d in descriptions if "by category" in d)
    assert format_gbp(max(full_estimate["by_category"].values())) in category_chart


def test_easy_read_is_large_with_pictures_and_credit(opened):
    layout = next(t for t in opened.tables if _caption(t).startswith(LAYOUT))
    for row in layout.rows:
        assert row.cells[0]._tc.xpath(".//pic:pic")
        sizes = {run.font.size.pt for run in row.cells[1].paragraphs[0].runs}
        assert min(sizes) >= easyread.MIN_TEXT_PT
    assert any(easyread.CREDIT in p.text for p in opened.paragraphs)


def test_page_numbers_and_draft_marking(full_plan, full_estimate, opened):
    footer = opened.sections[0].footer._element
    assert {f.get(qn("w:instr")) for f in footer.iter(qn("w:fldSimple"))} == {"PAGE", "NUMPAGES"}
    assert "DRAFT" not in opened.sections[0].header.paragraphs[0].text
    draft = docx.Document(io.BytesIO(render_plan_docx(full_plan, full_estimate, plans.IN_REVIEW)))
    assert "DRAFT" in draft.sections[0].header.paragraphs[0].text


def test_the_document_language_is_british_english(opened):
    languages = opened.styles.element.xpath("w:docDefaults//w:lang")
    assert [lang.get(qn("w:val")) for lang in languages] == ["en-GB"]
    assert opened.core_properties.language == "en-GB"


def test_approval_record(opened):
    record = next(t for t in _data_tables(opened) if _caption(t) == "Approval record")
    pairs = {row.cells[0].text: row.cells[1].text for row in record.rows}
    assert pairs["Approved by"] == "Alex Reviewer" and pairs["Version"] == "3"


def test_same_version_same_bytes_with_the_versions_time(full_plan, full_estimate, approved_docx):
    assert render_plan_docx(full_plan, full_estimate, plans.APPROVED) == approved_docx
    props = docx.Document(io.BytesIO(approved_docx)).core_properties
    assert props.created == plans.APPROVED.approved_at
    assert props.modified == props.created
    with zipfile.ZipFile(io.BytesIO(approved_docx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert not any("thumbnail" in name for name in archive.namelist())


def test_user_text_is_kept_as_typed_and_control_characters_dropped(full_estimate):
    plan = plans.with_title(plans.full_plan(), "Films <b>&amp; \x07 \"quotes\" 😀 مشاريع")
    opened = docx.Document(io.BytesIO(render_plan_docx(plan, full_estimate)))
    assert _headings(opened)[0] == (0, "Films <b>&amp; \"quotes\" 😀 مشاريع")


def test_level_none_plan(none_plan, none_estimate):
    opened = docx.Document(io.BytesIO(render_plan_docx(none_plan, none_estimate)))
    text = "\n".join(p.text for p in opened.paragraphs)
    assert none_plan["justification"] in text
    assert [t for level, t in _headings(opened) if level == 1] == list(HEADINGS)
    assert "will be involved in" not in text and "will not be involved" in text


def test_libreoffice_opens_and_converts_it(approved_docx, tmp_path):
    soffice = require_tool("soffice", "libreoffice-writer-nogui",
                           "it opens the Word plan as a third-party reader would")
    source = tmp_path / "plan.docx"
    source.write_bytes(approved_docx)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr
    text = pdf_text((tmp_path / "plan.pdf").read_bytes())
    for heading in HEADINGS:
        assert heading in text
    assert "Page 2 of" in text
    result_estimate = estimate(plans.full_plan())
    assert format_gbp(result_estimate["total_gbp"]) in text


@pytest.fixture(scope="module", params=list(corpus()))
def corpus_docx(request):
    plan = corpus()[request.param]
    result = estimate(plan)
    return plan, result, docx.Document(io.BytesIO(render_plan_docx(plan, result,
                                                                   plans.IN_REVIEW)))


def _all_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_every_plan_of_the_corpus_keeps_headings_header_rows_and_totals(corpus_docx):
    plan, result, opened = corpus_docx
    assert [text for level, text in _headings(opened) if level == 1] == list(HEADINGS)
    for table in _data_tables(opened):
        assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    totals = next(t for t in _data_tables(opened) if _caption(t) == "Budget totals") \
        if result["lines"] else None
    if totals is not None:
        assert totals.rows[1].cells[1].text == format_gbp(result["total_gbp"])
    text = _all_text(opened)
    for typed in typed_strings(plan):
        assert " ".join(typed.split()) in text


def test_a_long_budget_is_laid_out_on_landscape_pages():
    from docx.enum.section import WD_ORIENT

    plan = corpus()["60-lines-120-months"]
    opened = docx.Document(io.BytesIO(render_plan_docx(plan, estimate(plan))))
    orientations = [section.orientation for section in opened.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = opened.sections[1]
    assert landscape.page_width > landscape.page_height
    working = [t for t in _data_tables(opened) if _caption(t).startswith("Budget lines: ")]
    assert all(t.rows[0].cells[1].text == "Working" for t in working)
    short = docx.Document(io.BytesIO(render_plan_docx(plans.full_plan(), estimate(plans.full_plan()))))
    assert len(short.sections) == 1 + (len(estimate(plans.full_plan())["lines"]) > 12) * 2


def test_network_members_on_lines_are_listed_as_the_register_names_them(full_estimate):
    plan = plans.full_plan()
    plan["activities"][0]["members"] = ["Member 12", "Asha K."]
    opened = docx.Document(io.BytesIO(render_plan_docx(plan, full_estimate)))
    assert (2, "Network members taking part") in _headings(opened)
    assert any(p.text.endswith(": Member 12, Asha K.") for p in opened.paragraphs)
