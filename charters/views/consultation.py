"""The public consultation: the draft anyone with the link may read and comment on, and the
staff page where the comments are answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from charter_site.http import noindex
from charter_site.ratelimit import gives_browser_token, sender, too_many_requests

from ..access import get_charter_for_user
from ..forms import CommentReplyForm, ConsultationCommentForm
from ..models import Charter, CharterEvent, CharterStatus, ConsultationComment, Facility, ServiceStandard
from ..services.consultation import (
    CommentRateLimited,
    add_consultation_comment,
    comment_counts_by_service,
    comment_rate,
    reply_to_comment,
)

# A draft is not the charter in force: search engines must not send citizens to it.


@dataclass(frozen=True)
class PastConsultation:
    """The facility's latest public consultation, over: which version, from when to when, how it
    ended, and the replies the facility gave."""

    charter: Charter
    opened_at: datetime
    closed_at: datetime | None
    outcome: str  # the action that closed it: agreed, or returned to draft
    replies: list[ConsultationComment]


def _past_consultation(facility: Facility) -> PastConsultation | None:
    """The latest consultation of the facility (none is open), in three queries; None if it never
    opened one."""
    opened = (
        CharterEvent.objects.filter(charter__facility=facility, action=CharterEvent.Action.CONSULTATION)
        .select_related("charter")
        .order_by("-created_at", "-id")
        .first()
    )
    if opened is None:
        return None
    closed = (
        CharterEvent.objects.filter(
            charter=opened.charter,
            action__in=[CharterEvent.Action.AGREED, CharterEvent.Action.RETURNED],
            created_at__gte=opened.created_at,
        )
        .order_by("created_at", "id")
        .first()
    )
    replies = list(
        opened.charter.consultation_comments.filter(addressed=True)
        .exclude(reply="")
        .select_related("service")
        .order_by("service__position", "replied_at", "id")
    )
    return PastConsultation(
        charter=opened.charter,
        opened_at=opened.created_at,
        closed_at=closed.created_at if closed else None,
        outcome=closed.action if closed else "",
        replies=replies,
    )


def _no_consultation(request: HttpRequest, facility: Facility, typed: str = "") -> HttpResponse:
    """No version is in consultation: when the last one ran and how it ended, the replies the
    facility gave, the charter in force; `typed`, a comment sent too late, shown back to keep."""
    past = _past_consultation(facility)
    response = render(
        request,
        "charters/public/consultation_closed.html",
        {
            "facility": facility,
            "past": past,
            "agreed": past is not None and past.outcome == CharterEvent.Action.AGREED,
            "has_published": facility.charters.filter(status=CharterStatus.PUBLISHED).exists(),
            "typed": typed,
        },
        status=200 if past else 404,
    )
    noindex(response)
    return response


def _draft(facility: Facility) -> Charter | None:
    """The facility's version in consultation with everything the draft page shows, in a fixed
    number of queries; None when no version is in consultation."""
    charter = (
        Charter.objects.filter(facility=facility, status=CharterStatus.CONSULTATION)
        .prefetch_related(
            Prefetch(
                "services",
                queryset=ServiceStandard.objects.prefetch_related("requirements", "steps", "schedule_slots"),
            ),
            "clauses",
            Prefetch(
                "consultation_comments",
                queryset=ConsultationComment.objects.filter(addressed=True).order_by("replied_at", "id"),
                to_attr="answered_comments",
            ),
        )
        .first()
    )
    if charter is not None:
        charter.facility = facility
    return charter


def _draft_url(facility: Facility, anchor: str = "") -> str:
    url = reverse("public:draft", args=[facility.slug])
    return f"{url}#{anchor}" if anchor else url


def _comments_anchor(service_slug: str) -> str:
    return f"comments-{service_slug}" if service_slug else "comments-charter"


def _draft_page(
    request: HttpRequest, facility: Facility, charter: Charter, form: ConsultationCommentForm | None = None
) -> HttpResponse:
    """The draft with a comment form under each service and one for the whole charter; `form`,
    when given, is the submitted form, shown in its place with its errors and text."""
    services = list(charter.services.all())
    counts = comment_counts_by_service(charter)
    answered: dict[int | None, list[ConsultationComment]] = {}
    for comment in charter.answered_comments:
        answered.setdefault(comment.service_id, []).append(comment)
    target = form.target_slug() if form is not None else None
    for service in services:
        service.comment_count = counts.get(service.pk, 0)
        service.answered_comments = answered.get(service.pk, [])
        service.comment_form = (
            form
            if form is not None and target == service.slug
            else ConsultationCommentForm(services=services, initial={"service": service.slug})
        )
    response = render(
        request,
        "charters/public/consultation.html",
        {
            "facility": facility,
            "charter": charter,
            "services": services,
            "charter_comment_count": counts.get(None, 0),
            "charter_answered_comments": answered.get(None, []),
            "charter_form": form if form is not None and target == "" else ConsultationCommentForm(services=services),
            "has_published": facility.charters.filter(status=CharterStatus.PUBLISHED).exists(),
            "sent_anchor": request.GET.get("sent", "") if form is None else "",
        },
    )
    noindex(response)
    return response


@gives_browser_token  # the draft's comment forms hold a CSRF token: the page is never cached
def draft(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility, slug=slug)
    charter = _draft(facility)
    if charter is None:
        return _no_consultation(request, facility)
    return _draft_page(request, facility, charter)


@require_POST
@gives_browser_token
def draft_comment(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility, slug=slug)
    charter = _draft(facility)
    if charter is None:  # closed while the comment was typed: say so, and keep the text
        return _no_consultation(request, facility, typed=request.POST.get("text", "")[:3000])
    form = ConsultationCommentForm(request.POST, services=list(charter.services.all()))
    if not form.is_valid():
        return _draft_page(request, facility, charter, form)
    service = form.cleaned_data["service"]
    try:
        add_consultation_comment(
            charter,
            text=form.cleaned_data["text"],
            author_name=form.cleaned_data["author_name"],
            service=service,
            sender=sender(request),
            spam=form.is_spam,
        )
    except CommentRateLimited:
        context = {
            "facility": facility,
            "charter": charter,
            "text": form.cleaned_data["text"],
            "back_url": _draft_url(facility, _comments_anchor(service.slug if service else "")),
        }
        response = too_many_requests(request, "charters/public/consultation_limit.html", context, comment_rate())
        noindex(response)
        return response
    except ValidationError as exc:  # the consultation closed while the comment was typed
        messages.error(request, " ".join(exc.messages))
        return redirect("public:charter", facility.slug)
    # The thanks is shown in the section the reader returns to (`?sent=`), not at the top of a
    # long page, thousands of pixels above where a phone lands.
    anchor = _comments_anchor(service.slug if service else "")
    return redirect(f"{reverse('public:draft', args=[facility.slug])}?{urlencode({'sent': anchor})}#{anchor}")


# --- Staff: answering the comments ------------------------------------------------------------


def _comments_url(charter: Charter, comment: ConsultationComment | None = None) -> str:
    url = reverse("manage:comments", args=[charter.facility.slug, charter.version])
    return f"{url}#comment-{comment.pk}" if comment else url


def _reply_form(comment: ConsultationComment) -> CommentReplyForm:
    return CommentReplyForm(initial={"reply": comment.reply}, auto_id=f"reply-{comment.pk}-%s")


def _comments_page(
    request: HttpRequest, charter: Charter, bound: tuple[int, CommentReplyForm] | None = None
) -> HttpResponse:
    """Comments grouped by service, in the charter's order, then those on the whole charter;
    `bound`: (comment id, submitted reply form) to show with its errors."""
    comments = list(charter.consultation_comments.select_related("replied_by"))
    for comment in comments:
        comment.reply_form = bound[1] if bound and bound[0] == comment.pk else _reply_form(comment)
    by_service: dict[int | None, list[ConsultationComment]] = {}
    for comment in comments:
        by_service.setdefault(comment.service_id, []).append(comment)
    groups = [(service, by_service.get(service.pk, [])) for service in charter.services.all()]
    groups.append((None, by_service.get(None, [])))
    open_count = sum(1 for comment in comments if not comment.addressed)
    return render(
        request,
        "charters/manage/comments.html",
        {
            "facility": charter.facility,
            "charter": charter,
            "groups": groups,
            "total": len(comments),
            "open_count": open_count,
            "addressed_count": len(comments) - open_count,
        },
    )


@login_required
def comments(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    # Reading and replying are allowed in every status: comments are not charter content.
    charter = get_charter_for_user(request, slug, version)
    return _comments_page(request, charter)


@login_required
@require_POST
def comment_reply(request: HttpRequest, slug: str, version: int, comment_id: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version)
    comment = get_object_or_404(charter.consultation_comments.all(), pk=comment_id)
    form = CommentReplyForm(request.POST, auto_id=f"reply-{comment.pk}-%s")
    if not form.is_valid():
        return _comments_page(request, charter, (comment.pk, form))
    reply_to_comment(comment, request.user, form.cleaned_data["reply"])
    messages.success(request, _("The comment is marked as addressed, with your reply."))
    return redirect(_comments_url(charter, comment))
