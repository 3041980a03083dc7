"""The engine's vocabulary: the contract's keys, in order, with human labels.

The keys are the JSON contract (``docs/costing-model.md``); labels and
descriptions are for people and may change. Tuples give the canonical order
(stages run setup -> dissemination, levels none -> full).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

LEVELS: tuple[str, ...] = ("none", "limited", "good", "full")
LEVEL_LABELS: dict[str, str] = {
    "none": "None", "limited": "Limited", "good": "Good", "full": "Full",
}
LEVEL_DESCRIPTIONS: dict[str, str] = {
    "none": ("No co-production: people who use services and carers are not involved "
             "in this piece of work, and the plan records in writing why not."),
    "limited": ("People who use services and carers are asked for their views at a few "
                "planned points, for example a one-off advisory group or reviewing drafts, "
                "and are paid for their time."),
    "good": ("People who use services and carers are involved from the start and all the "
             "way through: an advisory group shapes the work and paid roles help deliver it."),
    "full": ("People who use services and carers share leadership and decisions as equal "
             "partners: a co-lead with lived experience and paid roles in every stage."),
}

STAGES: tuple[str, ...] = ("setup", "scoping", "development", "delivery", "dissemination")
STAGE_LABELS: dict[str, str] = {
    "setup": "Set-up", "scoping": "Scoping", "development": "Development",
    "delivery": "Delivery", "dissemination": "Dissemination",
}

SCOPES: tuple[str, ...] = ("local", "regional", "national")
SCOPE_LABELS: dict[str, str] = {"local": "Local", "regional": "Regional", "national": "National"}

WORK_TYPES: tuple[str, ...] = ("research", "guidance", "training", "film", "consultancy", "events")
WORK_TYPE_LABELS: dict[str, str] = {
    "research": "Research", "guidance": "Guidance", "training": "Training",
    "film": "Film", "consultancy": "Consultancy", "events": "Events",
}

TRAVEL: tuple[str, ...] = ("none", "local", "regional", "national")
TRAVEL_LABELS: dict[str, str] = {
    "none": "No travel", "local": "Local travel", "regional": "Regional travel",
    "national": "National travel",
}

MODES: tuple[str, ...] = ("in_person", "remote")
MODE_LABELS: dict[str, str] = {"in_person": "In person", "remote": "Remote (online or phone)"}

CATEGORIES: tuple[str, ...] = (
    "fees", "travel_subsistence", "accommodation", "access_support",
    "accessible_formats", "venue_catering", "staff_coordination", "training",
)
CATEGORY_LABELS: dict[str, str] = {
    "fees": "Fees for contributors",
    "travel_subsistence": "Travel and subsistence",
    "accommodation": "Accommodation (overnight stays)",
    "access_support": "Access support (assistants, replacement care, BSL)",
    "accessible_formats": "Accessible formats (easy read)",
    "venue_catering": "Venues, catering and digital allowances",
    "staff_coordination": "Staff time to recruit, organise and support",
    "training": "Induction and training",
}


@dataclass(frozen=True)
class Role:
    """A role people who use services and carers take, with its defaults."""

    key: str
    label: str
    hours_per_session: Decimal
    prep_hours_per_session: Decimal
    fee_multiplier: Decimal
    stage: str

    def to_dict(self) -> dict[str, Any]:
        """The role as a JSON-able dict."""
        return {"key": self.key, "label": self.label,
                "hours_per_session": float(self.hours_per_session),
                "prep_hours_per_session": float(self.prep_hours_per_session),
                "fee_multiplier": float(self.fee_multiplier), "stage": self.stage}


def _role(key: str, label: str, hours: str, prep: str, multiplier: str, stage: str) -> Role:
    return Role(key, label, Decimal(hours), Decimal(prep), Decimal(multiplier), stage)


ROLES: dict[str, Role] = {role.key: role for role in (
    _role("co_lead", "Co-lead with lived experience", "3.5", "1.0", "1.5", "setup"),
    _role("interview_panel_member", "Interview panel member", "4.0", "1.0", "1.0", "setup"),
    _role("advisory_group_chair", "Advisory group chair", "3.0", "2.0", "1.5", "scoping"),
    _role("advisory_group_member", "Advisory group member", "3.0", "1.0", "1.0", "scoping"),
    _role("guideline_committee_member", "Guideline committee member", "6.0", "2.0", "1.0",
          "development"),
    _role("peer_researcher", "Peer researcher", "7.0", "1.0", "1.0", "development"),
    _role("writer", "Writer / co-author", "3.0", "0.0", "1.0", "development"),
    _role("consultant", "Consultant", "7.0", "0.0", "1.0", "development"),
    _role("editor_reviewer", "Reviewer of drafts", "2.0", "0.0", "1.0", "development"),
    _role("film_contributor", "Film contributor", "3.0", "1.0", "1.0", "development"),
    _role("video_diarist", "Video diarist", "2.0", "0.5", "1.0", "development"),
    _role("co_trainer", "Co-trainer (with a staff trainer)", "6.0", "2.0", "1.0", "delivery"),
    _role("conference_speaker", "Conference speaker", "2.0", "3.0", "1.0", "dissemination"),
    _role("media_spokesperson", "Media spokesperson", "2.0", "1.0", "1.0", "dissemination"),
    _role("blogger", "Blogger", "2.0", "1.0", "1.0", "dissemination"),
)}
ROLE_LABELS: dict[str, str] = {key: role.label for key, role in ROLES.items()}

LEVEL_ORDER: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def _entries(keys: tuple[str, ...], labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "label": labels[key]} for key in keys]


def vocabulary_document() -> dict[str, Any]:
    """Every vocabulary list as JSON-able ``[{key, label, ...}]`` lists, in order."""
    levels = [{"key": key, "label": LEVEL_LABELS[key], "description": LEVEL_DESCRIPTIONS[key]}
              for key in LEVELS]
    return {
        "levels": levels,
        "stages": _entries(STAGES, STAGE_LABELS),
        "scopes": _entries(SCOPES, SCOPE_LABELS),
        "work_types": _entries(WORK_TYPES, WORK_TYPE_LABELS),
        "travel": _entries(TRAVEL, TRAVEL_LABELS),
        "modes": _entries(MODES, MODE_LABELS),
        "categories": _entries(CATEGORIES, CATEGORY_LABELS),
        "roles": [role.to_dict() for role in ROLES.values()],
    }


# The words for an activity line's fields (keyed by their path within the line), shown
# at the plan form's inputs, in the version comparison and in review checks.
ACTIVITY_FIELD_LABELS: dict[str, str] = {
    "role": "Role", "people": "Number of people", "sessions": "Number of sessions",
    "hours_per_session": "Hours per session",
    "prep_hours_per_session": "Preparation hours per session", "stage": "Stage",
    "start_week": "Start week", "mode": "In person or remote", "travel": "Travel",
    "start_time": "Meeting start time", "needs": "Access needs",
    "needs.bsl": "BSL interpreters needed", "needs.personal_assistants": "Personal assistants",
    "needs.carers_needing_replacement_care": "Carers needing replacement care",
}
