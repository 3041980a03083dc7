"""Plan documents (the costing contract's input) used by the report and chart tests."""
from __future__ import annotations

import copy
from datetime import UTC, datetime

from app.reports import VersionInfo
from tests.worked_example import WORKED_EXAMPLE

TITLE = "Transition <resources> & films"


def worked_example() -> dict:
    """The contract's worked example (total £7,419.00 on the default card), with a
    bid reference for the cover and fewer draws."""
    plan = copy.deepcopy(WORKED_EXAMPLE)
    plan["bid"]["reference"] = "CA/2027-014"
    plan["options"] = {"draws": 2000, "seed": 0}
    return plan


def _activity(role: str, people: int, sessions: int, stage: str, week: int, **extra) -> dict:
    return {"role": role, "people": people, "sessions": sessions, "stage": stage,
            "start_week": week, **extra}


def full_plan(title: str = TITLE) -> dict:
    """A full-level national plan whose estimate has exactly 30 budget lines."""
    return {"bid": {"title": title, "client": "National Institute for Care & Health <NICH>",
                    "reference": "NICH/2027-031", "value_gbp": 450000,
                    "start_date": "2027-04-01", "duration_months": 18, "scope": "national",
                    "work_type": "film", "client_requires_coproduction": True},
            "level": "full", "justification": None, "existing_network": False,
            "contributors": 10,
            "activities": [
                _activity("co_lead", 1, 10, "setup", 0, start_time="10:30"),
                _activity("advisory_group_chair", 1, 6, "scoping", 6, start_time="10:30"),
                _activity("advisory_group_member", 8, 6, "scoping", 6, start_time="10:30",
                          needs={"bsl": True, "personal_assistants": 2,
                                 "carers_needing_replacement_care": 1}),
                _activity("editor_reviewer", 4, 2, "development", 30, mode="remote"),
                _activity("co_trainer", 2, 6, "delivery", 40, start_time="09:30"),
                _activity("conference_speaker", 2, 2, "dissemination", 70, start_time="11:00"),
            ],
            "accessible_formats": {"easy_read_pages": 16},
            "options": {"draws": 2000, "seed": 0}}


def none_plan(justification: str | None = None) -> dict:
    """Level none, with the written justification the engine requires."""
    plan = copy.deepcopy(worked_example())
    plan["level"] = "none"
    plan["activities"] = []
    plan["contributors"] = None
    plan["accessible_formats"] = {"easy_read_pages": 0}
    plan["bid"]["client_requires_coproduction"] = False
    plan["justification"] = justification or (
        "A two-week desk review of published statistics: there is no decision, design or "
        "output that people who use services could shape in the time available.")
    return plan


def with_title(plan: dict, title: str) -> dict:
    """A copy of ``plan`` with another bid title."""
    plan = copy.deepcopy(plan)
    plan["bid"]["title"] = title
    return plan


APPROVED = VersionInfo(number=3, status="approved", created_by="Sam Writer",
                       created_at=datetime(2027, 3, 1, 9, 30, tzinfo=UTC),
                       approved_by="Alex Reviewer",
                       approved_at=datetime(2027, 3, 4, 16, 5, tzinfo=UTC),
                       comments_count=2)
IN_REVIEW = VersionInfo(number=2, status="in_review", created_by="Sam Writer",
                        created_at=datetime(2027, 2, 20, 11, 0, tzinfo=UTC))
