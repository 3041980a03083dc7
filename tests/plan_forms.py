"""The activities page's form, filled in as a browser would, and the stored versions."""
from __future__ import annotations

from app.extensions import db
from app.models import PlanVersion
from app.versions import store

JUSTIFICATION = ("A two-day desk review of published statistics; nobody's services or "
                 "experience are affected, so paid involvement would not be proportionate.")


def versions(bid_id):
    return db.session.scalars(db.select(PlanVersion).where(PlanVersion.bid_id == bid_id)
                              .order_by(PlanVersion.number)).all()


def activities_form(version, **changes):
    """The activities page's form data for a stored version, with changes applied."""
    data = {"row_version": store.edit_token(version),  # as the page sends it
            "accessible_formats-easy_read_pages":
                str(version.inputs["accessible_formats"]["easy_read_pages"]),
            "new_role": "writer"}
    if version.inputs.get("existing_network"):
        data["existing_network"] = "y"
    for index, activity in enumerate(version.inputs["activities"]):
        prefix = f"activities-{index}-"
        for key in ("role", "people", "sessions", "hours_per_session", "prep_hours_per_session",
                    "stage", "start_week", "mode", "travel"):
            data[prefix + key] = str(activity[key])
        data[prefix + "start_time"] = activity.get("start_time") or ""
        data[prefix + "needs-personal_assistants"] = str(activity["needs"]["personal_assistants"])
        data[prefix + "needs-carers_needing_replacement_care"] = \
            str(activity["needs"]["carers_needing_replacement_care"])
        if activity["needs"]["bsl"]:
            data[prefix + "needs-bsl"] = "y"
    data.update(changes)
    return data
