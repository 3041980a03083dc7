"""Turn a chart Drawing into accessible inline SVG for the web page."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from xml.dom import minidom

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from app.charts.theme import SVG_FONT_STACK

_FONT_FAMILY = re.compile(r"font-family:\s*[^;\"]+")
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (controls, lone surrogates)."""
    return _NOT_XML_CHAR.sub("", str(text))


def _chart_id(title: str, description: str) -> str:
    """A stable id from the text, so the same chart gives the same SVG."""
    slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", title).lower())
    digest = hashlib.sha1(f"{title}\n{description}".encode("utf-8", "replace")).hexdigest()[:8]
    return f"chart-{slug.strip('-')[:30] or 'x'}-{digest}"


def _set_text(document: minidom.Document, root, tag: str, element_id: str, text: str) -> None:
    """Replace renderSVG's placeholder <title>/<desc> (or add one) with ``text``."""
    for old in list(root.getElementsByTagName(tag)):
        old.parentNode.removeChild(old)
    element = document.createElement(tag)
    element.setAttribute("id", element_id)
    element.appendChild(document.createTextNode(_xml_safe(text)))
    root.insertBefore(element, root.firstChild)


def _prefix_ids(root, prefix: str) -> None:
    """renderSVG names ids 'clip' and 'group' in every chart; make them unique
    per chart (several charts share one HTML page) and set the font stack."""
    renamed = {}
    for node in root.getElementsByTagName("*"):
        old_id = node.getAttribute("id")
        if old_id:
            renamed[old_id] = f"{prefix}-{old_id}"
            node.setAttribute("id", renamed[old_id])
    for node in root.getElementsByTagName("*"):
        style = node.getAttribute("style")
        if not style:
            continue
        for old_id, new_id in renamed.items():
            style = style.replace(f"url(#{old_id})", f"url(#{new_id})")
        node.setAttribute("style", _FONT_FAMILY.sub(f"font-family: {SVG_FONT_STACK}", style))


def to_svg(drawing: Drawing, title: str, description: str,
           chart_id: str | None = None) -> str:
    """Accessible SVG markup for ``drawing``, ready to inline in HTML.

    The root has role="img" and aria-labelledby pointing at its <title> and
    <desc>; it scales with its container (viewBox, width 100%, no fixed pixel
    size) so it stays legible at 400% zoom. Text is escaped by the XML DOM.
    """
    prefix = chart_id or _chart_id(title, description)
    document = minidom.parseString(renderSVG.drawToString(drawing))
    root = document.documentElement
    width, height = drawing.width, drawing.height
    root.setAttribute("viewBox", f"0 0 {width:g} {height:g}")
    root.setAttribute("width", "100%")
    root.removeAttribute("height")
    root.setAttribute("preserveAspectRatio", "xMidYMid meet")
    root.setAttribute("role", "img")
    root.setAttribute("aria-labelledby", f"{prefix}-title {prefix}-desc")
    _prefix_ids(root, prefix)
    root.setAttribute("id", prefix)
    root.setAttribute("class", "coproduction-chart")  # size it with CSS, not here
    _set_text(document, root, "desc", f"{prefix}-desc", description)
    _set_text(document, root, "title", f"{prefix}-title", title)
    return root.toxml()
