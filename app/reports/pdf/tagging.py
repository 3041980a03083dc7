"""Tagged PDF (PDF/UA-1) on top of reportlab: marked content and a structure tree.

ReportLab writes no structure of its own, but it gives the two hooks a
tagged PDF needs: the canvas's content stream (where marked-content
operators go, around what each flowable draws) and its low-level PDF
objects (where the structure tree, the XMP metadata and /MarkInfo go).
So tagging happens while the document is laid out, in one pass, without
re-reading the file:

- a :class:`Tagger` on the canvas keeps a stack of structure elements.
  Whatever is drawn while no content element is open (page furniture,
  table fills and rules, the watermark) is wrapped as an ``/Artifact``;
  what a content element (P, H1, TD, Figure...) draws is wrapped as
  ``/Tag <</MCID n>> BDC ... EMC`` and recorded against its page;
- flowables declare their element: :class:`TaggedParagraph` paragraphs
  (headings, paragraphs, list items), :class:`TableTagger` tables (through
  reportlab's own ``renderCB`` table hook: rows, header cells with their
  scope, spans; a header repeated on a continuation page is an artifact)
  and :class:`Figure` drawings with their alternative text;
- :meth:`Tagger.write` turns the elements into ``/StructTreeRoot`` with
  its ``/ParentTree`` and sets ``/StructParents`` on each page.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFString,
)
from reportlab.platypus import Flowable, Paragraph

#: Elements whose own marked content holds what they draw; the others only group.
CONTENT_TAGS = frozenset({"P", "H1", "H2", "H3", "LBody", "TH", "TD", "Figure", "Caption"})


class Element:
    """One structure element: its type, attributes and kids in reading order
    (a plain class with slots: a long plan has thousands, one per table cell)."""

    __slots__ = ("tag", "parent", "kids", "alt", "attributes", "holds_content")

    def __init__(self, tag: str, parent: Element | None = None, alt: str | None = None,
                 attributes: dict[str, object] | None = None) -> None:
        self.tag = tag
        self.parent = parent
        self.kids: list = []                       # Element or (page index, MCID)
        self.alt = alt
        self.attributes = attributes or {}         # the /A dictionary
        self.holds_content = tag in CONTENT_TAGS   # its own marked content holds what it draws


class Tagger:
    """The structure being built for one canvas, and the marked content open now."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.root = Element("Document")
        self.stack: list[Element] = [self.root]
        self.pages: dict[int, list[Element]] = {}   # page index -> element of each MCID
        self._open: tuple[Element | None, int] | None = None  # (element or artifact, code length)
        self._last_list: Element | None = None
        self._page_index = 0

    # -- marked content ------------------------------------------------------------
    def _code(self) -> list[str]:
        return self.canvas._code

    def _page(self) -> int:
        return self._page_index

    def _begin_marked(self, element: Element | None) -> None:
        """Open marked content for ``element`` (an artifact when None)."""
        code = self.canvas._code
        if element is None:
            code.append("/Artifact BMC")
        else:
            page = self._page_index
            mcids = self.pages.setdefault(page, [])
            code.append(f"/{element.tag} <</MCID {len(mcids)}>> BDC")
            element.kids.append((page, len(mcids)))
            mcids.append(element)
        self._open = (element, len(code))

    def _end_marked(self) -> None:
        """Close the open marked content; drop it when nothing was drawn inside."""
        if self._open is None:
            return
        element, length = self._open
        code = self.canvas._code
        if len(code) == length:      # nothing drawn: no empty sequence, no dangling MCID
            code.pop()
            if element is not None:
                element.kids.pop()
                self.pages[self._page()].pop()
        else:
            code.append("EMC")
        self._open = None

    def _resume(self) -> None:
        """Continue the marked content of the element on top of the stack."""
        top = self.stack[-1]
        self._begin_marked(top if top.holds_content else None)

    def start_page(self) -> None:
        """Called when a page starts: anything drawn outside an element is an artifact."""
        self._open = None
        self._page_index = self.canvas.getPageNumber() - 1
        self._resume()

    def end_page(self) -> None:
        self._end_marked()

    # -- elements ------------------------------------------------------------------
    def begin(self, tag: str, alt: str | None = None, **attributes) -> Element:
        """Open a new element as the last kid of the current one."""
        parent = self.stack[-1]
        element = Element(tag, parent, alt=alt, attributes=attributes)
        parent.kids.append(element)
        if tag != "L" and parent is (self._last_list.parent if self._last_list else None):
            self._last_list = None
        return self.enter(element)

    def enter(self, element: Element) -> Element:
        """Make ``element`` (new, or one continued from an earlier page) current."""
        self._end_marked()
        self.stack.append(element)
        self._resume()
        return element

    def end(self) -> None:
        """Close the current element and continue its parent."""
        self._end_marked()
        self.stack.pop()
        self._resume()

    @contextmanager
    def element(self, tag: str, alt: str | None = None, **attributes) -> Iterator[Element]:
        element = self.begin(tag, alt, **attributes)
        try:
            yield element
        finally:
            self.end()

    @contextmanager
    def artifact(self, kind: str, subtype: str) -> Iterator[None]:
        """Content that is not part of the document's text, with its kind
        (``/Artifact <</Type /Pagination /Subtype /Header>>``)."""
        self._end_marked()
        code = self.canvas._code
        code.append(f"/Artifact <</Type /{kind} /Subtype /{subtype}>> BDC")
        try:
            yield
        finally:
            code.append("EMC")
            self._resume()

    @contextmanager
    def list_item(self) -> Iterator[None]:
        """An LI (with its LBody) in the list the previous item started, or a new L."""
        parent = self.stack[-1]
        if self._last_list is not None and parent.kids and parent.kids[-1] is self._last_list:
            self.enter(self._last_list)
        else:
            self.begin("L")
        current = self.stack[-1]
        with self.element("LI"), self.element("LBody"):
            yield
        self.end()
        self._last_list = current

    # -- output --------------------------------------------------------------------
    def write(self, doc) -> None:
        """Add the structure tree, /MarkInfo and each page's /StructParents to ``doc``."""
        _prune(self.root)
        elements: list[Element] = []
        stack = [self.root]
        while stack:                      # document order, parents before their kids
            element = stack.pop()
            elements.append(element)
            stack.extend(reversed([k for k in element.kids if isinstance(k, Element)]))
        tree_ref = doc.Reference(PDFDictionary({"Type": PDFName("StructTreeRoot")}))
        objects = [_StructElem(e) for e in elements]
        names = {id(e): doc.Reference(o).name for e, o in zip(elements, objects, strict=True)}
        for o in objects:
            o.names = (names, tree_ref.name)
        tree_root = doc.idToObject[tree_ref.name]
        tree_root["K"] = PDFObjectReference(names[id(self.root)])
        tree_root["ParentTree"] = doc.Reference(_ParentTree(
            [(index, [names[id(e)] for e in self.pages[index]]) for index in sorted(self.pages)]))
        tree_root["ParentTreeNextKey"] = max(self.pages, default=-1) + 1
        doc.Catalog.StructTreeRoot = tree_ref
        doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})  # a PDF boolean, written as is
        for index in self.pages:
            page = doc.Pages.pages[index]
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = index
            page.Tabs = PDFName("S")


class _StructElem(PDFObject):
    """One structure element, written straight to bytes: a document has thousands
    (a cell is one), and reportlab's generic dictionaries take several times longer.
    Object numbers are known once every element has been registered."""

    def __init__(self, element: Element) -> None:
        self.element = element
        self.names: tuple[dict[int, str], str] | None = None   # element id -> object name

    def format(self, document) -> bytes:
        element = self.element
        names, tree_name = self.names
        numbers = document.idToObjectNumberAndVersion
        parent = numbers[names[id(element.parent)] if element.parent else tree_name][0]
        home = min((kid[0] for kid in element.kids if type(kid) is tuple), default=None)
        kids = []
        for kid in element.kids:
            if type(kid) is not tuple:
                kids.append(f"{numbers[names[id(kid)]][0]} 0 R")
            elif kid[0] == home:
                kids.append(str(kid[1]))
            else:
                kids.append(f"<< /Type /MCR /Pg {numbers[f'Page{kid[0] + 1}'][0]} 0 R "
                            f"/MCID {kid[1]} >>")
        text = (f"<< /Type /StructElem /S /{element.tag} /P {parent} 0 R /K [{' '.join(kids)}]"
                + (f" /Pg {numbers[f'Page{home + 1}'][0]} 0 R" if home is not None else ""))
        out = text.encode("latin-1")
        if element.alt is not None:
            out += b" /Alt " + PDFString(element.alt).format(document)
        if element.attributes:
            out += b" /A " + PDFDictionary(
                {"O": PDFName(element.attributes.get("O", "Table")),
                 **{k: _pdf_value(v) for k, v in element.attributes.items() if k != "O"}}
            ).format(document)
        return out + b" >>"


class _ParentTree(PDFObject):
    """The parent tree (page index -> the element of each MCID), written straight to
    bytes in the layout reportlab gives a dictionary of arrays."""

    def __init__(self, pages: list[tuple[int, list[str]]]) -> None:
        self.pages = pages     # (page index, object name of the element of each MCID)

    def format(self, document) -> bytes:
        numbers = document.idToObjectNumberAndVersion
        items: list[str] = []
        for index, names in self.pages:
            items += [str(index), _array([f"{numbers[n][0]} {numbers[n][1]} R" for n in names])]
        return f"<<\n/Nums {_array(items)}\n>>".encode("latin-1")


def _array(items: list[str]) -> str:
    """A PDF array as reportlab writes one (a line break after every ten items)."""
    for at in reversed(range(10, len(items), 10)):
        items.insert(at, "\n ")
    return "[ " + " ".join(items) + " ]"


def _pdf_value(value: object):
    """An attribute value: numbers and PDF objects as they are, words as names."""
    return value if isinstance(value, (int, PDFArray)) else PDFName(str(value))


def _prune(element: Element) -> bool:
    """Drop grouping elements left with nothing in them; True when ``element`` is empty.

    Content elements stay even when empty (a table cell with no text is still a cell).
    """
    element.kids = [kid for kid in element.kids
                    if not isinstance(kid, Element) or not _prune(kid)]
    return not element.kids and not element.holds_content and element.parent is not None


def tagger_of(canvas) -> Tagger | None:
    return getattr(canvas, "tagger", None)


class TaggedParagraph(Paragraph):
    """A Paragraph drawn as the structure element its style names (P by default)."""

    #: Paragraph style name -> structure type; "LI" makes a list item.
    STYLE_TAGS = {"h1": "H1", "easy_title": "H1", "cover_title": "H1",
                  "cover_title_long": "H1", "h2": "H2", "bullet": "LI"}

    def drawOn(self, canvas, x, y, _sW=0):
        tagger = tagger_of(canvas)
        if tagger is None:
            return super().drawOn(canvas, x, y, _sW)
        tag = self.STYLE_TAGS.get(self.style.name, "P")
        if tag == "LI":
            with tagger.list_item():
                return super().drawOn(canvas, x, y, _sW)
        with tagger.element(tag):
            return super().drawOn(canvas, x, y, _sW)


class Figure(Flowable):
    """A drawing (chart) as a Figure with its alternative text."""

    def __init__(self, drawing: Flowable, alt: str) -> None:
        super().__init__()
        self.drawing = drawing
        self.alt = " ".join(alt.split())

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.drawing.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        tagger = tagger_of(self.canv)
        if tagger is None:
            self.drawing.drawOn(self.canv, 0, 0)
            return
        box = [round(v, 2) for v in self.canv.absolutePosition(0, 0)]
        box += [round(box[0] + self.width, 2), round(box[1] + self.height, 2)]
        with tagger.element("Figure", alt=self.alt) as element:
            element.attributes = {"O": "Layout", "BBox": PDFArray(box)}
            self.drawing.drawOn(self.canv, 0, 0)


class TableTagger:
    """reportlab's ``renderCB`` for one logical table: Table, TR, TH/TD.

    ``header_rows`` rows at the top are column headers (TH, scope Column);
    ``header_columns`` columns at the left are row headers (TH, scope Row).
    reportlab hands the same callback to every part of a table split across
    pages, so the parts form one Table element; a part's repeated header
    rows are pagination artifacts.
    """

    def __init__(self, header_rows: int = 0, header_columns: int = 0) -> None:
        self.header_rows = header_rows
        self.header_columns = header_columns
        self.element: Element | None = None
        self.parts = 0
        self._row_open = False
        self._cell_open = False

    def __call__(self, table, command: str, *args) -> None:
        tagger = tagger_of(table.canv)
        if tagger is None:
            return
        if command == "startTable":
            if getattr(self, "_tagger", None) is not tagger:   # a new document: start afresh
                self._tagger, self.element, self.parts = tagger, None, 0
            if self.element is None:
                self.element = tagger.begin("Table")
            else:
                tagger.enter(self.element)
            self._repeats = table.repeatRows if self.parts else 0
            self.parts += 1
        elif command == "startRow":
            row = args[0]
            self._row_open = row >= self._repeats
            if self._row_open:
                tagger.begin("TR")
        elif command == "startCell" and self._row_open:
            row, column = args[0], args[1]
            tag, attributes = "TD", {}
            if row < self.header_rows and self.parts == 1:
                tag, attributes = "TH", {"Scope": "Column"}
            elif column < self.header_columns:
                tag, attributes = "TH", {"Scope": "Row"}
            span = (getattr(table, "_spanRanges", None) or {}).get((column, row))
            if span and span[2] > span[0]:
                attributes["ColSpan"] = span[2] - span[0] + 1
            if span and span[3] > span[1]:
                attributes["RowSpan"] = span[3] - span[1] + 1
            tagger.begin(tag, **attributes)
            self._cell_open = True
        elif command == "endCell" and self._cell_open:
            tagger.end()
            self._cell_open = False
        elif command == "endRow" and self._row_open:
            tagger.end()
            self._row_open = False
        elif command == "endTable":
            tagger.end()
