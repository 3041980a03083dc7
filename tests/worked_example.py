"""The costing contract's worked example plan (total £7,419.00 on the default card),
shared by the engine, report and API tests."""
from __future__ import annotations

from typing import Any

WORKED_EXAMPLE: dict[str, Any] = {
    "bid": {"title": "Care Act training", "client": "A council", "value_gbp": 120000,
            "start_date": "2027-04-01", "duration_months": 12, "scope": "local",
            "work_type": "training", "client_requires_coproduction": True},
    "level": "good", "justification": None, "rate_card": "uk-2026",
    "existing_network": True, "contributors": 6,
    "activities": [{"role": "advisory_group_member", "people": 6, "sessions": 4,
                    "hours_per_session": 3, "prep_hours_per_session": 1,
                    "stage": "scoping", "start_week": 2, "mode": "in_person",
                    "travel": "local", "start_time": "10:30",
                    "needs": {"bsl": False, "personal_assistants": 1,
                              "carers_needing_replacement_care": 0}}],
    "accessible_formats": {"easy_read_pages": 12},
    "options": {"draws": 10000, "seed": 0},
}
