"""TextBlock: word-wrapped plain text for table cells, without markup.

A reportlab Paragraph parses its text as markup, which is the slowest part
of laying out a table-heavy document and means user text must be escaped.
Table cells hold plain text only (no bold inside a sentence), so a
TextBlock wraps and draws the text as given: nothing is parsed, so nothing
can be taken for a tag, and layout is several times faster. It splits
between lines, so a row taller than a page can continue on the next.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from app.reports.text import clean


@lru_cache(maxsize=4096)
def string_width(text: str, font: str, size: float) -> float:
    """reportlab's ``stringWidth``, kept for the process: a plan measures the same
    words and figures (in the same few fonts) thousands of times, in every document."""
    return stringWidth(text, font, size)


@dataclass(frozen=True)
class Run:
    """Text in one font, size and colour; each run starts on a new line."""

    text: str
    font: str
    size: float
    leading: float
    color: Color


def _fit_prefix(word: str, font: str, size: float, width: float) -> int:
    """Length of the longest prefix of ``word`` that fits ``width`` (at least 1)."""
    low, high = 1, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if string_width(word[:mid], font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def wrap_lines(run: Run, width: float) -> list[str]:
    """Greedy word wrap; explicit newlines kept; over-long words broken."""
    lines: list[str] = []
    space = string_width(" ", run.font, run.size)
    for paragraph in clean(run.text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        current, current_width = "", 0.0
        for word in paragraph.split():
            word_width = string_width(word, run.font, run.size)
            if current and current_width + space + word_width <= width:
                current, current_width = f"{current} {word}", current_width + space + word_width
                continue
            if current:
                lines.append(current)
            while word_width > width and len(word) > 1:
                cut = _fit_prefix(word, run.font, run.size, width)
                lines.append(word[:cut])
                word = word[cut:]
                word_width = string_width(word, run.font, run.size)
            current, current_width = word, word_width
        lines.append(current)
    return lines


class TextBlock(Flowable):
    """Runs of plain text, wrapped to the available width."""

    def __init__(self, runs: Sequence[Run], lines: list[tuple[Run, str]] | None = None) -> None:
        super().__init__()
        self.runs = tuple(runs)
        self._lines = lines
        self._wrapped_width = None if lines is None else -1.0

    def _layout(self, width: float) -> list[tuple[Run, str]]:
        if self._wrapped_width not in (width, -1.0):
            self._lines = [(run, line) for run in self.runs for line in wrap_lines(run, width)]
            self._wrapped_width = width
        return self._lines or []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = sum(run.leading for run, _ in lines)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Two blocks, the first holding the lines that fit ``availHeight``."""
        lines, used, fit = self._layout(availWidth), 0.0, 0
        for run, _ in lines:
            if used + run.leading > availHeight:
                break
            used, fit = used + run.leading, fit + 1
        if fit == 0 or fit == len(lines):
            return []
        return [TextBlock(self.runs, lines[:fit]), TextBlock(self.runs, lines[fit:])]

    def draw(self) -> None:
        """One text object for the whole block (fewer operators than a
        drawString per line); the first baseline sits where a table puts a
        plain-string cell's, so cells in a row line up."""
        lines = self._lines or []
        if not lines:
            return
        text = self.canv.beginText(0, self.height - lines[0][0].size)
        current = None
        for run, line in lines:
            if run is not current:
                text.setFont(run.font, run.size, run.leading)
                text.setFillColor(run.color)
                current = run
            text.textLine(line)
        self.canv.drawText(text)
