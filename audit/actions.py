"""What each audited action is called, and which staff URLs are audited how.

Every URL of the `manage` namespace is in exactly one of three tables (a test walks the URL
resolver, so a new URL cannot be forgotten):

- `CHANGES`: a POST that ends in a redirect without an error message changed something;
- `READS`: a GET answered 200 handed over personal data in bulk (an export, a file);
- `QUIET`: pages that only show what a person may read anyway, one at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from .models import Kind

Action = tuple[str, Promise]  # (Kind, what it says)

CHANGES: dict[str, Action] = {
    "manage:facility_edit": (Kind.SETTINGS, _("Changed the facility profile")),
    "manage:feedback_settings": (
        Kind.SETTINGS,
        _("Changed the time norms, holidays, survey settings or waiting-room network"),
    ),
    "manage:charter_start": (Kind.CHARTER, _("Started a new charter version")),
    "manage:charter_edit": (Kind.CHARTER, _("Changed the pledge, rights and obligations")),
    "manage:charter_consultation": (Kind.CHARTER, _("Opened the draft for public consultation")),
    "manage:charter_return": (Kind.CHARTER, _("Returned the version to draft")),
    "manage:charter_agree": (Kind.CHARTER, _("Marked the version as agreed with stakeholders")),
    "manage:charter_approve": (Kind.CHARTER, _("Approved the version")),
    "manage:charter_publish": (Kind.CHARTER, _("Published or scheduled the version")),
    "manage:charter_review": (Kind.CHARTER, _("Reviewed the charter: no change needed")),
    "manage:charter_discard": (Kind.CHARTER, _("Discarded the draft")),
    "manage:service_add": (Kind.CHARTER, _("Added a service")),
    "manage:service_edit": (Kind.CHARTER, _("Changed a service")),
    "manage:service_delete": (Kind.CHARTER, _("Removed a service")),
    "manage:service_move": (Kind.CHARTER, _("Moved a service in the list")),
    "manage:evaluation_finding_revise": (Kind.CHARTER, _("Started a revision from an evaluation finding")),
    "manage:meeting_add": (Kind.FORUM, _("Recorded a forum meeting")),
    "manage:meeting_edit": (Kind.FORUM, _("Changed a forum meeting")),
    "manage:meeting_delete": (Kind.FORUM, _("Deleted a forum meeting")),
    "manage:meeting_attachment_add": (Kind.FORUM, _("Attached a scan of the minutes")),
    "manage:meeting_attachment_delete": (Kind.FORUM, _("Removed a scan of the minutes")),
    "manage:agreement": (Kind.FORUM, _("Recorded the forum's decisions on the services")),
    "manage:comment_reply": (Kind.FORUM, _("Answered a consultation comment")),
    "manage:case_add": (Kind.FEEDBACK, _("Entered a case for a citizen")),
    "manage:case_step": (Kind.FEEDBACK, _("Moved a case on")),
    "manage:case_note": (Kind.FEEDBACK, _("Added an internal note to a case")),
    "manage:case_assign": (Kind.FEEDBACK, _("Assigned a case")),
    "manage:case_reclassify": (Kind.FEEDBACK, _("Reclassified a complaint")),
    "manage:case_attach": (Kind.FEEDBACK, _("Attached a file to a case")),
    "manage:survey_entry": (Kind.SURVEY, _("Entered paper survey answers")),
    "manage:survey_import": (Kind.SURVEY, _("Imported survey answers")),
    "manage:survey_periods": (Kind.SURVEY, _("Added or changed a survey period")),
    "manage:survey_period_delete": (Kind.SURVEY, _("Deleted a survey period")),
    "manage:survey_action_add": (Kind.SURVEY, _("Recorded a follow-up action on the survey")),
    "manage:survey_action": (Kind.SURVEY, _("Updated a follow-up action on the survey")),
    "manage:observations": (Kind.MONITORING, _("Recorded a service time")),
    "manage:observation_batch": (Kind.MONITORING, _("Recorded service times")),
    "manage:observation_import": (Kind.MONITORING, _("Imported service times")),
    "manage:observation_delete": (Kind.MONITORING, _("Deleted a service time")),
    "manage:evaluation_new": (Kind.MONITORING, _("Recorded an evaluation round")),
    "manage:evaluation_edit": (Kind.MONITORING, _("Changed an evaluation round")),
    "manage:evaluation_delete": (Kind.MONITORING, _("Deleted an evaluation round")),
    "manage:evaluation_actions": (Kind.MONITORING, _("Recorded the follow-up actions of an evaluation")),
    "manage:evaluation_action": (Kind.MONITORING, _("Updated a follow-up action of an evaluation")),
    "manage:sign_in_pause_lift": (Kind.SIGN_IN, _("Let a colleague whose sign-in was paused sign in again")),
    # The account pages, outside the facilities.
    "password_change": (Kind.SIGN_IN, _("Changed their password")),
}

READS: dict[str, Action] = {
    "manage:cases_export": (Kind.EXPORT, _("Exported the list of cases")),
    "manage:case_file": (Kind.EXPORT, _("Opened a file of a case")),
    "manage:meeting_attachment": (Kind.EXPORT, _("Opened a scan of forum minutes")),
    "manage:survey_export": (Kind.EXPORT, _("Exported survey results")),
    "manage:district_export": (Kind.EXPORT, _("Exported the district's figures")),
    "manage:audit_export": (Kind.EXPORT, _("Exported the audit trail")),
}

QUIET = frozenset(
    {
        "manage:dashboard",
        "manage:district",
        "manage:facility",
        "manage:charter",
        "manage:charter_changes",
        "manage:charter_diff",
        "manage:meetings",
        "manage:comments",
        "manage:cases",
        "manage:case",
        "manage:case_figures",
        "manage:survey_report",
        "manage:survey_import_template",
        "manage:observation_import_template",
        "manage:observation_figures",
        "manage:evaluations",
        "manage:evaluation",
        "manage:self_assessment",
        "manage:audit",
        "manage:sign_in_pauses",
    }
)

# Sign-in events, written by `audit.signals`.
EVENTS: dict[str, Action] = {
    "sign_in": (Kind.SIGN_IN, _("Signed in")),
    "sign_out": (Kind.SIGN_IN, _("Signed out")),
    "sign_in_failed": (Kind.SIGN_IN, _("Failed to sign in")),
    "sign_in_paused": (Kind.SIGN_IN, _("Sign-in paused after repeated failures")),
    "password_reset": (Kind.SIGN_IN, _("Set a new password from the e-mailed link")),
    "two_factor_on": (Kind.SIGN_IN, _("Turned two-factor sign-in on")),
    "two_factor_off": (Kind.SIGN_IN, _("Turned two-factor sign-in off")),
    "backup_codes_renewed": (Kind.SIGN_IN, _("Made new backup codes")),
}

ALL: dict[str, Action] = {**CHANGES, **READS, **EVENTS}


def describe(action: str) -> str:
    """What `action` says, in the active language; an action no longer known says its name."""
    known = ALL.get(action)
    return str(known[1]) if known else action


# How the parts of an object's URL read, in the order shown.
TARGET_PARTS: Mapping[str, Promise] = {
    "version": pgettext_lazy("audit target", "version %s"),
    "service_slug": pgettext_lazy("audit target", "service %s"),
    "meeting_id": pgettext_lazy("audit target", "meeting #%s"),
    "attachment_id": pgettext_lazy("audit target", "file #%s"),
    "comment_id": pgettext_lazy("audit target", "comment #%s"),
    "code": pgettext_lazy("audit target", "case %s"),
    "step": pgettext_lazy("audit target", "step: %s"),
    "period_id": pgettext_lazy("audit target", "period #%s"),
    "action_id": pgettext_lazy("audit target", "action #%s"),
    "observation_id": pgettext_lazy("audit target", "service time #%s"),
    "round_id": pgettext_lazy("audit target", "round #%s"),
    "finding_id": pgettext_lazy("audit target", "finding #%s"),
    "table": pgettext_lazy("audit target", "table: %s"),
    "fmt": pgettext_lazy("audit target", "as %s"),
    "regency": pgettext_lazy("audit target", "district %s"),
    "username": pgettext_lazy("audit target", "username %s"),
}


def describe_target(target: Mapping[str, Any]) -> str:
    """The object an entry is about, in words: "version 3 · service poli-umum"."""
    return " · ".join(str(TARGET_PARTS[key]) % value for key, value in target.items() if key in TARGET_PARTS)
