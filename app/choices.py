"""Choices for select fields that several features' forms share (bids, portfolio),
built from the engine's vocabulary and the version statuses (one source of truth)."""
from app.costing import vocabulary
from app.versions.statuses import STATUSES, status_label

SCOPE_CHOICES = [(key, vocabulary.SCOPE_LABELS[key]) for key in vocabulary.SCOPES]
WORK_TYPE_CHOICES = [(key, vocabulary.WORK_TYPE_LABELS[key]) for key in vocabulary.WORK_TYPES]
STATUS_CHOICES = [(key, status_label(key)) for key in STATUSES]
