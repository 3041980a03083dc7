"""How the plan documents embed their fonts: on top of reportlab's TrueType subsets.

- The ToUnicode CMap (what text extraction reads) is written by
  :func:`to_unicode_cmap`: code points past U+FFFF as UTF-16 surrogate pairs, and
  the unused code 0 left out.
- Every plan embeds the same few subsets (reportlab puts ASCII first in each
  face's first subset, in code order), yet reportlab builds each subset, its
  CMap and its widths array and compresses them again for every document: a
  tenth of the time of a plan PDF. A subset made before (the same face and code
  points) is reused from the first document in the process, its streams already
  compressed; the bytes are the same as making them afresh.
"""
from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfdoc, ttfonts

#: Most subsets (and their CMaps and widths) kept; past this the store starts afresh.
KEPT_LIMIT = 64

_kept_subsets: dict[tuple, list[bytes]] = {}   # (face file, subfont, code points) -> [subset, compressed]
_kept_streams: dict[str, bytes] = {}           # CMap text -> compressed
_kept_widths: dict[tuple, bytes] = {}          # widths -> the array as written


@lru_cache(maxsize=KEPT_LIMIT)
def _cmap(fontname: str, subset: tuple[int, ...]) -> str:
    entries = []
    for code, point in enumerate(subset):
        if point == 0:
            continue
        entries.append(f"<{code:02X}> <{chr(point).encode('utf-16-be').hex().upper()}>")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(entries)} beginbfchar", *entries, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end"])


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with code points past U+FFFF written as UTF-16
    surrogate pairs (reportlab writes ``%04X``, so U+1F600 read back as U+1F60) and
    the unused code 0 (.notdef) left out instead of mapped to U+0000."""
    return _cmap(fontname, tuple(subset))


def _keep(store: dict, key, value):
    if len(store) >= KEPT_LIMIT:
        store.clear()
    store[key] = value
    return value


def _subset_key(face, subset) -> tuple:
    return (face.filename, getattr(face, "subfontIndex", 0), tuple(subset))


_make_subset = ttfonts.TTFontFace.makeSubset
_add_subset_objects = ttfonts.TTFontFace.addSubsetObjects
_add_font_objects = ttfonts.TTFont.addObjects
_FLATE = pdfdoc.PDFZCompress


def _make_kept_subset(self, subset) -> bytes:
    """The subset's font file, made once per process."""
    key = _subset_key(self, subset)
    kept = _kept_subsets.get(key) or _keep(_kept_subsets, key, [_make_subset(self, subset), b""])
    return kept[0]


def _precompressed(stream: pdfdoc.PDFStream, compressed: bytes) -> None:
    """Give ``stream`` its compressed content, so that it is not compressed again."""
    stream.content, stream.filters = compressed, None
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(_FLATE.pdfname)])


def _add_kept_subset_objects(self, doc, fontname, subset):
    """The font file stream of a kept subset, with its compressed bytes made once."""
    descriptor = _add_subset_objects(self, doc, fontname, subset)
    kept = _kept_subsets.get(_subset_key(self, subset))
    stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
    if doc.compression and kept is not None and stream is not None \
            and stream.content is kept[0] and stream.filters == [_FLATE]:
        if not kept[1]:
            kept[1] = _FLATE.encode(kept[0])
        _precompressed(stream, kept[1])
    return descriptor


class _KeptWidths(pdfdoc.PDFArray):
    """A subset's glyph widths, written once per process (numbers only, so the same
    bytes in every document)."""

    def format(self, document) -> bytes:
        key = tuple(self.sequence)
        return _kept_widths.get(key) or _keep(_kept_widths, key, super().format(document))


def _add_kept_font_objects(self, doc) -> None:
    """Each TrueType subset's font dictionary, with its widths and CMap made once."""
    _add_font_objects(self, doc)
    for font in doc.idToObject["BasicFonts"].dict.values():
        if not isinstance(font, pdfdoc.PDFTrueTypeFont) or getattr(font, "_kept", False):
            continue
        font._kept = True
        if type(font.Widths) is pdfdoc.PDFArray:
            font.Widths.__class__ = _KeptWidths
        cmap = doc.idToObject.get(getattr(font.ToUnicode, "name", None))
        if doc.compression and isinstance(cmap, pdfdoc.PDFStream) \
                and isinstance(cmap.content, str) and cmap.filters == [_FLATE]:
            compressed = _kept_streams.get(cmap.content) or _keep(
                _kept_streams, cmap.content, _FLATE.encode(cmap.content))
            _precompressed(cmap, compressed)


# Every TrueType subset reportlab writes goes through these.
ttfonts.makeToUnicodeCMap = to_unicode_cmap
ttfonts.TTFontFace.makeSubset = _make_kept_subset
ttfonts.TTFontFace.addSubsetObjects = _add_kept_subset_objects
ttfonts.TTFont.addObjects = _add_kept_font_objects
