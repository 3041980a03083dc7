"""The plan's paragraphs, parsed and broken into lines once per process.

Most paragraphs of a plan read the same in every document and in every draft
(headings, the fixed explanations, the engine's warnings, the easy read
sentences without figures), yet reportlab parses each paragraph's markup and
breaks it into lines afresh for every document: together a sixth of the time
of a plan PDF. Both are pure functions of the markup, the style, the bullet
and the line widths, so :class:`Para` keeps their results (bounded) and a
paragraph seen before takes them instead of working them out again. The
results are shared between paragraphs, so only plain cases are kept: no
hyphenation, no words split to fit a line, no right-to-left or CJK wrapping
(python-bidi reorders right-to-left text when it is drawn, see document.py),
and a paragraph split across pages breaks its own lines again first.
"""
from __future__ import annotations

import threading

from app.reports.pdf.tagging import TaggedParagraph

#: Most results kept (each is a few kB); past this the store starts afresh.
KEPT_LIMIT = 1000

_parsed: dict[tuple, tuple] = {}   # (text, style id, bullet, cleaner) -> (style, parsed style,
#                                   frags, bullet, cleaned text)
_broken: dict[tuple, tuple] = {}   # (that key, widths) -> (frags, source frags, lines, ...)
_lock = threading.Lock()


def _keep(store: dict, key: tuple, value: tuple) -> None:
    with _lock:
        if len(store) >= KEPT_LIMIT:
            store.clear()
        store[key] = value


def _as_is(text: str) -> str:
    return text


def _plain(style) -> bool:
    """Whether ``style``'s paragraphs break the same way whoever breaks them."""
    return (not style.wordWrap and not style.hyphenationLang and not style.embeddedHyphenation
            and not style.uriWasteReduce)


class Para(TaggedParagraph):
    """A Paragraph that reuses the parse and the line breaks of an identical paragraph
    (see the module), and remembers its own line breaks for the last width.

    Tables wrap every cell to measure rows, again when they split across
    pages and again to draw; line breaking depends only on the width, so
    re-wrapping at the same width reuses the result.
    """

    def _setup(self, text, style, bulletText, frags, cleaner) -> None:
        if frags is not None or not isinstance(text, str) or not _plain(style) \
                or not (bulletText is None or isinstance(bulletText, str)):
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (text, id(style), bulletText, cleaner)
        parsed = _parsed.get(key)
        if parsed is not None and parsed[0] is style:
            super()._setup(parsed[4], parsed[1], parsed[3], parsed[2], _as_is)
        else:
            super()._setup(cleaner(text), style, bulletText, None, _as_is)
            _keep(_parsed, key, (style, self.style, self.frags, self.bulletText, self.text))
        self._source = (key, self.frags)

    def breakLines(self, width):
        source = self.__dict__.get("_source")
        if source is None:
            return super().breakLines(width)
        key, frags = source
        self.frags = frags        # always from the parse, never from an earlier break's words
        widths = list(width) if isinstance(width, (list, tuple)) else [width]
        broken_key = (key, tuple(widths))
        broken = _broken.get(broken_key)
        if broken is not None and broken[0] is frags:
            _, self.frags, lines, self._width_max, widths_after = broken
            self.height = self._splitLongWordCount = self._hyphenations = 0
            if isinstance(width, list):
                width[:] = widths_after            # as breakLines leaves them (bullet room)
            return lines
        lines = super().breakLines(width)
        if not self._splitLongWordCount and not self._hyphenations:
            _keep(_broken, broken_key, (frags, self.frags, lines, self._width_max,
                                        list(width) if isinstance(width, list) else widths))
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        cached = self.__dict__.get("_wrapped")
        if cached is not None and cached[0] == availWidth:
            self.width, self.height, self.blPara = cached
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if self.width == availWidth:
            self._wrapped = (self.width, self.height, self.blPara)
        return size
