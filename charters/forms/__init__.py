"""Forms for staff editing and citizens' input, one module per feature as in `views/`.

Every rule lives in a form or in the model's clean(); views only call them.
"""

from .charter import CharterForm, ClauseFormSet, FacilityForm, PublishForm, SearchForm, TransitionForm
from .consultation import CommentReplyForm, ConsultationCommentForm
from .forum import (
    MeetingAttachmentForm,
    MeetingParticipantFormSet,
    ServiceDecisionFormSet,
    StakeholderMeetingForm,
)
from .service import (
    RESERVED_SERVICE_SLUGS,
    MoveServiceForm,
    ProcedureStepFormSet,
    RequirementFormSet,
    ScheduleSlotFormSet,
    ServiceStandardForm,
)

__all__ = [
    "RESERVED_SERVICE_SLUGS",
    "CharterForm",
    "ClauseFormSet",
    "CommentReplyForm",
    "ConsultationCommentForm",
    "FacilityForm",
    "MeetingAttachmentForm",
    "MeetingParticipantFormSet",
    "MoveServiceForm",
    "ProcedureStepFormSet",
    "PublishForm",
    "RequirementFormSet",
    "ScheduleSlotFormSet",
    "SearchForm",
    "ServiceDecisionFormSet",
    "ServiceStandardForm",
    "StakeholderMeetingForm",
    "TransitionForm",
]
