"""The monitoring app's models: service-time observations and evaluation rounds."""

from .evaluations import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    EvaluationFinding,
    EvaluationMethod,
    EvaluationParticipant,
    EvaluationRound,
    FindingResult,
    FollowUpAction,
)
from .observations import MAX_OBSERVED_MINUTES, ObservationMethod, ObservationQuerySet, ServiceObservation

__all__ = [
    "MAX_OBSERVED_MINUTES",
    "OPEN_ACTION_STATUSES",
    "ActionStatus",
    "EvaluationFinding",
    "EvaluationMethod",
    "EvaluationParticipant",
    "EvaluationRound",
    "FindingResult",
    "FollowUpAction",
    "ObservationMethod",
    "ObservationQuerySet",
    "ServiceObservation",
]
