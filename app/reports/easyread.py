"""The easy read summary: short sentences, each with a picture.

Following the easy read guidance: one idea per sentence, at most
:data:`MAX_WORDS` words, text at least :data:`MIN_TEXT_PT` points, a picture
on the left of each sentence. The Word plan and the PDF's easy read page both
lay out :func:`sentences`; neither writes its own wording.

The pictures are OpenMoji (CC BY-SA 4.0), listed in ``easyread_pictures.json``
and rendered to PNG by ``make pictures`` into ``app/static/vendor/easyread``
(not committed). Every document that shows them prints :data:`CREDIT`.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.charts.labels import level_label
from app.costing.budget import budget_to_request_gbp
from app.formatting import format_gbp, format_number
from app.reports.text import one_line

MAX_WORDS = 15
MIN_TEXT_PT = 14
PICTURE_LIST = Path(__file__).with_name("easyread_pictures.json")
PICTURE_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "easyread"


@cache
def _pictures() -> Mapping:
    return json.loads(PICTURE_LIST.read_text(encoding="utf-8"))


#: The licence credit every document with the pictures must show.
CREDIT: str = _pictures()["credit"]


class PicturesMissing(FileNotFoundError):
    """The vendored pictures are not there: ``make pictures`` has not run."""


@dataclass(frozen=True)
class Sentence:
    """One easy read sentence: its text in parts (text, bold) and its picture."""

    parts: tuple[tuple[str, bool], ...]
    picture: str   # a key of easyread_pictures.json

    @property
    def text(self) -> str:
        return "".join(part for part, _ in self.parts)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def alt(self) -> str:
        """The picture's alternative text."""
        return _pictures()["pictures"][self.picture]["alt"]

    @property
    def picture_path(self) -> Path:
        """The PNG; raises :class:`PicturesMissing` when it has not been vendored."""
        path = PICTURE_DIR / f"{_pictures()['pictures'][self.picture]['code']}.png"
        if not path.is_file():
            raise PicturesMissing(f"easy read picture {path} is missing: run `make pictures`")
        return path


def _say(picture: str, *parts: str | tuple[str, bool]) -> Sentence:
    """A sentence from plain strings and (text, bold) pairs."""
    return Sentence(tuple(p if isinstance(p, tuple) else (p, False) for p in parts), picture)


def _naming(picture: str, lead: str, name: str, fallback: str) -> Sentence:
    """'<lead> <name>.' when it stays short, else the fallback sentence."""
    sentence = _say(picture, lead, (name, True), ".")
    return sentence if name and sentence.words <= MAX_WORDS else _say(picture, fallback)


def sentences(plan: Mapping, estimate: Mapping) -> list[Sentence]:
    """The easy read summary of a plan and its estimate, in reading order."""
    bid = plan.get("bid") or {}
    level = str(plan.get("level") or "none")
    opening = ("This plan says why we will not involve people this time." if level == "none"
               else "This is our plan to work with people who use services.")
    said = [_say("working_together", opening),
            _naming("project", "The project is called ", one_line(bid.get("title")),
                    "The name of the project is on the first page.")]
    if one_line(bid.get("client")):
        said.append(_naming("client", "The project is for ", one_line(bid.get("client")),
                            "The project is for the organisation on the first page."))
    if level == "none":
        return said + [_say("thinking", "We thought about involving people in this project."),
                       _say("not_this_time", "This time, we will not involve people."),
                       _say("written_down", "We have written down why, in this plan."),
                       _other_format()]
    said += _involvement(estimate, level) + _money(estimate) + _support(plan)
    return said + [_other_format()]


def _involvement(estimate: Mapping, level: str) -> list[Sentence]:
    people = estimate.get("contributors") or 0  # N, as the engine costed it
    return [_say("involve", "We will involve people at a ", (level_label(level).lower(), True),
                 " level."),
            _say("people", f"About {format_number(people)} people will take part."),
            _say("paid", "We will pay people for their time.")]


def _money(estimate: Mapping) -> list[Sentence]:
    said = [_say("cost", "Involving people will cost ", (format_gbp(estimate["total_gbp"]), True),
                 "."),
            _say("share", f"That is {format_gbp(estimate['percent_of_bid'])} in every "
                          f"{format_gbp(100)} of the project money.")]
    if estimate["uncertainty"]["recommended_contingency_gbp"]:
        said.append(_say("spare_money", "We will ask for ",
                         (format_gbp(budget_to_request_gbp(estimate)), True),
                         ", to keep some money spare."))
    weeks = (estimate.get("time") or {}).get("overhead_weeks")
    if weeks:
        said.append(_say("time", f"It adds about {format_number(weeks)} weeks to the project."))
    return said


def _support(plan: Mapping) -> list[Sentence]:
    """Support we pay for, one sentence each."""
    activities = list(plan.get("activities") or [])
    needs = [a.get("needs") or {} for a in activities]
    said = []
    if any(n.get("bsl") for n in needs):
        said.append(_say("sign_language", "We will book British Sign Language interpreters."))
    if any(n.get("personal_assistants") for n in needs):
        said.append(_say("assistant", "We will pay for personal assistants."))
    if any(n.get("carers_needing_replacement_care") for n in needs):
        said.append(_say("care", "We will pay for care while carers take part."))
    if (plan.get("accessible_formats") or {}).get("easy_read_pages"):
        said.append(_say("easy_read", "We will make easy read papers."))
    if any(a.get("mode") == "remote" for a in activities):
        said.append(_say("online", "You can take part online."))
    return said


def _other_format() -> Sentence:
    return _say("other_format", "You can ask us for this plan in another format.")


def all_picture_keys() -> list[str]:
    """Every picture the summary can use (for checks and vendoring)."""
    return list(_pictures()["pictures"])
