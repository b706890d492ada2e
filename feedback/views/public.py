"""The citizen's side: sending a complaint, suggestion, compliment or question, and following it
by its tracking code.

The code is the only key to a case: the tracking pages show what the facility did, never who
sent it. A wrong code gets the same answer whether it is malformed or merely unknown, and
wrong codes from one address are counted, so codes cannot be found by trying.

New cases and additions to them count per browser and per address (`charter_site.ratelimit`:
many citizens share a Puskesmas Wi-Fi or a carrier's address), with a higher ceiling per address
from inside the network the facility's head marked as its waiting room's (`admit_post`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from charter_site.http import noindex
from charter_site.ratelimit import (
    EverydayLimit,
    admit,
    client_ip,
    gives_browser_token,
    is_limited,
    sender,
    take_slot,
    too_many_requests,
)
from charters.models import Facility
from charters.services import complaint_norms, published_services
from charters.uploads import serve_file

from .. import codes, services
from ..forms.public import FeedbackForm, InformationForm, RatingForm, TrackForm
from ..models import Case, CaseAttachment, CaseEvent, CaseStatus, EventKind, FeedbackSettings, Rating

REFERRER_POLICY = "same-origin"
SUBMIT_SCOPE = "feedback"
GUESS_SCOPE = "track-guess"
# Codes this browser received when it sent a case: looking them up is no guess.
SESSION_CODES = "feedback_codes"
SESSION_CODES_KEPT = 20

STATUS_HELP = {
    CaseStatus.RECEIVED: gettext_lazy("The facility has received your message and will look into it."),
    CaseStatus.IN_PROGRESS: gettext_lazy("Staff of the facility are working on it."),
    CaseStatus.ANSWERED: gettext_lazy(
        "The facility has answered: read the answer below. Tell the facility whether it settles the matter, "
        "or add information if something is missing."
    ),
    CaseStatus.CLOSED: gettext_lazy("The case is finished."),
    CaseStatus.REJECTED: gettext_lazy("The facility did not take up this case; the reason is given below."),
    CaseStatus.REOPENED: gettext_lazy(
        "You were not satisfied with the answer: the head of the facility is reviewing the case."
    ),
}


# --- Helpers -----------------------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """Headers for every page that carries a tracking code or what a citizen typed: not indexed,
    not kept in any cache, and the code (in the URL) never sent to other sites.

    `same-origin` rather than `no-referrer`: under `no-referrer` browsers send `Origin: null`
    with every form posted from the page, and Django's CSRF check then refuses the rating,
    the information and even the language switch with a 403.
    """
    noindex(response)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = REFERRER_POLICY
    return response


def _too_many_messages(request: HttpRequest, facility: Facility, text: str, back_url: str) -> HttpResponse:
    """Status 429, with what the citizen wrote shown back so that nothing is lost."""
    context = {"facility": facility, "text": text, "back_url": back_url}
    return _private(too_many_requests(request, "feedback/public/limit.html", context, complaint_limit().rate))


def complaint_limit() -> EverydayLimit:
    """Cases and additions to them: per browser, and per address whatever the browser."""
    return EverydayLimit.of(settings.FEEDBACK_SUBMIT_RATE, settings.FEEDBACK_ADDRESS_CEILING)


def admit_post(request: HttpRequest, facility: Facility, scope: str, limit: EverydayLimit) -> bool:
    """Count one post to `facility`'s form (`charter_site.ratelimit.admit`); False past a limit.
    From inside the network the facility's head marked as its waiting room's, the higher ceiling:
    the head vouches for that address, and a full waiting room shares it."""
    who = sender(request)
    marked = FeedbackSettings.objects.filter(facility=facility).only("waiting_room_networks").first()
    return admit(scope, who, limit, waiting_room=marked is not None and marked.is_waiting_room(who.address))


class _BlankTrackRequest:
    """The request as the templates see it on a wrong code: a visit to the empty /track/ form.

    The language switch sends the visitor back to the page's own address; on a wrong code that
    would try the code again (and count another wrong guess), and the page would echo what was
    typed. Every wrong code thus gets the very same page.
    """

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def get_full_path(self) -> str:
        return reverse("public:track")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


def _not_found(request: HttpRequest, typed: str) -> HttpResponse:
    """The one answer to every wrong code, with what was typed back in the box to correct."""
    response = render(
        request,
        "feedback/public/track.html",
        {"form": TrackForm(initial={"code": typed}), "not_found": True, "request": _BlankTrackRequest(request)},
        status=404,
    )
    return _private(response)


def _too_many_guesses(request: HttpRequest) -> HttpResponse:
    context = {"request": _BlankTrackRequest(request)}
    response = too_many_requests(request, "feedback/public/track_limit.html", context, settings.TRACKING_GUESS_RATE)
    return _private(response)


def _remember(request: HttpRequest, code: str) -> None:
    kept = [c for c in request.session.get(SESSION_CODES, []) if c != code]
    request.session[SESSION_CODES] = [*kept, code][-SESSION_CODES_KEPT:]


def _lookup(request: HttpRequest, raw_code: str) -> Case | HttpResponse:
    """The case with this code, or the answer for a wrong code (404) or for an address that
    tried too many wrong codes (429). Every wrong code counts against the address."""
    found = codes.candidates(raw_code)
    address = client_ip(request)
    limit, window = settings.TRACKING_GUESS_RATE
    # A code this browser was given when it sent the case is no guess: the citizen who mistyped
    # other codes before sending still reaches the receipt and the tracking page.
    own = bool(set(found).intersection(request.session.get(SESSION_CODES, [])))
    if not own and is_limited(GUESS_SCOPE, address, limit):
        return _too_many_guesses(request)
    case = Case.objects.select_related("facility", "service").filter(code__in=found).first() if found else None
    if case is None:
        take_slot(GUESS_SCOPE, address, limit, window)
        return _not_found(request, raw_code)
    return case


def _tracking_page(
    request: HttpRequest,
    case: Case,
    info_form: InformationForm | None = None,
    rating_form: RatingForm | None = None,
) -> HttpResponse:
    """The case as the public may see it: public events only, authored as the facility, and of
    the citizen's own files only their names. A fixed number of queries, however long the timeline."""
    shown_files = CaseAttachment.objects.filter(Q(public=True) | Q(from_citizen=True))
    events = list(case.events.filter(public=True).prefetch_related(Prefetch("attachments", queryset=shown_files)))
    for event in events:
        event.title = _event_title(event, case)
    response = render(
        request,
        "feedback/public/case.html",
        {
            "case": case,
            "facility": case.facility,
            "events": events,
            "status_help": STATUS_HELP[CaseStatus(case.status)],
            "overdue": case.is_overdue(),
            "info_form": info_form or InformationForm(),
            "rating_form": rating_form or RatingForm(),
        },
    )
    return _private(response)


def _event_rating(event: CaseEvent, case: Case) -> str:
    """The rating an event recorded. The event keeps only the comment: the rating that reopened
    the case was "not satisfied" (it shares its moment with `reopened_at`); any other is the
    case's rating."""
    if case.reopened_at is not None and event.created_at == case.reopened_at:
        return Rating.NOT_SATISFIED
    return case.rating


def _event_title(event: CaseEvent, case: Case) -> str:
    if event.kind == EventKind.RECEIVED:
        return _("Received (%(channel)s)") % {"channel": case.get_channel_display()}
    if event.kind == EventKind.STATUS:
        if event.to_status == CaseStatus.REOPENED:
            return _("Sent back for review by the head of the facility")
        if event.to_status == CaseStatus.IN_PROGRESS and event.by_citizen:
            return _("Back with the facility, with your new information")
        return _("Status: %(status)s") % {"status": CaseStatus(event.to_status).label}
    if event.kind == EventKind.REPLY:
        return _("Answer from %(facility)s") % {"facility": case.facility.name}
    if event.kind == EventKind.INFORMATION:
        return _("You added information")
    if event.kind == EventKind.RATED:
        rating = _event_rating(event, case)
        label = Rating(rating).label if rating else "-"
        return _("You rated the answer: %(rating)s") % {"rating": label}
    if event.kind == EventKind.ATTACHMENT:
        return _("%(facility)s added a file") % {"facility": case.facility.name}
    return str(event.get_kind_display())


# --- Sending a case ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@gives_browser_token  # the form page (never cached: it holds a CSRF token) and every answer to a post
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility, slug=slug)
    offered = published_services(facility)
    context: dict[str, Any] = {
        "facility": facility,
        "norms": complaint_norms(facility),
    }
    if request.method != "POST":
        wanted = request.GET.get("service", "")
        initial = {"service": wanted} if any(service.slug == wanted for service in offered) else {}
        context["form"] = FeedbackForm(services=offered, initial=initial)
        return render(request, "feedback/public/form.html", context)

    form = FeedbackForm(request.POST, request.FILES, services=offered)
    if not form.is_valid():
        context["form"] = form
        return _private(render(request, "feedback/public/form.html", context))
    data = form.cleaned_data
    if not admit_post(request, facility, SUBMIT_SCOPE, complaint_limit()):
        back_url = reverse("public:feedback", args=[facility.slug])
        if data["service"] is not None:
            back_url += f"?service={data['service'].slug}"
        return _too_many_messages(request, facility, data["description"], back_url)
    if form.is_spam:
        # Nothing is saved; the robot learns nothing from the answer.
        return _private(render(request, "feedback/public/thanks.html", {"facility": facility}))
    case = services.submit_case(
        facility,
        kind=data["kind"],
        description=data["description"],
        service=data["service"],
        occurred_on=data["occurred_on"],
        anonymous=data["anonymous"],
        name=data["name"],
        phone=data["phone"],
        email=data["email"],
        attachment=data["attachment"],
        submission_key=data["submission"],
    )
    _remember(request, case.code)
    return redirect("public:track_receipt", case.code)


# --- Following a case --------------------------------------------------------------------------


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    """The form to type a code; `?code=` (the form's GET) opens the case."""
    if "code" not in request.GET:
        return render(request, "feedback/public/track.html", {"form": TrackForm()})
    form = TrackForm(request.GET)
    if not request.GET["code"].strip():
        form.is_valid()  # shows "type the code" next to the empty field
        return _private(render(request, "feedback/public/track.html", {"form": form}))
    found = _lookup(request, request.GET["code"][:100])
    if not isinstance(found, Case):
        return found
    return _private(redirect(found.get_tracking_url()))


@require_safe
@gives_browser_token  # its "add information" form posts under the everyday limits
def track_case(request: HttpRequest, code: str) -> HttpResponse:
    found = _lookup(request, code)
    if not isinstance(found, Case):
        return found
    if found.code != code:
        return _private(redirect(found.get_tracking_url()))
    return _tracking_page(request, found)


@require_safe
def track_receipt(request: HttpRequest, code: str) -> HttpResponse:
    """What was received, the deadline and how to follow the case; the page to screenshot."""
    found = _lookup(request, code)
    if not isinstance(found, Case):
        return found
    if found.code != code:
        return _private(redirect("public:track_receipt", found.code))
    norm = services.norms_for(found).working_days_for(found.complaint_class)
    response = render(
        request,
        "feedback/public/receipt.html",
        {
            "case": found,
            "facility": found.facility,
            "norm_days": norm,
            "file_names": list(found.attachments.filter(from_citizen=True).values_list("original_name", flat=True)),
        },
    )
    return _private(response)


@require_POST
@gives_browser_token
def track_information(request: HttpRequest, code: str) -> HttpResponse:
    found = _lookup(request, code)
    if not isinstance(found, Case):
        return found
    case = found
    form = InformationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _tracking_page(request, case, info_form=form)
    if not admit_post(request, case.facility, SUBMIT_SCOPE, complaint_limit()):
        return _too_many_messages(request, case.facility, form.cleaned_data["text"], case.get_tracking_url())
    try:
        services.add_information(case, form.cleaned_data["text"], form.cleaned_data["attachment"])
    except ValidationError as exc:  # e.g. the case was closed while the citizen typed
        messages.error(request, " ".join(exc.messages))
        case.refresh_from_db()
        return _tracking_page(request, case, info_form=form)
    messages.success(request, _("Thank you: your information was added to the case and the facility was told."))
    return _private(redirect(case.get_tracking_url()))


@require_POST
def track_rating(request: HttpRequest, code: str) -> HttpResponse:
    found = _lookup(request, code)
    if not isinstance(found, Case):
        return found
    case = found
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _tracking_page(request, case, rating_form=form)
    try:
        case = services.rate_answer(case, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except ValidationError as exc:  # e.g. rated twice from two tabs
        messages.error(request, " ".join(exc.messages))
        case.refresh_from_db()
        return _tracking_page(request, case, rating_form=form)
    if case.is_reopened:
        messages.success(request, _("Thank you. The case goes back to the head of the facility for review."))
    else:
        messages.success(request, _("Thank you for rating the answer. The case is closed."))
    return _private(redirect(case.get_tracking_url()))


@require_safe
def track_file(request: HttpRequest, code: str, attachment_id: int) -> HttpResponse:
    """A file the facility published with its answer. The citizen's own files are never served
    here: they may carry personal data, and anyone with the code may open this page."""
    found = _lookup(request, code)
    if not isinstance(found, Case):
        return found
    attachment = get_object_or_404(found.attachments.filter(public=True), pk=attachment_id)
    response = serve_file(attachment.file, attachment.content_type, attachment.original_name)
    noindex(response)
    response["Referrer-Policy"] = REFERRER_POLICY
    return response
