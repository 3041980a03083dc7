"""A chart Drawing as PNG bytes (for the Word plan), the same bytes every time.

reportlab's bitmap renderer (renderPM, with the rl_renderPM accelerator) draws
through libart, which nudges path points with the C library's ``rand()`` to
avoid degenerate intersections: the same chart then differs by a grey level
here and there from one call to the next. Seeding ``rand()`` just before each
render makes the output depend on the drawing alone.
"""
from __future__ import annotations

import ctypes
import io
import threading

from PIL import Image
from reportlab.graphics import renderPM
from reportlab.graphics.shapes import Drawing

DPI = 144
_LIBC = ctypes.CDLL(None)
_LOCK = threading.Lock()   # rand()'s state is the process's: one render at a time


def to_png(drawing: Drawing, dpi: int = DPI) -> bytes:
    """The drawing rasterised at ``dpi``, on white, as a 256-colour PNG (a chart's
    few colours and their anti-aliasing fit; a third of the size, and faster to
    encode, than full colour)."""
    with _LOCK:
        _LIBC.srand(1)
        image = renderPM.drawToPIL(drawing, dpi=dpi)
    buffer = io.BytesIO()
    image.quantize(256, method=Image.Quantize.FASTOCTREE).save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()
