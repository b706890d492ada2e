"""Workflow rules for charters: every write to a version goes through one of these functions.

Each checks (the lifecycle table `CHARTER_STEPS`, or that the version is still open for
editing), acts in a transaction under the facility lock, and leaves a `CharterEvent`. Every
function takes `now` (default: the current time), so history can be replayed.

- `lifecycle`: the steps of a version, from draft to superseded;
- `content`: the charter's text, rights and obligations, and its services;
- `forum`: the stakeholder forum's meetings, participants, scans and decisions;
- `consultation`: citizens' comments on a draft in consultation, and the staff's replies;
- `revision`: a revision started to answer findings, which its comparisons show.
"""

from .base import editing, lock_facility, log_event
from .content import (
    EditConflict,
    Row,
    ServiceContent,
    delete_service,
    edit_charter,
    move_service,
    next_service_position,
    save_service,
)
from .forum import Decision, attach_file, delete_meeting, record_decisions, remove_file, save_meeting
from .lifecycle import (
    CHARTER_STEPS,
    FROZEN_TRANSITIONS,
    CharterStep,
    StepOffer,
    approve_charter,
    complaint_norms,
    confirm_review,
    copy_charter_content,
    discard_draft,
    mark_agreed,
    offered_steps,
    one_year_after,
    open_consultation,
    publish_charter,
    publishable_charter,
    published_services,
    record_evaluation,
    return_to_draft,
    start_draft,
    step_allowed,
    take_effect,
    take_step,
)
from .revision import Reason, start_revision

__all__ = [
    "CHARTER_STEPS",
    "FROZEN_TRANSITIONS",
    "CharterStep",
    "Decision",
    "EditConflict",
    "Reason",
    "Row",
    "ServiceContent",
    "StepOffer",
    "approve_charter",
    "attach_file",
    "complaint_norms",
    "confirm_review",
    "copy_charter_content",
    "delete_meeting",
    "delete_service",
    "discard_draft",
    "edit_charter",
    "editing",
    "lock_facility",
    "log_event",
    "mark_agreed",
    "move_service",
    "next_service_position",
    "offered_steps",
    "one_year_after",
    "open_consultation",
    "publish_charter",
    "publishable_charter",
    "published_services",
    "record_decisions",
    "record_evaluation",
    "remove_file",
    "return_to_draft",
    "save_meeting",
    "save_service",
    "start_draft",
    "start_revision",
    "step_allowed",
    "take_effect",
    "take_step",
]
