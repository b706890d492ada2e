"""The satisfaction survey (SKM, PermenPANRB 14/2017): responses, survey periods with the
population served, and the follow-up actions on weak elements.

A response holds one score (1–4) per element in the columns `u1`…`u9`, named after the
element codes of `feedback.survey.ikm.ELEMENTS`; an element a paper respondent skipped is empty and
does not count in that element's NRR.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from charters.models import Facility, ServiceStandard

from ..survey import days
from ..survey.ikm import ELEMENTS, ELEMENTS_BY_CODE, SCALE_MAX, SCALE_MIN

# Dates people mean: a typo such as 0202 or 9999 would otherwise reach date arithmetic (a
# period's previous period, its months) and fail there.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def plausible_date(value: datetime.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )


class AgeGroup(models.TextChoices):
    UNDER_20 = "under_20", _("Under 20")
    FROM_20 = "20_29", _("20–29")
    FROM_30 = "30_39", _("30–39")
    FROM_40 = "40_49", _("40–49")
    FROM_50 = "50_59", _("50–59")
    FROM_60 = "60_plus", _("60 or older")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school (SD)")
    JUNIOR = "junior", _("Junior high school (SMP)")
    SENIOR = "senior", _("Senior high school (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D3)")
    BACHELOR = "bachelor", _("Bachelor's degree (S1/D4)")
    POSTGRADUATE = "postgraduate", _("Master's or doctorate (S2/S3)")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant, TNI or Polri")
    PRIVATE = "private", _("Private employee")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FARMER = "farmer", _("Farmer or fisher")
    LABOURER = "labourer", _("Labourer")
    STUDENT = "student", _("Student")
    HOMEMAKER = "homemaker", _("Homemaker")
    RETIRED = "retired", _("Retired")
    NOT_WORKING = "not_working", _("Not working")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


# The profile questions, in the questionnaire's order: (field, choices).
PROFILE_FIELDS: tuple[tuple[str, type[models.TextChoices]], ...] = (
    ("age_group", AgeGroup),
    ("sex", Sex),
    ("education", Education),
    ("occupation", Occupation),
)


class ResponseChannel(models.TextChoices):
    WEB = "web", _("Online")
    PAPER = "paper", _("Paper questionnaire, entered by staff")
    IMPORT = "import", _("Paper questionnaires, imported from a file")


def _score_field(code: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        format_lazy("{} {}", code, ELEMENTS_BY_CODE[code].name),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )


class SurveyResponseQuerySet(models.QuerySet["SurveyResponse"]):
    def visited_between(self, start: datetime.date, end: datetime.date) -> SurveyResponseQuerySet:
        """Responses about visits from `start` to `end`, both days included."""
        return self.filter(visited_on__gte=start, visited_on__lte=end)

    def for_service(self, slug: str) -> SurveyResponseQuerySet:
        """Responses about a service, in whichever charter version it was answered."""
        return self.filter(service__slug=slug)

    # Every write keeps the daily aggregates (`SurveyDay`) exact, in the same transaction.

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[SurveyResponse]:
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ValueError("responses skipped or merged on conflict would not be counted exactly")
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            days.add(days.tally(created))
        return created

    def _locked_rows(self) -> list[dict[str, Any]]:
        """The rows about to change, locked: a second deletion of the same rows, at the same
        moment, waits and then finds nothing to subtract."""
        return list(self.order_by().select_for_update(of=("self",)).values("pk", *days.ROW_FIELDS))

    def delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=self.db, savepoint=False):
            rows = self._locked_rows()
            # Exactly the rows counted, even if a matching response arrived meanwhile.
            result = _plain(self.model).filter(pk__in=[row["pk"] for row in rows]).delete()
            days.add(days.tally(rows, sign=-1))
        return result

    def update(self, **kwargs: Any) -> int:
        if not days.TRACKED.intersection(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            rows = self._locked_rows()
            changed = _plain(self.model).filter(pk__in=[row["pk"] for row in rows])
            count = changed.update(**kwargs)
            counts = days.tally(rows, sign=-1)
            days.add(days.tally(changed.values(*days.ROW_FIELDS), into=counts))
        return count


def _plain(model: type[models.Model]) -> models.QuerySet[Any]:
    """The model's rows through the plain queryset, that does not touch the aggregates."""
    return models.QuerySet(model)


class SurveyResponse(models.Model):
    """One respondent's questionnaire."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("facility")
    )
    service = models.ForeignKey(
        ServiceStandard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("service used"),
    )
    visited_on = models.DateField(_("date of the visit"))
    u1 = _score_field("U1")
    u2 = _score_field("U2")
    u3 = _score_field("U3")
    u4 = _score_field("U4")
    u5 = _score_field("U5")
    u6 = _score_field("U6")
    u7 = _score_field("U7")
    u8 = _score_field("U8")
    u9 = _score_field("U9")
    age_group = models.CharField(_("age"), max_length=20, choices=AgeGroup.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=20, choices=Sex.choices, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=ResponseChannel.choices, default=ResponseChannel.WEB
    )
    # A hash of the answering browser's random cookie, for "one answer per device per day
    # and service"; it identifies no person. Empty for paper questionnaires.
    device = models.CharField(_("device"), max_length=64, blank=True, editable=False)
    # While the facility allows one answer per device: the device, the day and the service's web
    # address name. Unique, so that answers sent at the same moment from
    # one browser, by any server process, store one.
    device_answer = models.CharField(max_length=200, blank=True, editable=False)
    # The random key of the questionnaire sent (charter_site.forms.SubmissionKeyMixin): sent again
    # after a lost answer, it finds this response instead of storing a second one.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [
            models.Index(fields=["facility", "visited_on"], name="skm_facility_visited"),
            models.Index(fields=["facility", "device", "submitted_at"], name="skm_facility_device"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["device_answer"], condition=~Q(device_answer=""), name="skm_one_answer_per_device"
            ),
            models.UniqueConstraint(
                fields=["facility", "submission_key"], condition=~Q(submission_key=""), name="skm_one_per_submission"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{element.field}__isnull": True})
                    | Q(**{f"{element.field}__gte": SCALE_MIN, f"{element.field}__lte": SCALE_MAX}),
                    name=f"skm_{element.field}_on_the_scale",
                )
                for element in ELEMENTS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.visited_on:%Y-%m-%d} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved with the daily aggregates changed in the same transaction (`SurveyDay`)."""
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            if self._state.adding:
                super().save(*args, **kwargs)
                days.add(days.tally([self]))
                return
            stored = SurveyResponse.objects.filter(pk=self.pk)
            counts = days.tally(stored._locked_rows(), sign=-1)
            super().save(*args, **kwargs)
            days.add(days.tally(stored.values(*days.ROW_FIELDS), into=counts))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            rows = SurveyResponse.objects.filter(pk=self.pk)._locked_rows()
            result = super().delete(*args, **kwargs)
            days.add(days.tally(rows, sign=-1))
        return result

    def scores(self) -> list[tuple[Any, int | None]]:
        """(element, score) in the elements' order."""
        return [(element, getattr(self, element.field)) for element in ELEMENTS]


# Plain integers: a CHECK (>= 0) would be tested on the negative change a deletion proposes to
# `INSERT … ON CONFLICT DO UPDATE`, before the conflict turns it into an update.
def _answered_field(code: str) -> models.IntegerField:
    return models.IntegerField(format_lazy("{} {}", code, _("answers")), default=0)


def _total_field(code: str) -> models.IntegerField:
    return models.IntegerField(format_lazy("{} {}", code, _("sum of scores")), default=0)


class SurveyDayQuerySet(models.QuerySet["SurveyDay"]):
    def visited_between(self, start: datetime.date, end: datetime.date) -> SurveyDayQuerySet:
        return self.filter(visited_on__gte=start, visited_on__lte=end)

    def for_service(self, slug: str) -> SurveyDayQuerySet:
        return self.filter(service__slug=slug)


class SurveyDay(models.Model):
    """The responses of one facility about one service (or none) on one day of visit, added up:
    the respondents, and each element's number of answers and sum of scores. Exact, kept in the
    same transaction as every write of responses (`feedback.survey.days`); the public results
    read these instead of the responses.

    `service` is kept when a service is deleted (its responses then lose their service): a
    service that no longer exists matches no service filter and counts with "no service", as
    those responses do, so the figures stay the same; `rebuild_survey_days` tidies it."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="survey_days", verbose_name=_("facility")
    )
    service = models.ForeignKey(
        ServiceStandard,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service used"),
    )
    visited_on = models.DateField(_("date of the visit"))
    respondents = models.IntegerField(_("respondents"), default=0)
    u1_answered = _answered_field("U1")
    u1_total = _total_field("U1")
    u2_answered = _answered_field("U2")
    u2_total = _total_field("U2")
    u3_answered = _answered_field("U3")
    u3_total = _total_field("U3")
    u4_answered = _answered_field("U4")
    u4_total = _total_field("U4")
    u5_answered = _answered_field("U5")
    u5_total = _total_field("U5")
    u6_answered = _answered_field("U6")
    u6_total = _total_field("U6")
    u7_answered = _answered_field("U7")
    u7_total = _total_field("U7")
    u8_answered = _answered_field("U8")
    u8_total = _total_field("U8")
    u9_answered = _answered_field("U9")
    u9_total = _total_field("U9")

    objects = SurveyDayQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "facility_id", "service_id"]
        verbose_name = _("survey day")
        verbose_name_plural = _("survey days")
        # A facility's days in a period, whatever the service (the unique key leads with the service).
        indexes = [models.Index(fields=["facility", "visited_on"], name="skm_day_facility_visited")]
        constraints = [
            # The keys `INSERT … ON CONFLICT` adds to: with a service, and without one.
            models.UniqueConstraint(fields=["facility", "service", "visited_on"], name="skm_day_unique"),
            models.UniqueConstraint(
                fields=["facility", "visited_on"], condition=Q(service__isnull=True), name="skm_day_unique_no_service"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.service_id or '-'} {self.visited_on:%Y-%m-%d}: {self.respondents}"


class SurveyPeriod(models.Model):
    """A survey period (e.g. a semester) and how many people the facility served in it: the
    population from which Krejcie & Morgan's table gives the sample the survey needs."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="survey_periods", verbose_name=_("facility")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("E.g. “Semester I 2026”."))
    start = models.DateField(_("first day"), validators=[plausible_date])
    end = models.DateField(_("last day"), validators=[plausible_date])
    population = models.PositiveIntegerField(
        _("people served"),
        validators=[MinValueValidator(1)],
        help_text=_("How many service users the facility served in the period (e.g. from the registration records)."),
    )

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("survey period")
        verbose_name_plural = _("survey periods")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="skm_period_ends_after_start"),
            models.UniqueConstraint(fields=["facility", "start", "end"], name="skm_period_unique_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class SurveyAction(models.Model):
    """What the facility does about a weak element: the follow-up the next evaluation reads."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="survey_actions", verbose_name=_("facility")
    )
    element = models.CharField(
        _("element"),
        max_length=3,
        choices=[(element.code, format_lazy("{} {}", element.code, element.name)) for element in ELEMENTS],
    )
    finding_start = models.DateField(_("evaluated period from"))
    finding_end = models.DateField(_("evaluated period to"))
    finding_nrr = models.DecimalField(
        _("NRR found"), max_digits=4, decimal_places=2, null=True, blank=True, help_text=_("On the 1–4 scale.")
    )
    action = models.TextField(_("what will be done"), max_length=1000)
    responsible = models.CharField(_("who is responsible"), max_length=120)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("what was done"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["done_on", "due_date", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(condition=Q(finding_end__gte=F("finding_start")), name="skm_action_period"),
        ]

    def __str__(self) -> str:
        return f"{self.element}: {self.action[:60]}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return not self.is_done and self.due_date < (today or timezone.localdate())
