"""The document template: page furniture, metadata, bookmarks, build to bytes.

Every page carries a running header (bid title, truncated to fit, and the
version), "Page N of M" in the footer and, on a draft, a DRAFT label and a
light diagonal watermark. "of M" is a PDF form drawn once the page count is
known, so the document is laid out in a single pass.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from app.charts.primitives import fit_text
from app.charts.theme import Palette, fonts
from app.reports.pdf.styles import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
)

# Compressed streams stay binary instead of ASCII85 text: a smaller file and a
# quarter less time to write. Set once at import, so every PDF this process
# writes is encoded the same way (same version, same bytes).
rl_config.useA85 = 0

PAGE_COUNT_FORM = "page_count"
FOOTER_SIZE = 9


@dataclass(frozen=True)
class DocumentInfo:
    """What the page furniture and the PDF metadata show."""

    title: str            # the bid title, one line, as typed
    version_label: str    # e.g. "Version 3 (approved)" or "Working draft"
    footer_label: str     # e.g. "Co-production plan · ABC-123"
    draft: bool
    author: str
    subject: str
    keywords: tuple[str, ...] = ()
    language: str = "en-GB"


class PlanDocTemplate(BaseDocTemplate):
    """One frame per page; headings become PDF bookmarks (outline)."""

    def __init__(self, buffer: io.BytesIO, info: DocumentInfo) -> None:
        super().__init__(
            buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=f"Co-production plan: {info.title}", author=info.author,
            subject=info.subject, creator="Co-production Planner",
            producer="Co-production Planner (ReportLab)", keywords=list(info.keywords),
            invariant=1, lang=info.language, displayDocTitle=1, pageCompression=1)
        self.info = info
        self._bookmarks = 0
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:
        """Bookmark section headings (h1) and sub-headings (h2) in the outline."""
        if not isinstance(flowable, Paragraph):
            return
        level = {"h1": 0, "easy_title": 0, "h2": 1}.get(flowable.style.name)
        if level is None:
            return
        self._bookmarks += 1
        key = f"section-{self._bookmarks}"
        self.canv.bookmarkPage(key)
        title = " ".join(flowable.getPlainText().split())  # no non-breaking spaces
        self.canv.addOutlineEntry(title, key, level=level, closed=True)

    def _decorate(self, canvas, doc) -> None:
        """Draw the watermark, running header and footer under the page content."""
        canvas.saveState()
        if self.info.draft:
            _watermark(canvas)
        _header(canvas, self.info)
        _footer(canvas, self.info, canvas.getPageNumber())
        canvas.restoreState()

class _CountingCanvas(Canvas):
    """A canvas that, on save, defines the 'of M' form with the page count."""

    def save(self) -> None:
        pages = self.getPageNumber() - (0 if self._code else 1)
        self.beginForm(PAGE_COUNT_FORM)
        self.setFont(fonts().regular, FOOTER_SIZE)
        self.setFillColor(Palette.muted)
        self.drawString(0, 0, str(pages))
        self.endForm()
        super().save()


def _watermark(canvas) -> None:
    """A large, pale diagonal DRAFT across the middle of the page."""
    canvas.saveState()
    canvas.setFillColor(Palette.watermark)
    canvas.setFont(fonts().bold, 110)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -38, "DRAFT")
    canvas.restoreState()


def _header(canvas, info: DocumentInfo) -> None:
    """Bid title (shortened to fit) on the left; version and DRAFT on the right."""
    f = fonts()
    y = PAGE_HEIGHT - MARGIN_TOP + 12
    right_x = PAGE_WIDTH - MARGIN_RIGHT
    canvas.setFont(f.regular, FOOTER_SIZE)
    canvas.setFillColor(Palette.muted)
    right_text = info.version_label
    right_width = canvas.stringWidth(right_text, f.regular, FOOTER_SIZE)
    if info.draft:
        canvas.setFont(f.bold, FOOTER_SIZE)
        canvas.setFillColor(Palette.draft_label)
        canvas.drawRightString(right_x, y, "DRAFT")
        right_width += canvas.stringWidth("DRAFT  ·  ", f.bold, FOOTER_SIZE)
        canvas.setFont(f.regular, FOOTER_SIZE)
        canvas.setFillColor(Palette.muted)
        canvas.drawRightString(right_x - canvas.stringWidth("DRAFT", f.bold, FOOTER_SIZE)
                               - 4, y, right_text + "  ·")
    else:
        canvas.drawRightString(right_x, y, right_text)
    room = right_x - MARGIN_LEFT - right_width - 18
    canvas.drawString(MARGIN_LEFT, y, fit_text(info.title, room, FOOTER_SIZE))
    canvas.setStrokeColor(Palette.rule)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_LEFT, y - 6, right_x, y - 6)


def _footer(canvas, info: DocumentInfo, page: int) -> None:
    """Document label on the left, "Page N of M" on the right."""
    f = fonts()
    y = MARGIN_BOTTOM - 22
    right_x = PAGE_WIDTH - MARGIN_RIGHT
    canvas.setStrokeColor(Palette.rule)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_LEFT, y + 12, right_x, y + 12)
    canvas.setFont(f.regular, FOOTER_SIZE)
    canvas.setFillColor(Palette.muted)
    canvas.drawString(MARGIN_LEFT, y, fit_text(info.footer_label, 300, FOOTER_SIZE))
    count_room = canvas.stringWidth("000", f.regular, FOOTER_SIZE)
    text = f"Page {page} of "
    x = right_x - count_room - canvas.stringWidth(text, f.regular, FOOTER_SIZE)
    canvas.drawString(x, y, text)
    canvas.saveState()
    canvas.translate(right_x - count_room, y)
    canvas.doForm(PAGE_COUNT_FORM)
    canvas.restoreState()


def build_pdf(story: Sequence[Flowable], info: DocumentInfo) -> bytes:
    """Lay out ``story`` and return the PDF bytes (same input, same bytes)."""
    buffer = io.BytesIO()
    PlanDocTemplate(buffer, info).build(list(story), canvasmaker=_CountingCanvas)
    return buffer.getvalue()
