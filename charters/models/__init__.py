"""Facilities, their charter versions and the service standards a charter promises.

A charter's content may change only while the charter is open for editing: every model of
content refuses `save()`, `delete()` and bulk writes once its charter is frozen (see
`CharterData` and `DraftOnlyQuerySet`).
"""

from .agreement import (
    ConsultationComment,
    MeetingAttachment,
    MeetingParticipant,
    StakeholderMeeting,
)
from .base import (
    DEFAULT_PLEDGE,
    EDITABLE_STATUSES,
    FROZEN_VERSION_MESSAGE,
    OPEN_CHARTER_STATUSES,
    PUBLIC_STATUSES,
    AgreementDecision,
    CharterStatus,
    ClauseKind,
    ClauseParty,
    ComplaintClass,
    ComplaintNorms,
    ImmutableCharterError,
    ParticipantGroup,
)
from .charter import (
    Charter,
    CharterData,
    CharterEvent,
    Clause,
    DraftOnlyQuerySet,
)
from .facility import Facility, FacilityKind, FacilityQuerySet, Membership, MembershipRole, user_is_head
from .service import (
    COMPONENTS,
    DURATION_FORMATS,
    TEXT_COMPONENTS,
    Component,
    DurationUnit,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceCategory,
    ServiceMethod,
    ServiceStandard,
    Weekday,
    validate_methods,
)

__all__ = [
    "COMPONENTS",
    "DEFAULT_PLEDGE",
    "DURATION_FORMATS",
    "EDITABLE_STATUSES",
    "FROZEN_VERSION_MESSAGE",
    "OPEN_CHARTER_STATUSES",
    "PUBLIC_STATUSES",
    "TEXT_COMPONENTS",
    "AgreementDecision",
    "Charter",
    "CharterData",
    "CharterEvent",
    "CharterStatus",
    "Clause",
    "ClauseKind",
    "ClauseParty",
    "ComplaintClass",
    "ComplaintNorms",
    "Component",
    "ConsultationComment",
    "DraftOnlyQuerySet",
    "DurationUnit",
    "Facility",
    "FacilityKind",
    "FacilityQuerySet",
    "ImmutableCharterError",
    "MeetingAttachment",
    "MeetingParticipant",
    "Membership",
    "MembershipRole",
    "ParticipantGroup",
    "ProcedureStep",
    "Requirement",
    "ScheduleSlot",
    "ServiceCategory",
    "ServiceMethod",
    "ServiceStandard",
    "StakeholderMeeting",
    "Weekday",
    "user_is_head",
    "validate_methods",
]
