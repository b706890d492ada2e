"""Cases: what citizens tell a facility (complaints, suggestions, compliments, questions).

A case is followed by its tracking code; everything that happens to it is a `CaseEvent`,
public (the citizen sees it on the tracking page) or internal (staff only). The deadline
for an answer is counted in working days from the facility's time norms
(`FeedbackSettings`), skipping weekends, national holidays and the facility's own days off.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case as SqlCase, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charter_site import ratelimit
from charters.models import ComplaintClass, Facility, ServiceStandard

from .. import waiting_room


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLIMENT = "compliment", _("Compliment")
    QUESTION = "question", _("Question")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    REOPENED = "reopened", _("Reopened")


# Waiting for the facility: these count against the deadline.
OPEN_CASE_STATUSES = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED)
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.REJECTED)


# The inbox's "status" order puts what waits for the facility first, rather than the alphabet. It is
# defined here, beside the index that serves it: the index matches the query only if its
# expression is the same, to the letter.
STATUS_SEQUENCE = (
    CaseStatus.REOPENED,
    CaseStatus.RECEIVED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.ANSWERED,
    CaseStatus.CLOSED,
    CaseStatus.REJECTED,
)
STATUS_ORDER = SqlCase(
    *(When(status=status, then=Value(position)) for position, status in enumerate(STATUS_SEQUENCE)),
    output_field=IntegerField(),
)


# The class a new case starts in, until staff verify it.
DEFAULT_CLASS_FOR_KIND = {
    FeedbackKind.COMPLAINT: ComplaintClass.NORMATIVE,
    FeedbackKind.SUGGESTION: ComplaintClass.NORMATIVE,
    FeedbackKind.COMPLIMENT: ComplaintClass.LIGHT,
    FeedbackKind.QUESTION: ComplaintClass.LIGHT,
}


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp or SMS")
    WALK_IN = "walk_in", _("In person")
    BOX = "box", _("Complaints box")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social media")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    OTHER = "other", _("Other")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


prefix_validator = RegexValidator(r"^[A-Z]{3}$", _("Use exactly three capital letters, e.g. SKO."))


def default_prefix(facility: Facility) -> str:
    """Three letters from the facility's name: 'Puskesmas Soko' → 'SKO', 'Puskesmas Rengel' → 'RNG'.

    The first letter of the last word, then its consonants, then its vowels.
    """
    words = re.findall(r"[A-Za-z]+", facility.name) or re.findall(r"[A-Za-z]+", facility.slug) or ["MKL"]
    word = words[-1].upper()
    consonants = [c for c in word[1:] if c not in "AEIOU"]
    vowels = [c for c in word[1:] if c in "AEIOU"]
    return (word[0] + "".join(consonants) + "".join(vowels) + "XXX")[:3]


class FeedbackSettings(models.Model):
    """How a facility runs its feedback: its tracking code prefix, its working week, the survey's
    device rule, its waiting room's network. (The complaint time norms are the charter's:
    `Charter.complaint_norms`.)"""

    facility = models.OneToOneField(
        Facility, on_delete=models.CASCADE, related_name="feedback_settings", verbose_name=_("facility")
    )
    code_prefix = models.CharField(
        _("tracking code prefix"),
        max_length=3,
        validators=[prefix_validator],
        help_text=_("Three capital letters at the start of every tracking code, e.g. SKO-7F3K-9QH2."),
    )
    saturday_is_working_day = models.BooleanField(
        _("Saturday is a working day"),
        default=False,
        help_text=_(
            "Turn it on if the facility serves on Saturdays: deadlines then count Saturdays as working days. "
            "A holiday or cuti bersama on a Saturday still does not count."
        ),
    )
    survey_once_per_device = models.BooleanField(
        _("one survey answer per device, day and service"),
        default=True,
        help_text=_(
            "Refuses a second answer from the same phone or browser for the same service on the same day. "
            "Turn it off for a tablet that visitors share at the facility."
        ),
    )
    waiting_room_networks = models.TextField(
        _("waiting-room network"),
        blank=True,
        validators=[waiting_room.validate_networks],
        help_text=_(
            "The facility's own public Internet address, one per line: an address such as 36.90.12.7, or a "
            "network such as 36.90.12.0/28 or 2001:db8:12:3400::/56 (with IPv6, enter the network: each phone "
            "has its own address in it). Leave it empty if visitors have no Wi-Fi of the facility."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("feedback settings")
        verbose_name_plural = _("feedback settings")

    def __str__(self) -> str:
        return str(self.facility)

    def is_waiting_room(self, address: str) -> bool:
        """Whether `address` is inside the network the head marked as the waiting room's: the
        facility's own survey and complaint form then allow more posts from it
        (`charter_site.ratelimit`, `WAITING_ROOM_CEILING`)."""
        try:
            networks = waiting_room.parse_networks(self.waiting_room_networks)
        except ValidationError:  # written past the validators (a shell, raw SQL): the usual ceiling
            return False
        return ratelimit.in_networks(address, networks)

    @classmethod
    def for_facility(cls, facility: Facility) -> FeedbackSettings:
        found = cls.objects.filter(facility=facility).first()
        if found is not None:
            return found
        found, _created = cls.objects.get_or_create(
            facility=facility, defaults={"code_prefix": default_prefix(facility)}
        )
        return found


class FacilityHoliday(models.Model):
    """A day the facility does not count as a working day besides weekends and national holidays
    (e.g. cuti bersama, a regional holiday)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("facility")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("facility holiday")
        verbose_name_plural = _("facility holidays")
        constraints = [models.UniqueConstraint(fields=["facility", "date"], name="unique_facility_holiday")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class CaseQuerySet(models.QuerySet["Case"]):
    def received_between(self, start: datetime.date, end: datetime.date) -> CaseQuerySet:
        """Cases received on a local day from `start` to `end`, both days included."""
        tz = timezone.get_current_timezone()
        since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return self.filter(received_at__gte=since, received_at__lt=until)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_CASE_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> CaseQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_by(self, day: datetime.date, today: datetime.date | None = None) -> CaseQuerySet:
        """Open cases not yet overdue whose deadline falls on or before `day`."""
        return self.open().filter(due_date__gte=today or timezone.localdate(), due_date__lte=day)


class Case(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="cases", verbose_name=_("facility"))
    code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.COMPLAINT)
    complaint_class = models.CharField(
        _("class"),
        max_length=20,
        choices=ComplaintClass.choices,
        default=ComplaintClass.NORMATIVE,
        help_text=_("Sets the deadline, from the facility's time norms."),
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    service = models.ForeignKey(
        ServiceStandard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("service"),
    )
    description = models.TextField(_("what happened"), max_length=4000)
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="id",
        help_text=_("For e-mails to the citizen."),
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # The random key of the form the citizen sent (charter_site.forms.SubmissionKeyMixin): the same
    # form sent again after a lost answer finds this case instead of storing a second one.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    due_date = models.DateField(_("answer due"))
    first_reply_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    rating = models.CharField(_("citizen's rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # One index per order of the inbox, each ending in the order's tie-breaker, so that a page is
        # read from the index in order (no sort of the facility's cases) and a late page's ids come
        # from the index alone (see docs/performance.md). The trigram indexes of the inbox's search
        # are PostgreSQL's only: the migration case_inbox_indexes creates them outside this list.
        indexes = [
            # Open and overdue cases, the status counts, the "status" filter.
            models.Index(fields=["facility", "status", "due_date"], name="case_facility_status_due"),
            # One status, newest first: a late page of the closed cases from the index alone.
            models.Index(fields=["facility", "status", "received_at", "id"], name="case_facility_status_received"),
            # Newest first (scanned backward) and oldest first; the figures' period.
            models.Index(fields=["facility", "received_at", "id"], name="case_facility_received_id"),
            # Due date, earliest first.
            models.Index(fields=["facility", "due_date", "-received_at", "-id"], name="case_facility_due_received"),
            # By status, what waits for the facility first.
            models.Index(F("facility"), STATUS_ORDER, F("due_date"), F("id").desc(), name="case_facility_status_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "submission_key"], condition=~Q(submission_key=""), name="case_one_per_submission"
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(name="", phone="", email=""),
                name="case_anonymous_without_contact",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.REJECTED) | ~Q(rejection_reason=""),
                name="case_rejected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("manage:case", args=[self.facility.slug, self.code])

    def get_tracking_url(self) -> str:
        return reverse("public:track_case", args=[self.code])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_answered(self) -> bool:
        """Answered and waiting for the citizen's rating or more information."""
        return self.status == CaseStatus.ANSWERED

    @property
    def is_reopened(self) -> bool:
        """Sent back by a citizen not satisfied with the answer, for the head's review."""
        return self.status == CaseStatus.REOPENED

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    @property
    def can_be_rated(self) -> bool:
        return (
            self.status in (CaseStatus.ANSWERED, CaseStatus.CLOSED)
            and not self.rating
            and self.first_reply_at is not None
        )

    @property
    def can_take_information(self) -> bool:
        """The citizen may add to a case that is not finished."""
        return not self.is_finished

    @property
    def answered_within_norm(self) -> bool | None:
        """True or False once answered; None while waiting."""
        if self.first_reply_at is None:
            return None
        return timezone.localdate(self.first_reply_at) <= self.due_date

    @property
    def contact_display(self) -> str:
        return ", ".join(p for p in (self.name, self.phone, self.email) if p)

    @property
    def tel_url(self) -> str:
        """A tel: link that dials the phone as the citizen wrote it (0812…, +62 812…)."""
        digits = re.sub(r"\D", "", self.phone)
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}" if digits else ""

    @property
    def whatsapp_url(self) -> str:
        """A https://wa.me/ chat with the citizen when the phone is an Indonesian mobile number
        (08…, 628…, +62 8…), the numbers WhatsApp runs on; "" for a landline or a number abroad."""
        digits = re.sub(r"\D", "", self.phone)
        number = "62" + digits[1:] if digits.startswith("08") else digits
        return f"https://wa.me/{number}" if re.fullmatch(r"628\d{7,11}", number) else ""


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    STATUS = "status", _("Status changed")
    REPLY = "reply", _("Answer")
    NOTE = "note", _("Internal note")
    INFORMATION = "information", _("More information from the citizen")
    ASSIGNED = "assigned", _("Assigned")
    RECLASSIFIED = "reclassified", _("Category changed")
    ATTACHMENT = "attachment", _("File attached")
    RATED = "rated", _("Rated by the citizen")
    EMAIL_FAILED = "email_failed", _("E-mail to the citizen not delivered")


class CaseEvent(models.Model):
    """One line of a case's timeline. `public` events are shown on the tracking page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    public = models.BooleanField(_("shown to the citizen"), default=False)
    by_citizen = models.BooleanField(_("from the citizen"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=4000, blank=True)
    from_status = models.CharField(_("from status"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=CaseStatus.choices, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_case_created")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"

    @property
    def is_reply(self) -> bool:
        return self.kind == EventKind.REPLY

    @property
    def is_rating(self) -> bool:
        return self.kind == EventKind.RATED

    @property
    def shows_status_change(self) -> bool:
        """The timeline shows "from → to" for a status change, not for the receipt: its title says it all."""
        return bool(self.to_status) and self.kind != EventKind.RECEIVED


def case_attachment_path(instance: Any, filename: str) -> str:
    # Outside any public URL: only the staff view (and, for public files, the tracking page) serves these.
    return f"private/cases/{instance.case.facility_id}/{instance.case_id}/{filename}"


class CaseAttachment(models.Model):
    """A photo or document (PDF, JPEG or PNG, at most 5 MB) sent by the citizen or added by staff.

    Files from citizens are shown to staff only (they may carry personal data); staff files
    are public when they belong to a public answer.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case"))
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("event"),
    )
    file = models.FileField(_("file"), upload_to=case_attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    public = models.BooleanField(_("shown to the citizen"), default=False)
    from_citizen = models.BooleanField(_("from the citizen"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")

    def __str__(self) -> str:
        return self.original_name
