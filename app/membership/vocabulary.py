"""The network's vocabulary: keys stored in the database, with labels for people.

Tuples give the order forms and filters show. The role catalogue is the engine's
(app.costing.vocabulary.ROLES): members want the roles plans cost.
"""
from __future__ import annotations

from app.costing.vocabulary import ROLE_LABELS, ROLES

KINDS: tuple[str, ...] = ("person", "organisation")
KIND_LABELS: dict[str, str] = {
    "person": "Individual (a person who uses services or a carer)",
    "organisation": "Representative of an organisation",
}
KIND_SHORT_LABELS: dict[str, str] = {"person": "Individual", "organisation": "Organisation"}

ORGANISATION_TYPES: tuple[str, ...] = (
    "user_controlled", "carer_controlled", "equality_group", "seldom_heard", "local", "other")
ORGANISATION_TYPE_LABELS: dict[str, str] = {
    "user_controlled": "National user-controlled organisation",
    "carer_controlled": "Carer-controlled organisation",
    "equality_group": "Equality group",
    "seldom_heard": "Organisation of a seldom-heard group",
    "local": "Local organisation",
    "other": "Other organisation",
}

#: The UK's nations and English regions (ITL 1).
REGIONS: tuple[str, ...] = (
    "north_east", "north_west", "yorkshire", "east_midlands", "west_midlands", "east",
    "london", "south_east", "south_west", "wales", "scotland", "northern_ireland")
REGION_LABELS: dict[str, str] = {
    "north_east": "North East", "north_west": "North West",
    "yorkshire": "Yorkshire and the Humber", "east_midlands": "East Midlands",
    "west_midlands": "West Midlands", "east": "East of England", "london": "London",
    "south_east": "South East", "south_west": "South West", "wales": "Wales",
    "scotland": "Scotland", "northern_ireland": "Northern Ireland",
}

#: Access and communication needs (special category data: stored encrypted).
NEEDS: tuple[str, ...] = (
    "bsl", "easy_read", "large_print", "hearing_loop", "personal_assistant",
    "replacement_care", "step_free", "no_early_start", "remote_only")
NEED_LABELS: dict[str, str] = {
    "bsl": "British Sign Language interpreter",
    "easy_read": "Easy read",
    "large_print": "Large print",
    "hearing_loop": "Hearing loop",
    "personal_assistant": "Personal assistant",
    "replacement_care": "Replacement care (for a carer)",
    "step_free": "Step-free venue",
    "no_early_start": "No start before 10:00",
    "remote_only": "Remote only",
}

PAYMENT_PREFERENCES: tuple[str, ...] = ("paid", "declines", "part", "charity",
                                        "benefits_check")
PAYMENT_LABELS: dict[str, str] = {
    "paid": "Paid", "declines": "Declines payment", "part": "Part payment",
    "charity": "Payment to a charity", "benefits_check": "Wants a benefits check first",
}

STATUSES: tuple[str, ...] = ("active", "paused", "left")
MEMBER_STATUS_LABELS: dict[str, str] = {"active": "Active", "paused": "Paused", "left": "Left"}

CONSENT_PURPOSES: tuple[str, ...] = ("register", "bid_work", "contact")
CONSENT_LABELS: dict[str, str] = {
    "register": "Being on the network's register",
    "bid_work": "Being proposed for and taking part in bid work",
    "contact": "Being contacted about network news and meetings",
}
BID_WORK = "bid_work"

MEETING_FORMATS: tuple[str, ...] = ("in_person", "online", "hybrid")
MEETING_FORMAT_LABELS: dict[str, str] = {
    "in_person": "In person", "online": "Online", "hybrid": "Hybrid"}

INVOLVEMENT_STATUSES: tuple[str, ...] = ("assigned", "took_part")
INVOLVEMENT_LABELS: dict[str, str] = {"assigned": "Assigned", "took_part": "Took part"}

#: The membership review's groups: a member counts in a group when a lived-experience
#: tag contains one of its words (case-insensitive), or they have one of its needs.
MIX_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "carers": {"words": ("carer",), "needs": ("replacement_care",)},
    "hearing": {"words": ("hearing", "deaf"), "needs": ("bsl", "hearing_loop")},
}
MIX_LABELS: dict[str, str] = {"carers": "Carers", "hearing": "People with hearing impairment"}
MIX_SHORT_LABELS: dict[str, str] = {"carers": "Carers", "hearing": "Hearing impairment"}

#: KPI targets from the board report.
PARTICIPATION_TARGET_PERCENT = 50
MEETINGS_TARGET = 2
ATTENDANCE_TARGET_FRACTION = (1, 3)
DEFAULT_RETENTION_MONTHS = 24


def choices(keys: tuple[str, ...], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(key, label) pairs for a form's select or checkboxes."""
    return [(key, labels[key]) for key in keys]


ROLE_CHOICES = [(key, ROLE_LABELS[key]) for key in ROLES]
