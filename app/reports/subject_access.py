"""Everything the register holds about one member, as a readable PDF for that person.

The caller (app.network) passes the subject access document (a dict, the same as the
JSON export); this module only lays it out. Every value is text someone typed or a
vocabulary key, escaped so it prints as typed.
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from app.formatting import long_date
from app.membership import vocabulary as v
from app.reports.pdf.styles import PAGE_HEIGHT, PAGE_WIDTH, cell, styles, user_para, zebra_table

MARGIN = 18 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN - 12

_MEMBER_ROWS = (
    ("Name", "display_name", None), ("Kind", "kind", v.KIND_SHORT_LABELS),
    ("Organisation", "organisation_name", None),
    ("Kind of organisation", "organisation_type", v.ORGANISATION_TYPE_LABELS),
    ("Email address", "email", None), ("Phone", "phone", None),
    ("Region", "region", v.REGION_LABELS), ("Local authority", "local_authority", None),
    ("Payment preference", "payment_preference", v.PAYMENT_LABELS),
    ("Status", "status", v.MEMBER_STATUS_LABELS), ("Joined", "joined_on", None),
    ("Paused", "paused_on", None), ("Left", "left_on", None),
)


def _text(value: Any, labels: Mapping[str, str] | None = None) -> str:
    if value in (None, "", []):
        return "–"
    if isinstance(value, list):
        return "; ".join(_text(item, labels) for item in value)
    return labels.get(value, str(value)) if labels else str(value)


def _table(header: Sequence[str], rows: list[list[str]], shares: Sequence[float]):
    widths = [WIDTH * share for share in shares]
    return zebra_table(header, [[cell(text, width) for text, width in zip(row, widths, strict=True)]
                                for row in rows], widths)


def render_subject_access_pdf(document: Mapping[str, Any], issued_on: date) -> bytes:
    """The subject access document as PDF bytes."""
    s = styles()
    member = document["member"]
    story = [user_para("What the co-production network holds about you", s.h1),
             user_para(f"Prepared on {long_date(issued_on)}. Reference {member['pseudonym']}.",
                       s.muted),
             user_para("Your details", s.h2),
             _table(("What", "What we hold"), [
                 [label, _text(member.get(key), labels)] for label, key, labels in _MEMBER_ROWS]
                 + [["Roles you want", _text(member["roles"], dict(v.ROLE_CHOICES))],
                    ["Access and communication needs", _text(member["needs"], v.NEED_LABELS)],
                    ["Areas of lived experience", _text(member["lived_experience"])]],
                 (0.35, 0.65)),
             user_para("Your consent", s.h2)]
    consents = [[v.CONSENT_LABELS.get(c["purpose"], c["purpose"]), _text(c["given_on"]),
                 "Yes" if c["may_be_named"] else "No", _text(c["withdrawn_on"])]
                for c in document["consents"]]
    story.append(_table(("For", "Given on", "May be named", "Withdrawn on"), consents,
                        (0.46, 0.18, 0.16, 0.2)) if consents
                 else user_para("No consent is recorded.", s.body))
    story.append(user_para("Your involvement in our work", s.h2))
    work = [[dict(v.ROLE_CHOICES).get(i["role"], i["role"]),
             v.INVOLVEMENT_LABELS.get(i["status"], i["status"]), _text(i["assigned_on"]),
             _text(i["took_part_on"]), str(i["sessions_attended"])]
            for i in document["involvement"]]
    story.append(_table(("Role", "Status", "Assigned", "Took part", "Sessions"), work,
                        (0.34, 0.16, 0.18, 0.18, 0.14)) if work
                 else user_para("None recorded.", s.body))
    story.append(user_para("Network meetings you attended", s.h2))
    meetings = [[_text(m["held_on"]), _text(m["title"])] for m in document["meetings_attended"]]
    story.append(_table(("Held on", "Meeting"), meetings, (0.25, 0.75)) if meetings
                 else user_para("None recorded.", s.body))
    story += [user_para("Who looked at or changed your record", s.h2),
              _table(("When (UTC)", "What", "By"), [
                  [e["at"][:16].replace("T", " "), e["action"], _text(e["by"])]
                  for e in document["access_log"]], (0.3, 0.35, 0.35)),
              Spacer(0, 6),
              user_para("We hold no details of any benefits you receive. To correct anything "
                        "here, or to ask us to erase your record, contact the network "
                        "coordinator.", s.muted)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN,
                      rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                      title="What the co-production network holds about you",
                      author="Co-production Planner", lang="en-GB", invariant=1,
                      displayDocTitle=1).build(story)
    return buffer.getvalue()
