"""Choices for bid forms, taken from the engine's vocabulary (one source of truth)."""
from app.costing import vocabulary

SCOPE_CHOICES = [(key, vocabulary.SCOPE_LABELS[key]) for key in vocabulary.SCOPES]
WORK_TYPE_CHOICES = [(key, vocabulary.WORK_TYPE_LABELS[key]) for key in vocabulary.WORK_TYPES]
STATUS_CHOICES = [("draft", "Draft"), ("in_review", "In review"),
                  ("changes_requested", "Changes requested"), ("approved", "Approved"),
                  ("submitted", "Submitted")]
