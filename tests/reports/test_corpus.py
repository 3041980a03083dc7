"""The layout corpus (tests/reports/corpus.py): every size of plan, level none, every kind
of work and hostile text, each rendered once, checked on every page as a reviewer would."""
from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass

import page
import pdfplumber
import pytest
from pypdf import PdfReader

from app.costing import estimate
from app.costing.vocabulary import WORK_TYPE_LABELS
from app.reports import render_plan_pdf
from app.reports.pdf.styles import MARGIN_LEFT, MARGIN_RIGHT
from tests.reports import corpus, plans
from tests.reports.conftest import require_tool

PLANS = corpus.corpus()
EDGE = 36.0   # points: nothing is printed closer than half an inch to the top or bottom


@dataclass
class Rendered:
    plan: dict
    content: bytes
    pages: list            # per page: (width, height, glyphs)
    lowest_tags: list      # per page: the structure type of the lowest tagged text
    headers_alone: list    # per page: True when a table header has no cell text below it


@pytest.fixture(scope="session")
def rendered() -> dict[str, Rendered]:
    """Each corpus plan as a draft (watermark and all), read once with pdfplumber."""
    out = {}
    for name, plan in PLANS.items():
        content = render_plan_pdf(plan, estimate(plan), plans.IN_REVIEW)
        pages, lowest, alone = [], [], []
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            for sheet in pdf.pages:
                glyphs = corpus.glyphs(sheet)
                pages.append((sheet.width, sheet.height, glyphs))
                tagged = [c for c in sheet.chars if c.get("mcid") is not None and c["text"].strip()]
                lowest.append(max(tagged, key=lambda c: c["bottom"])["tag"] if tagged else None)
                alone.append(_header_alone(sheet.chars))
        out[name] = Rendered(plan, content, pages, lowest, alone)
    return out


def _header_alone(chars: list[dict]) -> bool:
    """A table header (white text on the dark fill) with no table cell's text under it."""
    headers = [c for c in chars if c["text"].strip()
               and tuple(c["non_stroking_color"] or ()) == (1.0, 1.0, 1.0)]
    if not headers:
        return False
    lowest = max(c["bottom"] for c in headers)
    return not any(c.get("tag") in ("TD", "TH") and c["top"] > lowest and c["text"].strip()
                   for c in chars)


NAMES = list(PLANS)


def test_the_corpus_covers_sizes_levels_and_kinds_of_work():
    sizes = {len(p["activities"]) for p in PLANS.values()}
    assert {1, 8, 30, 60} <= sizes
    assert {48, 120} <= {p["bid"]["duration_months"] for p in PLANS.values()}
    assert {p["bid"]["work_type"] for p in PLANS.values()} == set(WORK_TYPE_LABELS)
    assert "none" in {p["level"] for p in PLANS.values()}
    assert any(len(p["bid"]["title"]) == 300 for p in PLANS.values())
    assert any(corpus.HOSTILE in corpus.typed_strings(p) for p in PLANS.values())


@pytest.mark.parametrize("name", NAMES)
def test_no_two_glyphs_are_drawn_over_each_other(rendered, name):
    for number, (_, _, glyphs) in enumerate(rendered[name].pages, start=1):
        clashes = corpus.overlapping_glyphs(glyphs)
        assert not clashes, (f"page {number}: "
                             f"{[(a.text, b.text, round(a.x0), round(a.top)) for a, b in clashes[:5]]}")


@pytest.mark.parametrize("name", NAMES)
def test_no_two_cells_run_together(rendered, name):
    for number, (_, _, glyphs) in enumerate(rendered[name].pages, start=1):
        touching = corpus.cells_running_together(glyphs)
        assert not touching, (f"page {number}: "
                              f"{[(a.text, b.text, round(a.x1, 1)) for a, b in touching[:5]]}")


@pytest.mark.parametrize("name", NAMES)
def test_no_text_outside_the_margins(rendered, name):
    for number, (width, height, glyphs) in enumerate(rendered[name].pages, start=1):
        outside = corpus.outside_margins(glyphs, width, height, MARGIN_LEFT, MARGIN_RIGHT, EDGE)
        assert not outside, f"page {number}: {[g.text for g in outside[:10]]}"


@pytest.mark.parametrize("name", NAMES)
def test_no_page_ends_with_a_heading(rendered, name):
    for number, tag in enumerate(rendered[name].lowest_tags, start=1):
        assert tag not in ("H1", "H2"), f"page {number} ends with its {tag} heading"


@pytest.mark.parametrize("name", NAMES)
def test_no_table_header_without_a_row_under_it(rendered, name):
    for number, alone in enumerate(rendered[name].headers_alone, start=1):
        assert not alone, f"page {number} has a table header and no row under it"


def _rows_pages(content: bytes) -> list[set[int]]:
    """For every table row (TR) in the structure tree, the pages its cells are drawn on."""
    reader = PdfReader(io.BytesIO(content))
    numbers = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    rows: list[set[int]] = []

    def pages_of(element, inherited=None) -> set[int]:
        element = element.get_object()
        here = element.get("/Pg", inherited)
        found = set()
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                found.add(numbers[here.idnum])
            elif hasattr(kid, "get_object"):
                obj = kid.get_object()
                if obj.get("/Type") == "/MCR":
                    found.add(numbers[obj["/Pg"].idnum])
                else:
                    found |= pages_of(obj, here)
        if element.get("/S") == "/TR":
            rows.append(found)
        return found

    pages_of(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_no_table_row_is_split_across_pages(rendered, name):
    rows = _rows_pages(rendered[name].content)
    assert rows and all(len(pages) == 1 for pages in rows if pages)


@pytest.mark.parametrize("name", NAMES)
def test_pdf_ua_checker_finds_no_error(rendered, name):
    report = page.validate_pdf_bytes(rendered[name].content,
                                     profile=page.ValidationProfile.PDF_UA_1)
    assert report.is_compliant, [f"{f.rule_id}: {f.message}" for f in report.failures]


@pytest.mark.parametrize("name", NAMES)
def test_poppler_reads_it_as_tagged_and_gives_back_every_typed_string(rendered, name,
                                                                      tmp_path):
    pdfinfo, pdftotext = require_tool("pdfinfo"), require_tool("pdftotext")
    path = tmp_path / "plan.pdf"
    path.write_bytes(rendered[name].content)
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, timeout=60)
    assert "Tagged:          yes" in info.stdout
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    for typed in corpus.typed_strings(rendered[name].plan):
        assert corpus.comparable(typed) in corpus.comparable(text), typed
