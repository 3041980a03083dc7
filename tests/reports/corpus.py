"""The layout corpus: plans at every size the product allows people to reach, and
the checks a reviewer's eye makes on each page (read with pdfplumber's character boxes)."""
from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass

from app.costing.vocabulary import ROLES, STAGES, WORK_TYPE_LABELS

#: Text a user might type that breaks naive layouts: markup characters, emoji that
#: the embedded font covers, right-to-left scripts, and words longer than a column.
HOSTILE = ("Smile 😀 <b>not bold</b> & &amp; \"quotes\" 'single' "
           "שלום עולם مرحبا بالعالم "
           "Pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some-more-letters")
LONG_TITLE = ("A three-year programme to co-design community mental health crisis "
              "alternatives with people who have used them, their carers and families, across "
              "urban and rural areas, including evaluation, training and national "
              "dissemination of what works and what does not work for people in crisis, now "
              "and in the years after the programme ends, with every partner")[:299] + "."


def _activities(count: int, months: int) -> list[dict]:
    """``count`` activity lines over every role, stage and mode, spread over the bid."""
    roles = list(ROLES)
    weeks = int(months * 52 / 12)
    lines = []
    for index in range(count):
        role = roles[index % len(roles)]
        stage = STAGES[index % len(STAGES)]
        line = {"role": role, "stage": stage, "people": 1 + index % 9,
                "sessions": 1 + (index * 7) % 12,
                "start_week": min(weeks, (index * 11) % max(weeks, 1)),
                "mode": "remote" if index % 4 == 3 else "in_person"}
        if index % 3 == 0:
            line.update(hours_per_session=6.5, prep_hours_per_session=2.25)
        if index % 5 == 1:
            line["needs"] = {"bsl": True, "personal_assistants": 1,
                             "carers_needing_replacement_care": 1}
        if line["mode"] == "in_person":
            line["start_time"] = ("10:30", "09:30", "13:00")[index % 3]
        lines.append(line)
    return lines


def _plan(name: str, *, lines: int, months: int, work_type: str, level: str = "full",
          title: str | None = None, client: str = "Northshire Council", value: int = 450_000,
          existing_network: bool = False) -> tuple[str, dict]:
    plan = {"bid": {"title": title or f"Corpus plan: {name}", "client": client,
                    "reference": f"CORPUS/{name}", "value_gbp": value,
                    "start_date": "2027-04-01", "duration_months": months,
                    "scope": "national", "work_type": work_type,
                    "client_requires_coproduction": level != "none"},
            "level": level, "justification": None, "existing_network": existing_network,
            "contributors": None, "activities": _activities(lines, months),
            "accessible_formats": {"easy_read_pages": 0 if level == "none" else 12},
            "options": {"draws": 500, "seed": 1}}
    return name, plan


def corpus() -> dict[str, dict]:
    """Name -> plan; together every size, every kind of work, level none and hostile text."""
    kinds = list(WORK_TYPE_LABELS)
    plans = dict([
        _plan("1-line", lines=1, months=12, work_type=kinds[0], level="limited", value=20_000),
        _plan("8-lines-48-months", lines=8, months=48, work_type=kinds[1], level="good",
              title=HOSTILE, client=HOSTILE, existing_network=True),
        _plan("30-lines", lines=30, months=24, work_type=kinds[2], value=2_500_000),
        _plan("60-lines-120-months", lines=60, months=120, work_type=kinds[3],
              value=9_000_000, client=HOSTILE),
        _plan("300-character-title", lines=6, months=18, work_type=kinds[4], title=LONG_TITLE),
    ])
    name, none = _plan("level-none", lines=0, months=6, work_type=kinds[5], level="none",
                       title=HOSTILE)
    none["justification"] = (f"{HOSTILE}. A six-week desk review with no decision that people "
                             f"could shape in the time available.")
    none["contributors"] = None
    plans[name] = none
    remote = copy.deepcopy(plans["1-line"])
    remote["activities"][0]["mode"] = "remote"
    remote["activities"][0].pop("start_time", None)
    remote["bid"]["reference"] = "CORPUS/remote-only"
    plans["remote-only"] = remote
    return plans


def typed_strings(plan: dict) -> list[str]:
    """Everything a user typed into ``plan`` that the PDF prints in full."""
    bid = plan["bid"]
    return [s for s in (bid["title"], bid["client"], bid["reference"], plan.get("justification"))
            if s]


# -- page checks -------------------------------------------------------------------------

@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    mcid: int | None
    size: float


def glyphs(page) -> list[Glyph]:
    """The page's visible characters (spaces left out; the diagonal DRAFT watermark, an
    artifact drawn under everything, too)."""
    return [Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c.get("mcid"), c["size"])
            for c in page.chars if c["text"].strip() and c.get("upright", True)
            and c["size"] < 60]


def _neighbours(items: list[Glyph], cell: float = 24.0):
    """Pairs of glyphs close enough to touch (a grid, not every pair)."""
    grid: dict[tuple[int, int], list[Glyph]] = defaultdict(list)
    for g in items:
        grid[int(g.x0 // cell), int(g.top // cell)].append(g)
    for (gx, gy), here in grid.items():
        for dx in (0, 1):
            for dy in (-1, 0, 1):
                if dx == 0 and dy == -1:
                    continue
                there = grid.get((gx + dx, gy + dy))
                if not there:
                    continue
                same = there is here
                for i, a in enumerate(here):
                    for b in (here[i + 1:] if same else there):
                        yield a, b


def overlapping_glyphs(items: list[Glyph], tolerance: float = 0.6) -> list[tuple[Glyph, Glyph]]:
    """Glyph pairs whose boxes overlap (more than rounding) in both directions."""
    found = []
    for a, b in _neighbours(items):
        across = min(a.x1, b.x1) - max(a.x0, b.x0)
        down = min(a.bottom, b.bottom) - max(a.top, b.top)
        if across > tolerance and down > 0.3 * min(a.bottom - a.top, b.bottom - b.top):
            found.append((a, b))
    return found


def cells_running_together(items: list[Glyph], gap: float = 3.0) -> list[tuple[Glyph, Glyph]]:
    """Glyphs of two different tagged elements (two table cells, say) on the same line
    closer than a space apart: their figures read as one."""
    found = []
    for a, b in _neighbours(items):
        if a.mcid is None or b.mcid is None or a.mcid == b.mcid:
            continue
        if abs(a.bottom - b.bottom) > 0.5 * min(a.size, b.size):
            continue
        left, right = (a, b) if a.x0 <= b.x0 else (b, a)
        if right.x0 - left.x1 < gap:
            found.append((left, right))
    return found


def outside_margins(items: list[Glyph], width: float, height: float, left: float,
                    right: float, edge: float) -> list[Glyph]:
    """Glyphs past the left or right margin, or within ``edge`` of the top or bottom."""
    return [g for g in items if g.x0 < left - 0.5 or g.x1 > width - right + 0.5
            or g.top < edge or g.bottom > height - edge]


_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def comparable(text: str) -> str:
    """Text with whitespace and the direction marks poppler adds around right-to-left
    runs taken out: line breaks and wrapping differ, the characters and order must not."""
    return "".join(text.translate(_BIDI_MARKS).split())
