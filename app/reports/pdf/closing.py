"""The approval record and the easy read summary page."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas as canvas_module
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from app.charts.theme import Palette
from app.formatting import moment_text
from app.reports import easyread
from app.reports.pdf.context import PlanContext, number
from app.reports.pdf.sections import callout, heading, key_value_table, section_start
from app.reports.pdf.styles import CONTENT_WIDTH, Para, WholeRowTable, styles
from app.reports.pdf.tagging import Figure
from app.reports.text import markup
from app.reports.version import VersionInfo
from app.versions.statuses import status_label


def approval_pairs(version: VersionInfo) -> list[tuple[str, str]]:
    """Version, status, who prepared and approved it and when, review comments."""
    pairs = [("Version", str(version.number)), ("Status", status_label(version.status or "draft")),
             ("Prepared by", version.created_by or "Not recorded"),
             ("Prepared on", moment_text(version.created_at)),
             ("Approved by", version.approved_by or "Not approved"),
             ("Approved on", moment_text(version.approved_at) if version.approved_at else "Not approved")]
    if version.comments_count is not None:
        pairs.append(("Review comments", number(version.comments_count)))
    return pairs


def approval(ctx: PlanContext) -> list[Flowable]:
    """Version, status, who prepared and approved it, and when."""
    s, version = styles(), ctx.version
    story = section_start("Approval record")
    if version is None:
        return story + [callout([Para(
            "This document was produced from a plan that has not been saved as a version. "
            "It has not been reviewed or approved.", s.callout)],
            Palette.warning_fill, Palette.warning)]
    story.append(key_value_table(approval_pairs(version)))
    story.append(Spacer(1, 8))
    if version.approved_by:
        text = (f"Approved by <b>{markup(version.approved_by)}</b>. This version is locked: any "
                f"later change starts a new version, and this file's fingerprint was recorded "
                f"at approval.")
        return story + [callout([Para(text, s.callout)])]
    return story + [callout([Para(
        "<b>DRAFT.</b> This version has not been approved. It must be approved by someone other "
        "than its author before the bid is submitted.", s.callout)],
        Palette.warning_fill, Palette.warning)]


PICTURE_SIZE = 44        # points: a picture beside each easy read sentence
PICTURE_COLUMN = PICTURE_SIZE + 16


def easy_read(ctx: PlanContext) -> list[Flowable]:
    """Each sentence in large type with its picture on the left (wording and pictures:
    app.reports.easyread); the last two sentences kept together, and the pictures'
    licence credited at the end."""
    s = styles()
    rows = [_easy_row(sentence) for sentence in easyread.sentences(ctx.plan, ctx.estimate)]
    credit = Para(markup(easyread.CREDIT), s.muted)
    ending = KeepTogether([*rows[-2:], Spacer(1, 6), credit])
    return [PageBreak(), heading("Easy read summary", s.easy_title), *rows[:-2], ending]


@lru_cache(maxsize=64)
def _reader(path: Path) -> ImageReader:
    """The decoded picture, kept for the process: every plan shows the same few."""
    reader = ImageReader(str(path))
    reader.getRGBData()                    # decodes, and splits off the alpha channel
    reader._keep = True
    if reader._dataA is not None:
        reader._dataA._keep = True
    return reader


_load_image = pdfdoc.PDFImageXObject.loadImageFromSRC


def _load_kept_image(self, image) -> None:
    """reportlab compresses an image's pixels again for every document; for the kept
    easy read pictures (and their alpha masks) reuse the first document's stream."""
    kept = getattr(image, "_kept_stream", None)
    if kept is None:
        _load_image(self, image)
        if getattr(image, "_keep", False):
            image._kept_stream = {k: v for k, v in vars(self).items()
                                  if k not in ("name", "mask", "smask", "_smask")}
        return
    for key, value in kept.items():
        setattr(self, key, value)
    self._checkTransparency(image)       # a fresh soft mask object for this document


pdfdoc.PDFImageXObject.loadImageFromSRC = _load_kept_image


#: Digests of image data drawn before: (pixels + mask) -> digest, a few pictures' worth.
_kept_digests: dict[bytes, str] = {}
KEPT_DIGESTS_LIMIT = 64
_digest = canvas_module._digester


def _kept_digest(data) -> str:
    """drawImage names each image by an MD5 of its pixels and mask, for every document;
    the same pictures' digests are kept (the same names, without hashing 80 kB each time)."""
    if not isinstance(data, bytes) or len(data) < 4096:
        return _digest(data)
    digest = _kept_digests.get(data)
    if digest is None:
        if len(_kept_digests) >= KEPT_DIGESTS_LIMIT:
            _kept_digests.clear()
        digest = _kept_digests[data] = _digest(data)
    return digest


canvas_module._digester = _kept_digest


class Picture(Flowable):
    """An easy read picture, PICTURE_SIZE square, decoded once per process."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.width = self.height = PICTURE_SIZE

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(_reader(self.path), 0, 0, PICTURE_SIZE, PICTURE_SIZE, mask="auto")


def _easy_row(sentence: easyread.Sentence) -> Table:
    """A picture (a figure with its alternative text) beside one sentence; when the
    pictures have not been vendored (``make pictures``) the column stays, empty."""
    s = styles()
    try:
        picture: Flowable | str = Figure(Picture(sentence.picture_path), sentence.alt)
    except easyread.PicturesMissing:
        picture = ""
    row = WholeRowTable([[picture, Para(_markup(sentence), s.easy)]],
                        colWidths=[PICTURE_COLUMN, CONTENT_WIDTH - PICTURE_COLUMN], hAlign="LEFT")
    row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 3),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return row


def _markup(sentence: easyread.Sentence) -> str:
    """The sentence as paragraph markup, its key words in bold."""
    return "".join(f"<b>{markup(text)}</b>" if bold else markup(text)
                   for text, bold in sentence.parts)
