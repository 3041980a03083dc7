"""Human labels for the engine's vocabulary keys, taken from app.costing.

The engine owns the vocabulary; this module only looks labels up and never
fails on an unknown key (it falls back to a readable version of the key).
"""
from __future__ import annotations

from app.costing import vocabulary as costing
from app.formatting import label

LEVEL_ORDER: dict[str, int] = dict(getattr(costing, "LEVEL_ORDER", {}) or
                                   {"none": 0, "limited": 1, "good": 2, "full": 3})


def _lookup(table_name: str, key: str | None) -> str:
    """Label for ``key`` from the engine table ``table_name``; never raises."""
    table = getattr(costing, table_name, None)
    return label(key, table if isinstance(table, dict) else None, missing="")


def role_label(key: str | None) -> str:
    """'advisory_group_member' -> 'Advisory group member'."""
    return _lookup("ROLE_LABELS", key)


def category_label(key: str) -> str:
    """'travel_subsistence' -> 'Travel and subsistence'."""
    return _lookup("CATEGORY_LABELS", key)


def stage_label(key: str) -> str:
    """'setup' -> 'Set-up'."""
    return _lookup("STAGE_LABELS", key)


def level_label(key: str | None) -> str:
    """'good' -> 'Good'."""
    return _lookup("LEVEL_LABELS", key)


def level_description(key: str | None) -> str:
    """One sentence describing a level, or '' when the engine has none."""
    table = getattr(costing, "LEVEL_DESCRIPTIONS", None) or {}
    return str(table.get(key, "")) if isinstance(table, dict) else ""


def mode_label(key: str | None) -> str:
    """'remote' -> 'Remote (online or phone)'."""
    return _lookup("MODE_LABELS", key)


def scope_label(key: str | None) -> str:
    """'local' -> 'Local'."""
    return _lookup("SCOPE_LABELS", key)


def work_type_label(key: str | None) -> str:
    """'training' -> 'Training'."""
    return _lookup("WORK_TYPE_LABELS", key)


def categories() -> list[str]:
    """Category keys in the engine's order."""
    return list(getattr(costing, "CATEGORIES", ()))


def stages() -> list[str]:
    """Stage keys in the engine's order."""
    return list(getattr(costing, "STAGES", ()))
