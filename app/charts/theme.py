"""Fonts and colours shared by the charts and the plan document.

One place decides the typeface: DejaVu Sans when the Debian package
``fonts-dejavu-core`` is installed (it covers £, accented letters, Arabic,
Hebrew and many symbols), otherwise the PDF built-in Helvetica, so a machine
without the font still renders (with fewer glyphs) instead of crashing.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

#: Where Debian (fonts-dejavu-core) and a few other systems put DejaVu Sans.
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
)
_FACES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}


@dataclass(frozen=True)
class FontSet:
    """Registered font names for each face of the body typeface."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    embedded: bool


HELVETICA = FontSet("Helvetica", "Helvetica-Bold", "Helvetica-Oblique",
                    "Helvetica-BoldOblique", embedded=False)


def _find_face_files() -> dict[str, Path] | None:
    """Return the DejaVu Sans face files, or None when any face is missing."""
    extra = os.environ.get("COPRO_FONT_DIR")
    for folder in ((extra,) if extra else ()) + FONT_DIRS:
        paths = {face: Path(folder) / name for face, name in _FACES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    return None


@lru_cache(maxsize=1)
def fonts() -> FontSet:
    """Register DejaVu Sans once per process; fall back to Helvetica."""
    paths = _find_face_files()
    if paths is None:
        return HELVETICA
    names = {face: "CoproSans" + suffix for face, suffix in
             (("regular", ""), ("bold", "-Bold"), ("italic", "-Italic"),
              ("bold_italic", "-BoldItalic"))}
    try:
        for face, path in paths.items():
            pdfmetrics.registerFont(TTFont(names[face], str(path)))
    except (TTFError, OSError, ValueError):
        return HELVETICA
    family = names["regular"]
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 1, names["bold_italic"])
    return FontSet(embedded=True, **names)


def font_signature() -> str:
    """Which fonts the PDF and charts are drawn with: each face file and its size, or
    "Helvetica" (part of the cache's code digest: other fonts, other bytes)."""
    paths = _find_face_files() if fonts().embedded else None
    if paths is None:
        return "Helvetica"
    return ";".join(f"{face}={path}:{path.stat().st_size}" for face, path in sorted(paths.items()))


#: CSS font stack written into SVG charts for the web page.
SVG_FONT_STACK = "'DejaVu Sans', Arial, Helvetica, sans-serif"


class Palette:
    """Restrained colours: one ink, one accent, greys, and a stage scale."""

    ink = colors.HexColor("#1B2631")
    muted = colors.HexColor("#505A66")
    rule = colors.HexColor("#B8C2CC")
    grid = colors.HexColor("#DDE3E9")
    zebra = colors.HexColor("#F3F6F9")
    header_fill = colors.HexColor("#1F3A5F")
    accent = colors.HexColor("#1F6F78")
    accent_light = colors.HexColor("#D6EAEC")
    warning = colors.HexColor("#8A4B00")
    warning_fill = colors.HexColor("#FFF4E0")
    lead_time = colors.HexColor("#8C96A0")
    watermark = colors.Color(0.55, 0.12, 0.12, alpha=0.10)
    draft_label = colors.HexColor("#9B1C1C")
    white = colors.white
    #: One colour per stage, in stage order (setup ... dissemination).
    stages = (
        colors.HexColor("#1F3A5F"),
        colors.HexColor("#1F6F78"),
        colors.HexColor("#4F7F3A"),
        colors.HexColor("#8A5A00"),
        colors.HexColor("#6B3F7A"),
    )
