"""Evaluation rounds: the facility, its facilitator and the forum's three groups check, service by
service, whether the charter in force keeps its promises, and decide what follows (actions with an
owner and a date, or a revision of the charter).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy as _

from charters.models import Charter, Facility, ParticipantGroup, ServiceStandard


class EvaluationMethod(models.TextChoices):
    FORUM = "forum", _("Forum discussion with users and stakeholders")
    OBSERVATION = "observation", _("Observing waiting and service times")
    EXIT_INTERVIEW = "exit_interview", _("Exit interviews")
    RECORDS = "records", _("Complaint record and satisfaction survey")
    MIXED = "mixed", _("Several of these")


class EvaluationRoundQuerySet(models.QuerySet):
    def before(self, evaluation: EvaluationRound) -> EvaluationRoundQuerySet:
        """The facility's rounds that ended before `evaluation` (ties: recorded earlier)."""
        return self.filter(facility_id=evaluation.facility_id).filter(
            Q(ended_on__lt=evaluation.ended_on) | Q(ended_on=evaluation.ended_on, pk__lt=evaluation.pk or 0)
        )


class EvaluationRound(models.Model):
    """One monitoring and evaluation round of a charter version."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="evaluation_rounds", verbose_name=_("facility")
    )
    # The version evaluated: the one in force when the round was held.
    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="evaluation_rounds", verbose_name=_("charter version")
    )
    started_on = models.DateField(_("held from"))
    ended_on = models.DateField(_("held until"))
    period_start = models.DateField(_("period covered from"))
    period_end = models.DateField(_("period covered until"))
    facilitator = models.CharField(_("facilitator"), max_length=150, blank=True)
    organisation = models.CharField(_("facilitator's organisation"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=EvaluationMethod.choices)
    method_note = models.TextField(
        _("how the evidence was gathered"),
        max_length=2000,
        blank=True,
        help_text=_("For example: two weeks of observation at the registration desk, 60 exit interviews."),
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    public_summary = models.TextField(
        _("summary for citizens"),
        max_length=2000,
        help_text=_("Shown on the public charter: what the round found and what follows, in plain words."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    objects = EvaluationRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-ended_on", "-id"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        indexes = [models.Index(fields=["facility", "ended_on"], name="evaluation_facility_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=models.F("started_on")),
                name="evaluation_held_in_order",
                violation_error_message=_("The round cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="evaluation_period_in_order",
                violation_error_message=_("The period covered cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Evaluation of %(start)s–%(end)s") % {"start": self.started_on, "end": self.ended_on}

    @property
    def title(self) -> str:
        """ "Evaluation round of 3–7 August 2015", for headings and the revision's reasons."""
        if self.started_on == self.ended_on:
            held = date_format(self.ended_on, "j F Y")
        else:
            held = f"{date_format(self.started_on, 'j F Y')} – {date_format(self.ended_on, 'j F Y')}"
        return gettext("Evaluation round of %(held)s") % {"held": held}


class EvaluationParticipant(models.Model):
    """Who took part, in the forum's three groups (providers, users, other stakeholders)."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="participants", verbose_name=_("evaluation round")
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=20, choices=ParticipantGroup.choices)
    position = models.CharField(_("job or role"), max_length=150, blank=True)

    class Meta:
        ordering = ["group", "name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name


class FindingResult(models.TextChoices):
    KEPT = "kept", _("Promise kept")
    PARTLY = "partly", _("Partly kept")
    NOT_KEPT = "not_kept", _("Not kept")


class EvaluationFinding(models.Model):
    """What the round found for one service of the evaluated version."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="findings", verbose_name=_("evaluation round")
    )
    service = models.ForeignKey(
        ServiceStandard, on_delete=models.PROTECT, related_name="evaluation_findings", verbose_name=_("service")
    )
    result = models.CharField(_("finding"), max_length=10, choices=FindingResult.choices)
    evidence = models.TextField(
        _("evidence"),
        max_length=3000,
        blank=True,
        help_text=_("Filled in from the period's figures; correct or complete it."),
    )
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    # The revision started to answer it (None: none, or the draft was discarded).
    revision = models.ForeignKey(
        Charter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_findings",
        verbose_name=_("revision"),
    )

    class Meta:
        ordering = ["service__position", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [models.UniqueConstraint(fields=["round", "service"], name="one_finding_per_service")]

    def __str__(self) -> str:
        return f"{self.service.name}: {self.get_result_display()}"

    @property
    def is_kept(self) -> bool:
        return self.result == FindingResult.KEPT

    @property
    def is_not_kept(self) -> bool:
        return self.result == FindingResult.NOT_KEPT


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


class FollowUpActionQuerySet(models.QuerySet):
    def still_open(self) -> FollowUpActionQuerySet:
        return self.filter(status__in=sorted(OPEN_ACTION_STATUSES))


class FollowUpAction(models.Model):
    """What the facility will do about a finding (or the round as a whole): what, who, by when."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="actions", verbose_name=_("evaluation round")
    )
    finding = models.ForeignKey(
        EvaluationFinding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("finding"),
    )
    what = models.TextField(_("what will be done"), max_length=1000)
    who = models.CharField(_("who is responsible"), max_length=120)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("what was done"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | ~Q(status="done"),
                name="evaluation_action_done_has_day",
                violation_error_message=_("Say on which day the action was done."),
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    def is_late(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())
