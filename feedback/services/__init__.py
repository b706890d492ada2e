"""The feedback app's workflow rules: cases (`cases`) and satisfaction surveys (`surveys`).

Callers write `from feedback import services` and `services.reply(...)` for cases, and
`services.surveys.submit_response(...)` for the survey.
"""

from . import surveys
from .cases import (
    MAX_CASE_FILE_SIZE,
    STAFF_STEPS,
    Step,
    add_information,
    add_note,
    allowed_steps,
    assign,
    attach_file,
    check_attachment,
    close_case,
    due_date_for,
    norms_for,
    rate_answer,
    reclassify,
    record_email_failure,
    reject_case,
    reply,
    start_handling,
    step_allowed,
    submit_case,
)

__all__ = [
    "MAX_CASE_FILE_SIZE",
    "STAFF_STEPS",
    "Step",
    "add_information",
    "add_note",
    "allowed_steps",
    "assign",
    "attach_file",
    "check_attachment",
    "close_case",
    "due_date_for",
    "norms_for",
    "rate_answer",
    "reclassify",
    "record_email_failure",
    "reject_case",
    "reply",
    "start_handling",
    "step_allowed",
    "submit_case",
    "surveys",
]
