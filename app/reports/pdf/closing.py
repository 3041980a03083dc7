"""The approval record and the easy read summary page."""
from __future__ import annotations

from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Spacer, Table, TableStyle

from app.charts.theme import Palette
from app.formatting import moment_text
from app.reports import easyread
from app.reports.pdf.context import PlanContext, number
from app.reports.pdf.sections import callout, heading, key_value_table, section_start
from app.reports.pdf.styles import CONTENT_WIDTH, Para, styles
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


def _easy_row(sentence: easyread.Sentence) -> Table:
    """A picture (a figure with its alternative text) beside one sentence; when the
    pictures have not been vendored (``make pictures``) the column stays, empty."""
    s = styles()
    try:
        picture: Flowable | str = Figure(
            Image(str(sentence.picture_path), PICTURE_SIZE, PICTURE_SIZE), sentence.alt)
    except easyread.PicturesMissing:
        picture = ""
    row = Table([[picture, Para(_markup(sentence), s.easy)]],
                colWidths=[PICTURE_COLUMN, CONTENT_WIDTH - PICTURE_COLUMN], hAlign="LEFT",
                splitInRow=1)  # a sentence taller than a page (a pasted title) continues
    row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 3),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return row


def _markup(sentence: easyread.Sentence) -> str:
    """The sentence as paragraph markup, its key words in bold."""
    return "".join(f"<b>{markup(text)}</b>" if bold else markup(text)
                   for text, bold in sentence.parts)
