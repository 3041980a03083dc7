"""Page geometry, paragraph styles and table styling for the plan document."""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from app.charts.theme import Palette, fonts
from app.reports.pdf.paragraphs import Para
from app.reports.pdf.plaintext import Run, TextBlock, string_width
from app.reports.pdf.tagging import TableTagger
from app.reports.text import clean, markup, one_line

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
LANDSCAPE_CONTENT_WIDTH = PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT
BODY_SIZE = 11          # the smallest size of any body or table text
EASY_READ_SIZE = 17     # easy read guidance: large type, 16 pt or more


#: The shortest frame of any page (landscape): a row taller than this can never be whole.
SHORTEST_FRAME = PAGE_WIDTH - MARGIN_TOP - MARGIN_BOTTOM


class WholeRowTable(Table):
    """A Table whose rows stay whole across pages: it breaks between rows, and inside a
    row only when that row is taller than a page could ever hold (pasted text)."""

    def split(self, availWidth, availHeight):
        self.splitInRow = 0
        parts = super().split(availWidth, availHeight)
        if parts:
            return parts
        if max(self._rowHeights[self.repeatRows:], default=0) > SHORTEST_FRAME:
            self.splitInRow = 1
            parts = super().split(availWidth, availHeight)
        return parts


class Styles:
    """Every paragraph style the document uses, built once per process."""

    def __init__(self) -> None:
        f = fonts()
        base = dict(fontName=f.regular, fontSize=BODY_SIZE, leading=15,
                    textColor=Palette.ink, splitLongWords=1)
        self.body = ParagraphStyle("body", spaceAfter=6, **base)
        self.muted = ParagraphStyle("muted", parent=self.body, textColor=Palette.muted)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=14,
                                     bulletIndent=3, spaceAfter=3, bulletFontName=f.regular)
        self.cell = ParagraphStyle("cell", spaceAfter=0, **base)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=f.bold)
        self.cell_label = ParagraphStyle("cell_label", parent=self.cell, textColor=Palette.muted)
        self.cell_note = ParagraphStyle("cell_note", parent=self.cell,
                                        textColor=Palette.muted, spaceBefore=2)
        # Long tables of short figures (the landscape budget lines): tighter lines.
        self.cell_dense = ParagraphStyle("cell_dense", parent=self.cell, leading=13)
        self.cell_note_dense = ParagraphStyle("cell_note_dense", parent=self.cell_note,
                                              leading=13, spaceBefore=0)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=f.bold,
                                        textColor=Palette.white)
        self.cell_head_right = ParagraphStyle("cell_head_right", parent=self.cell_head,
                                              alignment=TA_RIGHT)
        self.h1 = ParagraphStyle("h1", fontName=f.bold, fontSize=17, leading=22,
                                 textColor=Palette.header_fill, spaceBefore=4,
                                 spaceAfter=10, keepWithNext=1, splitLongWords=1)
        self.h2 = ParagraphStyle("h2", fontName=f.bold, fontSize=13, leading=17,
                                 textColor=Palette.ink, spaceBefore=10, spaceAfter=5,
                                 keepWithNext=1, splitLongWords=1)
        self.caption = ParagraphStyle("caption", parent=self.muted, spaceBefore=2, spaceAfter=8)
        self.kicker = ParagraphStyle("kicker", parent=self.body, fontName=f.bold, fontSize=13,
                                     leading=17, textColor=Palette.accent, spaceAfter=10)
        self.cover_title = ParagraphStyle("cover_title", fontName=f.bold, fontSize=26,
                                          leading=32, textColor=Palette.header_fill,
                                          spaceAfter=16, splitLongWords=1, alignment=TA_LEFT)
        self.cover_title_long = ParagraphStyle("cover_title_long", parent=self.cover_title,
                                               fontSize=16, leading=21)
        self.callout = ParagraphStyle("callout", parent=self.body, spaceAfter=0)
        self.easy_title = ParagraphStyle("easy_title", parent=self.h1, fontSize=24, leading=30)
        self.easy = ParagraphStyle("easy", fontName=f.regular, fontSize=EASY_READ_SIZE,
                                   leading=23, spaceAfter=9, textColor=Palette.ink,
                                   splitLongWords=1)


@lru_cache(maxsize=1)
def styles() -> Styles:
    """The shared :class:`Styles` (fonts registered on first use)."""
    return Styles()


def user_para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of text a user typed, escaped so it prints as typed."""
    return Para(markup(text), style or styles().body)


CELL_PADDING = 10  # left + right padding of every table cell


def run(text: object, style: ParagraphStyle) -> Run:
    """A TextBlock run of ``text`` in the font, size and colour of ``style``."""
    return Run(clean(text), style.fontName, style.fontSize, style.leading, style.textColor)


def cell(text: object, width: float, style: ParagraphStyle | None = None):
    """A table cell of plain user or engine text, ``width`` points wide.

    Text that fits on one line is a plain string; longer text a TextBlock
    that wraps. Neither reads markup, so the text prints exactly as given.
    """
    style = style or styles().cell
    plain = one_line(text)
    if plain == clean(text) and string_width(plain, style.fontName, style.fontSize) \
            <= width - CELL_PADDING - 1:
        return plain
    return TextBlock([run(text, style)])


def text_width(text: object, style: ParagraphStyle | None = None) -> float:
    """Width of ``text`` on one line in ``style`` (the widest line of a TextBlock)."""
    style = style or styles().cell
    if isinstance(text, TextBlock):
        return max((string_width(clean(r.text), r.font, r.size) for r in text.runs), default=0)
    return max((string_width(line, style.fontName, style.fontSize)
                for line in clean(text).split("\n")), default=0)


def longest_word(text: object, style: ParagraphStyle | None = None) -> float:
    """Width of the widest word of ``text`` (the least a wrapping column can be)."""
    style = style or styles().cell
    words = clean(text.runs[0].text if isinstance(text, TextBlock) else text).split()
    longest = sorted(words, key=len)[-4:]    # the widest word is among the longest ones
    return max((string_width(w, style.fontName, style.fontSize) for w in longest), default=0)


def _run_widths(value: object) -> list[float]:
    """One-line widths of each run of a cell (a TextBlock has several)."""
    if isinstance(value, TextBlock):
        return [string_width(clean(r.text), r.font, r.size) for r in value.runs]
    return [text_width(value)]


def content_widths(header: Sequence[str], rows: Sequence[Sequence], total: float,
                   wrap: Sequence[int] = (0,), cap: float = 0.3, steps: int = 12) -> list[float]:
    """Column widths from their content, adding up to ``total``.

    Every column not in ``wrap`` is as wide as its widest cell (its header may
    wrap between words) and its cells never wrap. The ``wrap`` columns share
    what is left, each at least its longest word (capped at ``cap`` of the
    width, so one very long word wraps instead of starving the rest): of a
    grid of ways to share it, the one whose rows take the fewest lines in all.
    """
    head_style = styles().cell_head
    pad = CELL_PADDING + 1
    columns = [[header[i], *(row[i] for row in rows)] for i in range(len(header))]
    natural = [max([text_width(c[0], head_style) if i in wrap or len(c) == 1 else
                    longest_word(c[0], head_style)] + [text_width(v) for v in c[1:]]) + pad
               for i, c in enumerate(columns)]
    widths = list(natural)
    room = total - sum(w for i, w in enumerate(natural) if i not in wrap)
    floors = [min(max([longest_word(columns[i][0], head_style)]
                      + [longest_word(v) for v in columns[i][1:]]), total * cap) + pad
              for i in wrap]
    if sum(natural[i] for i in wrap) <= room:      # everything fits on one line
        widths[wrap[0]] += room - sum(natural[i] for i in wrap)
        return widths
    # runs[c][r, k]: one-line width of run k of row r in wrap column c (0 where none)
    runs = []
    for i in wrap:
        cells = [_run_widths(v) for v in columns[i]]
        most = max(len(c) for c in cells)
        runs.append(np.array([c + [0.0] * (most - len(c)) for c in cells]))
    grid = [np.linspace(f, max(f, room - sum(floors) + f), steps) for f in floors[:-1]]
    # every way of sharing at once: choices[n] the first shares, the last takes the rest
    choices = (np.array(np.meshgrid(*grid)).T.reshape(-1, len(grid)) if grid
               else np.zeros((1, 0)))
    shares = np.column_stack([choices, room - choices.sum(axis=1)])
    lines = np.max([np.ceil(r[None] * 1.06 / np.maximum(shares[:, c] - pad, 1.0)[:, None, None])
                    .sum(axis=2) for c, r in enumerate(runs)], axis=0).sum(axis=1)
    lines[shares[:, -1] < floors[-1] - 0.01] = np.inf
    best = shares[int(np.argmin(lines))] if np.isfinite(lines).any() else None
    for i, width in zip(wrap, floors if best is None else best, strict=True):
        widths[i] = float(width)
    return widths


def zebra_table(header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float],
                right: Sequence[int] = (), total_rows: int = 0,
                dense: bool = False) -> Table:
    """A table with a dark header row repeated on every page, zebra rows,
    right-aligned numeric columns and, optionally, bold total rows at the end.

    ``rows`` hold plain strings, TextBlocks or Paragraphs. Rows stay whole
    across pages; only a row taller than a page (long pasted text) continues
    on the next (:class:`WholeRowTable`).
    """
    s = styles()
    head = [cell(h, w, s.cell_head_right if i in right else s.cell_head)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))]
    table = WholeRowTable([head, *rows], colWidths=list(widths), repeatRows=1, hAlign="LEFT",
                          spaceAfter=10,
                  renderCB=TableTagger(header_rows=1))
    table.setStyle(_table_style(len(rows), right, total_rows))
    if dense:
        table.setStyle(TableStyle([("LEADING", (0, 0), (-1, -1), 13),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def _table_style(row_count: int, right: Sequence[int], total_rows: int) -> TableStyle:
    """Header fill, zebra body, hairlines and number alignment."""
    f = fonts()
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), Palette.header_fill),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [Palette.white, Palette.zebra]),
        ("FONTNAME", (0, 1), (-1, -1), f.regular),
        ("FONTNAME", (0, 0), (-1, 0), f.bold),
        ("TEXTCOLOR", (0, 0), (-1, 0), Palette.white),
        ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE),
        ("LEADING", (0, 0), (-1, -1), 15),
        ("TEXTCOLOR", (0, 1), (-1, -1), Palette.ink),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, Palette.rule),
    ]
    commands += [("ALIGN", (col, 0), (col, -1), "RIGHT") for col in right]
    if total_rows:
        first = row_count - total_rows + 1
        commands += [("FONTNAME", (0, first), (-1, -1), f.bold),
                     ("BACKGROUND", (0, first), (-1, -1), Palette.accent_light),
                     ("LINEABOVE", (0, first), (-1, first), 0.8, Palette.rule)]
    return TableStyle(commands)
