"""Feedback from citizens: complaints, suggestions, compliments and questions (cases)."""

from .cases import (
    CLOSED_STATUSES,
    DEFAULT_CLASS_FOR_KIND,
    OPEN_STATUSES,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseQuerySet,
    CaseStatus,
    Channel,
    ComplaintClass,
    EventKind,
    FacilityHoliday,
    FeedbackKind,
    FeedbackSettings,
    Rating,
)

__all__ = [
    "CLOSED_STATUSES",
    "DEFAULT_CLASS_FOR_KIND",
    "OPEN_STATUSES",
    "Case",
    "CaseAttachment",
    "CaseEvent",
    "CaseQuerySet",
    "CaseStatus",
    "Channel",
    "ComplaintClass",
    "EventKind",
    "FacilityHoliday",
    "FeedbackKind",
    "FeedbackSettings",
    "Rating",
]
