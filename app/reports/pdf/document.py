"""The document template: page furniture, metadata, bookmarks, build to bytes.

Every page carries a running header (bid title, truncated to fit, and the
version), "Page N of M" in the footer and, on a draft, a DRAFT label and a
light diagonal watermark. "of M" is a PDF form drawn once the page count is
known, so the document is laid out in a single pass.
"""
from __future__ import annotations

import io
import re
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from bidi import get_display
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import textobject
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from app.charts.primitives import fit_text
from app.charts.theme import Palette, fonts
from app.reports.pdf import embedding  # noqa: F401  (how fonts are embedded)
from app.reports.pdf.styles import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
)
from app.reports.pdf.tagging import Tagger

# Compressed streams stay binary instead of ASCII85 text: a smaller file and a
# quarter less time to write. Set once at import, so every PDF this process
# writes is encoded the same way (same version, same bytes).
rl_config.useA85 = 0

PAGE_COUNT_FORM = "page_count"
#: The page template of landscape pages (the budget lines), beside the portrait "page".
LANDSCAPE = "landscape"
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
    created: datetime | None = None   # the version's saved or approved time (metadata dates)


class PlanDocTemplate(BaseDocTemplate):
    """One frame per page; headings become PDF bookmarks (outline)."""

    def __init__(self, buffer: io.BytesIO, info: DocumentInfo) -> None:
        super().__init__(
            buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=f"Co-production plan: {info.title}", author=info.author,
            subject=info.subject, creator="Co-production Planner",
            producer="Co-production Planner (ReportLab)", keywords=list(info.keywords),
            invariant=1, lang=info.language, displayDocTitle=1, pageCompression=1,
            initialFontName=fonts().regular)
        self.info = info
        self._bookmarks = 0
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        wide = Frame(MARGIN_LEFT, MARGIN_BOTTOM, PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT,
                     PAGE_WIDTH - MARGIN_TOP - MARGIN_BOTTOM, leftPadding=0, rightPadding=0,
                     topPadding=0, bottomPadding=0, id="wide")
        self.addPageTemplates([
            PageTemplate("page", [frame], onPage=self._decorate),
            PageTemplate(LANDSCAPE, [wide], onPage=self._decorate,
                         pagesize=(PAGE_HEIGHT, PAGE_WIDTH))])

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
        """Draw the watermark, running header and footer under the page content
        (all of it pagination artifacts: it is drawn before any element opens)."""
        tagger = canvas.tagger
        if tagger is not None:
            tagger.start_page()
        canvas.saveState()
        if self.info.draft:
            with _artifact(tagger, "Watermark"):
                _watermark(canvas)
        with _artifact(tagger, "Header"):
            _same_on_every_page(canvas, _header, self.info)
        with _artifact(tagger, "Footer"):
            _footer(canvas, self.info, canvas.getPageNumber())
        canvas.restoreState()


def _same_on_every_page(canvas, draw, *args) -> None:
    """``draw(canvas, *args)``, whose drawing operators are the same on every page of a
    size (the running header): drawn on the first such page, then repeated. It starts
    from the same state on every page (it sets the font and colours it uses; text
    objects start afresh) and uses no resource of the page's own (see _PAGE_RESOURCE:
    the watermark's transparency is registered page by page, so it is drawn each time)."""
    kept = canvas.__dict__.setdefault("_same_on_every_page", {})
    key = (draw, tuple(canvas._pagesize))
    code = canvas._code
    if key in kept:
        code.extend(kept[key])
        return
    start = len(code)
    draw(canvas, *args)
    drawn = code[start:]
    if not any(_PAGE_RESOURCE.search(op) for op in drawn):
        kept[key] = drawn


#: Operators naming a resource a page registers as it is drawn (transparency, images,
#: shadings, colour spaces): drawing that uses one is drawn afresh on every page.
_PAGE_RESOURCE = re.compile(r"/\S+\s+(gs|Do|sh|cs|CS)\b")


@contextmanager
def _artifact(tagger: Tagger | None, subtype: str):
    """Page furniture as a pagination artifact of its kind (header, footer, watermark)."""
    if tagger is None:
        yield
        return
    with tagger.artifact("Pagination", subtype):
        yield


class _PlanCanvas(Canvas):
    """The plan's canvas: tags what it draws (see tagging.py) and, on save,
    defines the 'of M' form with the page count, writes the structure tree,
    the XMP metadata and the version's dates."""

    info: DocumentInfo
    tagged: bool = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{**kwargs, "pdfVersion": (1, 7)})  # PDF/UA-1 is on PDF 1.7
        self.tagger = Tagger(self) if self.tagged else None
        self._doc.info.__class__ = _Info

    def showPage(self) -> None:
        if self.tagger is not None:
            self.tagger.end_page()
        super().showPage()

    def save(self) -> None:
        if self._code:
            self.showPage()
        pages = self.getPageNumber() - 1
        self.beginForm(PAGE_COUNT_FORM)
        self.setFont(fonts().regular, FOOTER_SIZE)
        self.setFillColor(Palette.muted)
        self.drawString(0, 0, str(pages))
        self.endForm()
        doc = self._doc
        if self.tagger is not None:
            self.tagger.write(doc)
        doc.info.moment = self.info.created
        doc.Catalog.Metadata = _xmp_stream(self.info, doc.info)
        super().save()


class _Info(pdfdoc.PDFInfo):
    """The document information dictionary, dated with the version's time
    (undated when there is none), never the clock or reportlab's fixed 2000-01-01."""

    moment: datetime | None = None

    def format(self, document):
        entries = {"Title": pdfdoc.PDFString(self.title),
                   "Author": pdfdoc.PDFString(self.author),
                   "Producer": pdfdoc.PDFString(self.producer),
                   "Creator": pdfdoc.PDFString(self.creator),
                   "Subject": pdfdoc.PDFString(self.subject),
                   "Keywords": pdfdoc.PDFString(self.keywords),
                   "Trapped": pdfdoc.PDFName(self.trapped)}
        if self.moment is not None:
            entries["CreationDate"] = entries["ModDate"] = pdfdoc.PDFString(
                _utc(self.moment).strftime("D:%Y%m%d%H%M%S+00'00'"))
        return pdfdoc.PDFDictionary(entries).format(document)


def _utc(moment: datetime) -> datetime:
    """A stored time in UTC (naive times are stored as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _xmp_stream(info: DocumentInfo, pdf_info: pdfdoc.PDFInfo) -> pdfdoc.PDFStream:
    """XMP metadata matching the information dictionary, with the PDF/UA-1 identifier."""
    dates = ""
    if info.created is not None:
        stamp = _utc(info.created).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        dates = (f"<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}"
                 f"</xmp:ModifyDate><xmp:MetadataDate>{stamp}</xmp:MetadataDate>")
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(pdf_info.title)}</rdf:li>'
        f'</rdf:Alt></dc:title>'
        f'<dc:creator><rdf:Seq><rdf:li>{escape(pdf_info.author)}</rdf:li></rdf:Seq></dc:creator>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(pdf_info.subject)}'
        f'</rdf:li></rdf:Alt></dc:description>'
        f'<dc:language><rdf:Bag><rdf:li>{escape(info.language)}</rdf:li></rdf:Bag></dc:language>'
        f'<dc:format>application/pdf</dc:format>'
        f'<pdf:Producer>{escape(pdf_info.producer)}</pdf:Producer>'
        f'<pdf:Keywords>{escape(pdf_info.keywords)}</pdf:Keywords>'
        f'<xmp:CreatorTool>{escape(pdf_info.creator)}</xmp:CreatorTool>{dates}'
        '<pdfuaid:part>1</pdfuaid:part>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                                    "Subtype": pdfdoc.PDFName("XML")}),
                              packet.encode("utf-8"))
    return stream


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_format_text = textobject.PDFTextObject._formatText


def _visual_order(self, text):
    """Text in the order it is seen: right-to-left runs (Hebrew, Arabic) reversed by the
    Unicode bidirectional algorithm (python-bidi), line by line as reportlab draws them,
    so they read correctly and text extraction gives back the order they were typed in.
    reportlab's own hook for this needs a library that is not published (rlbidi)."""
    if isinstance(text, str) and _RIGHT_TO_LEFT.search(text):
        text = get_display(text, base_dir="L")
    return _format_text(self, text)


textobject.PDFTextObject._formatText = _visual_order


def _watermark(canvas) -> None:
    """A large, pale diagonal DRAFT across the middle of the page."""
    canvas.saveState()
    canvas.setFillColor(Palette.watermark)
    canvas.setFont(fonts().bold, 110)
    width, height = canvas._pagesize
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -38, "DRAFT")
    canvas.restoreState()


def _header(canvas, info: DocumentInfo) -> None:
    """Bid title (shortened to fit) on the left; version and DRAFT on the right."""
    f = fonts()
    width, height = canvas._pagesize
    y = height - MARGIN_TOP + 12
    right_x = width - MARGIN_RIGHT
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
    right_x = canvas._pagesize[0] - MARGIN_RIGHT
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


def _canvas_for(info: DocumentInfo, tagged: bool = True):
    """A canvas class that knows the document's info (reportlab builds the canvas itself)."""
    return type("PlanCanvas", (_PlanCanvas,), {"info": info, "tagged": tagged})


def tagged_canvas(info: DocumentInfo):
    """The canvas class of a tagged PDF (PDF/UA-1) for a document laid out by another
    template (the board PDF): draw page furniture through :func:`page_artifact`."""
    return _canvas_for(info)


@contextmanager
def page_artifact(canvas, subtype: str):
    """Start the page's marked content and draw ``subtype`` (Header, Footer) as an artifact."""
    tagger = getattr(canvas, "tagger", None)
    if tagger is not None:
        tagger.start_page()
    with _artifact(tagger, subtype):
        yield


def build_pdf(story: Sequence[Flowable], info: DocumentInfo, tagged: bool = True) -> bytes:
    """Lay out ``story`` and return the PDF bytes (same input, same bytes); ``tagged``
    False leaves out the structure tree (only the benchmark's baseline does)."""
    buffer = io.BytesIO()
    PlanDocTemplate(buffer, info).build(list(story), canvasmaker=_canvas_for(info, tagged))
    return buffer.getvalue()
