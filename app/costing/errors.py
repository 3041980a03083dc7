"""The engine's one exception type: PlanError, carrying every field error at once."""
from __future__ import annotations

from typing import Any


class PlanError(ValueError):
    """A plan, rate card or option the engine cannot cost.

    ``errors`` is a list of ``{"field": "activities[0].people", "message": "...",
    "code": "out_of_range"}`` dicts, one per problem, in document order, so a
    form can show every message next to its field in one round trip.
    """

    def __init__(self, errors: list[dict[str, Any]]):
        self.errors = list(errors)
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in self.errors))

    def to_dict(self) -> dict[str, Any]:
        """``{"errors": [...]}``, the JSON the CLI and the API return."""
        return {"errors": self.errors}
