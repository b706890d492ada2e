"""Every staff action leaves an audit entry, found from the URL it was sent to (`actions`).

A change is a POST that ended in a redirect (post/redirect/get) without an error or warning
message: a form with errors answers 200, a refused step redirects back with `messages.error`, a
request that found its work done already (a draft open) says so with `messages.warning`, a refused
person gets 403 or 404, and none of them is recorded. A bulk read is an export or a file that answered
200 (to a GET, or to a POST, which they answer alike). Placed after the message and authentication
middleware, so that it sees the user and the messages of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse

from charters.models import ConsultationComment, Facility, MeetingAttachment, StakeholderMeeting
from feedback.models import CaseAttachment, SurveyAction, SurveyPeriod
from monitoring.models import EvaluationFinding, EvaluationRound, FollowUpAction, ServiceObservation

from .actions import CHANGES, READS
from .services import record

# URL parts that say which facility (looked up) or which request (not an object) it was.
NOT_TARGET = frozenset({"slug"})


# The object a URL part names, read before the view runs: a deleted survey period is then still
# named in the trail ("Tahun 2025"), not only numbered. By URL part, and by the URL name's start
# where two kinds share a part.
NAMED_BY: dict[str, dict[str, type[models.Model]]] = {
    "period_id": {"": SurveyPeriod},
    "meeting_id": {"": StakeholderMeeting},
    "attachment_id": {"manage:meeting": MeetingAttachment, "manage:case": CaseAttachment},
    "comment_id": {"": ConsultationComment},
    "action_id": {"manage:survey": SurveyAction, "manage:evaluation": FollowUpAction},
    "observation_id": {"": ServiceObservation},
    "round_id": {"": EvaluationRound},
    "finding_id": {"": EvaluationFinding},
}


def _named_model(part: str, view_name: str) -> type[models.Model] | None:
    return next((model for start, model in NAMED_BY.get(part, {}).items() if view_name.startswith(start)), None)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]) -> None:
        """Names the objects of an audited request's URL while they still exist."""
        name = request.resolver_match.view_name if request.resolver_match else ""
        audited = (request.method == "POST" and name in CHANGES) or name in READS
        if not audited or not request.user.is_authenticated:
            return
        names = []
        for part, value in kwargs.items():
            model = _named_model(part, name)
            if model is not None and (found := model._default_manager.filter(pk=value).first()) is not None:
                names.append(str(found))
        if names:
            request.audit_detail = " · ".join(names)  # type: ignore[attr-defined]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is None:
            return response
        name = match.view_name
        changed = request.method == "POST" and name in CHANGES and response.status_code in (301, 302, 303)
        read = name in READS and response.status_code == 200  # an export answers POST like GET
        # The user last: a public page never loads the session for the trail's sake.
        if ((changed and not _refused(request)) or read) and request.user.is_authenticated:
            slug = match.kwargs.get("slug")
            record(
                request,
                name,
                facility=Facility.objects.filter(slug=slug).only("pk", "name").first() if slug else None,
                target={key: value for key, value in match.kwargs.items() if key not in NOT_TARGET},
                detail=getattr(request, "audit_detail", ""),
            )
        return response


def _refused(request: HttpRequest) -> bool:
    """Whether the view said it changed nothing: a refusal that redirects back says why with an
    error message, and a request that found its work done already (a draft open) with a warning.
    The messages added in this request are still queued (not yet stored)."""
    storage = getattr(request, "_messages", None)
    return any(message.level >= messages.WARNING for message in getattr(storage, "_queued_messages", ()))
