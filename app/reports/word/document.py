"""Word building blocks on top of python-docx: page setup, paragraphs and
tables written as WordprocessingML (a header row that repeats, rows that do not
split), pictures with alternative text, header/footer with PAGE and NUMPAGES
fields, fixed metadata and repeatable bytes.

python-docx owns the package, the styles, the pictures and the header and
footer parts. Body paragraphs and tables are parsed from small XML strings:
python-docx's object model (a style look-up by name, an element insertion per
property) costs milliseconds per paragraph and made a plan take a second.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from app.reports.text import clean

BODY_FONT = "Arial"
BODY_PT = 11
TABLE_PT = 10
INK = RGBColor(0x1F, 0x2A, 0x37)
MUTED = RGBColor(0x55, 0x60, 0x6E)
HEADING = RGBColor(0x1F, 0x3A, 0x5F)
HEADER_FILL = "1F3A5F"
CONTENT_WIDTH = Cm(17)            # A4 less two 2 cm margins
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP entry can carry
QUOTES = {'"': "&quot;"}
W = nsdecls("w")
LANGUAGE = "en-GB"


#: The styles the plan uses, by id; the template's other 150 are dropped (with
#: stylesWithEffects.xml and the template's thumbnail), a tenth of the bytes to
#: parse and write on every plan.
STYLES_USED = frozenset({"Normal", "Title", "Subtitle", "Heading1", "Heading2", "ListBullet",
                         "TableGrid", "Header", "Footer", "DefaultParagraphFont",
                         "TableNormal", "NoList"})


@cache
def _template() -> bytes:
    """python-docx's default document, trimmed and set up: A4, the plan's fonts."""
    document = Document()
    _trim(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    styles = document.styles
    for language in styles.element.xpath("w:docDefaults//w:lang"):
        language.set(qn("w:val"), LANGUAGE)   # spell-checking and screen readers: British English
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = BODY_FONT, Pt(BODY_PT), INK
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = BODY_FONT, Pt(size), HEADING
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _trim(document: DocumentObject) -> None:
    """Drop the template's unused styles, stylesWithEffects and thumbnail."""
    for rels in (document.part.package.rels, document.part.rels):
        for rel in list(rels.values()):
            if rel.reltype.endswith(("/thumbnail", "/stylesWithEffects")):
                rels.pop(rel.rId)
    element = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in element.findall(qn("w:style"))}
    keep, todo = set(), list(STYLES_USED)
    while todo:
        style = by_id.get(todo.pop())
        if style is None or style.get(qn("w:styleId")) in keep:
            continue
        keep.add(style.get(qn("w:styleId")))
        todo += [ref.get(qn("w:val")) for tag in ("w:basedOn", "w:link", "w:next")
                 for ref in style.findall(qn(tag))]
    for style_id, style in by_id.items():
        if style_id not in keep:
            element.remove(style)


def new_document() -> DocumentObject:
    """An A4 portrait document with the plan's fonts and heading colours."""
    return Document(io.BytesIO(_template()))


def _runs(parts: Sequence[tuple[str, bool]], size_pt: float | None = None,
          colour: str | None = None) -> str:
    """w:r elements for (text, bold) parts; newlines become line breaks."""
    size = f'<w:sz w:val="{round(size_pt * 2)}"/>' if size_pt else ""
    tint = f'<w:color w:val="{colour}"/>' if colour else ""
    runs = []
    for text, bold in parts:
        lines = [escape(line) for line in clean(text).split("\n")]
        body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
        properties = ("<w:b/>" if bold else "") + tint + size
        runs.append(f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{body}</w:r>")
    return "".join(runs)


def paragraph_xml(parts: Sequence[tuple[str, bool]], style_id: str | None = None, *,
                  right: bool = False, tight: bool = False, size_pt: float | None = None,
                  colour: str | None = None, keep_next: bool = False) -> str:
    """One w:p: its style (by id: "Heading1", "ListBullet"...), spacing, alignment, runs."""
    properties = ((f'<w:pStyle w:val="{style_id}"/>' if style_id else "")
                  + ("<w:keepNext/>" if keep_next else "")
                  + ('<w:spacing w:after="0"/>' if tight else "")
                  + ('<w:jc w:val="right"/>' if right else ""))
    return (f"<w:p {W}>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}"
            f"{_runs(parts, size_pt, colour)}</w:p>")


def append(document: DocumentObject, xml: str):
    """Parse one body element (w:p or w:tbl) and add it before the section properties."""
    element = parse_xml(xml)
    document.element.body.sectPr.addprevious(element)
    return element


def paragraph(document: DocumentObject, text: str = "", style_id: str | None = None,
              bold: str | None = None, size_pt: float | None = None,
              keep_next: bool = False) -> None:
    """A paragraph of user-safe text; ``bold`` is an optional bold lead-in."""
    parts = ([(bold, True)] if bold else []) + ([(text, False)] if text else [])
    append(document, paragraph_xml(parts, style_id, size_pt=size_pt, keep_next=keep_next))


def page_break(document: DocumentObject) -> None:
    append(document, f'<w:p {W}><w:r><w:br w:type="page"/></w:r></w:p>')


def section_break(document: DocumentObject, landscape: bool) -> None:
    """End the section here (its page setup kept in this paragraph) and start the
    next on a new page, A4 landscape or portrait; headers and footers carry on."""
    body = document.element.body.sectPr        # always describes the last section
    append(document, f"<w:p {W}><w:pPr>{etree.tostring(body).decode()}</w:pPr></w:p>")
    following = Section(body, document.part)
    width, height = sorted((following.page_width, following.page_height))
    following.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    following.page_width, following.page_height = (height, width) if landscape else (width, height)


def twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def data_table(document: DocumentObject, columns: Sequence[str],
               rows: Sequence[Sequence[str]], widths_cm: Sequence[float],
               right: Sequence[int] = (), total_rows: int = 0,
               caption: str | None = None) -> None:
    """A table whose first row is a header row repeated on each page (w:tblHeader),
    no row split across pages (w:cantSplit), numbers right-aligned, the last
    ``total_rows`` rows in bold, and a caption for assistive technology."""
    widths = [twips(w) for w in widths_cm]
    caption_xml = (f'<w:tblCaption w:val="{escape(clean(caption)[:250], QUOTES)}"/>'
                   if caption else "")
    out = [f'<w:tbl {W}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
           f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
           f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
           f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>{caption_xml}</w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    body = [list(columns)] + [list(row) for row in rows]
    for r, values in enumerate(body):
        header = r == 0
        bold = header or r > len(rows) - total_rows
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
                   + "</w:trPr>")
        fill = (f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
                if header else "")
        for c, value in enumerate(values):
            cell = paragraph_xml([(str(value), bold)], right=c in right, tight=True,
                                 size_pt=TABLE_PT, colour="FFFFFF" if header else None)
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/>{fill}</w:tcPr>'
                       f"{cell}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    append(document, "".join(out))
    append(document, f'<w:p {W}><w:pPr><w:spacing w:after="40"/></w:pPr></w:p>')


class Pictures:
    """Adds inline pictures with their alternative text, numbering the shapes
    itself (python-docx searches the whole document for the next free id on
    every picture, which costs more than the picture)."""

    def __init__(self, document: DocumentObject) -> None:
        self.document = document
        self.next_id = 1

    def inline(self, source: bytes | str, width, alt_text: str):
        """A wp:inline of the picture ``source`` (PNG bytes or a path) at ``width``."""
        part = self.document.part
        rel_id, image = part.get_or_add_image(io.BytesIO(source) if isinstance(source, bytes)
                                              else source)
        cx, cy = image.scaled_dimensions(width, None)
        shape = CT_Inline.new_pic_inline(self.next_id, rel_id, image.filename, cx, cy)
        self.next_id += 1
        shape.docPr.set("descr", clean(alt_text))
        return shape

    def paragraph(self, source: bytes | str, width, alt_text: str) -> None:
        """The picture in a paragraph of its own, kept with the table after it."""
        element = append(self.document, f"<w:p {W}><w:pPr><w:keepNext/></w:pPr>"
                                        f"<w:r><w:drawing/></w:r></w:p>")
        element.find(f"{qn('w:r')}/{qn('w:drawing')}").append(self.inline(source, width,
                                                                           alt_text))

    def into(self, run, source: bytes | str, width, alt_text: str) -> None:
        """The picture in an existing python-docx run (a table cell's)."""
        drawing = OxmlElement("w:drawing")
        drawing.append(self.inline(source, width, alt_text))
        run._r.append(drawing)


def field(paragraph_: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) that the reader fills in when it lays out."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    simple.append(run)
    paragraph_._p.append(simple)


def header_and_footer(document: DocumentObject, header_text: str, version_label: str,
                      footer_text: str, draft: bool) -> None:
    """Running header (title, version, DRAFT) and footer (label, Page N of M)."""
    section = document.sections[0]
    head = section.header.paragraphs[0]
    title = clean(header_text)
    run = head.add_run((title[:89] + "…" if len(title) > 90 else title)
                       + "  ·  " + version_label)
    run.font.size, run.font.color.rgb = Pt(9), MUTED
    if draft:
        flag = head.add_run("  ·  DRAFT")
        flag.bold, flag.font.size = True, Pt(9)
    foot = section.footer.paragraphs[0]
    label = foot.add_run(clean(footer_text) + "    Page ")
    label.font.size, label.font.color.rgb = Pt(9), MUTED
    field(foot, "PAGE")
    foot.add_run(" of ").font.size = Pt(9)
    field(foot, "NUMPAGES")


def set_metadata(document: DocumentObject, *, title: str, author: str, subject: str,
                 keywords: Sequence[str], moment: datetime) -> None:
    """Core properties with fixed dates (the version's time), never the clock."""
    props = document.core_properties
    props.title, props.author, props.subject = clean(title), clean(author), clean(subject)
    props.keywords = ", ".join(keywords)
    props.last_modified_by = "Co-production Planner"
    props.comments = ""
    props.language = LANGUAGE
    props.revision = 1
    props.created = props.modified = props.last_printed = moment


def to_bytes(document: DocumentObject) -> bytes:
    """Save with fixed ZIP timestamps, so the same document gives the same bytes;
    pictures are stored as they are (PNG is compressed already)."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = (zipfile.ZIP_STORED if info.filename.endswith(".png")
                                   else zipfile.ZIP_DEFLATED)
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
