"""Charter versions, their history, and the rows that freeze with them."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from simple_history.models import HistoricalRecords

from .base import (
    DEFAULT_PLEDGE,
    EDITABLE_STATUSES,
    OPEN_CHARTER_STATUSES,
    AgreementDecision,
    CharterStatus,
    ClauseKind,
    ClauseParty,
    ComplaintNorms,
    ImmutableCharterError,
    ParticipantGroup,
)
from .facility import Facility


class DraftOnlyQuerySet(models.QuerySet):
    """Bulk writes are refused when they would touch a charter that is no longer a draft,
    as single saves are. The model names the path to its charter's status in `status_lookup`."""

    def _refuse_frozen(self) -> None:
        if self.exclude(**{f"{self.model.status_lookup}__in": EDITABLE_STATUSES}).exists():
            raise ImmutableCharterError()

    def update(self, **kwargs: Any) -> int:
        self._refuse_frozen()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_frozen()
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for charter in {obj.get_charter().pk: obj.get_charter() for obj in objs}.values():
            charter.assert_editable()
        return super().bulk_create(objs, *args, **kwargs)


class Charter(models.Model):
    """One version of a facility's citizen charter (maklumat pelayanan)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="charters", verbose_name=_("facility")
    )
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=20, choices=CharterStatus.choices, default=CharterStatus.DRAFT)
    pledge = models.TextField(
        _("pledge (maklumat)"),
        default=DEFAULT_PLEDGE,
        help_text=_("The promise signed by the head and displayed at the service office."),
    )
    complaint_info = models.TextField(
        _("how to complain"),
        blank=True,
        help_text=_("Where and how users can complain, suggest or give input: box, phone, WhatsApp, desk, time norms."),
    )
    # Component 6's time norms per class of case, in working days: while this version is in
    # force they are the deadlines of the complaints the facility receives.
    light_days = models.PositiveSmallIntegerField(
        _("light complaints"),
        default=ComplaintNorms.light_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Working days."),
    )
    normative_days = models.PositiveSmallIntegerField(
        _("normative complaints"),
        default=ComplaintNorms.normative_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Working days."),
    )
    simple_days = models.PositiveSmallIntegerField(
        _("complaints needing no investigation"),
        default=ComplaintNorms.simple_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Working days."),
    )
    investigative_days = models.PositiveSmallIntegerField(
        _("complaints needing investigation"),
        default=ComplaintNorms.investigative_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Working days."),
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    review_due_date = models.DateField(
        _("review due"), null=True, blank=True, help_text=_("Service standards are reviewed at least once a year.")
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("published by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    status_lookup = "status"

    objects = DraftOnlyQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["facility_id", "-version"]
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        constraints = [
            models.UniqueConstraint(fields=["facility", "version"], name="unique_charter_version"),
            models.UniqueConstraint(
                fields=["facility"],
                condition=Q(status=CharterStatus.PUBLISHED),
                name="one_published_charter_per_facility",
                violation_error_message=_("This facility already has a published charter."),
            ),
            models.UniqueConstraint(
                fields=["facility"],
                condition=Q(status__in=sorted(OPEN_CHARTER_STATUSES)),
                name="one_open_charter_per_facility",
                violation_error_message=_("This facility already has a version in progress."),
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="charter_version_positive"),
            models.CheckConstraint(
                condition=Q(review_due_date__isnull=True)
                | Q(effective_date__isnull=True)
                | Q(review_due_date__gt=models.F("effective_date")),
                name="charter_review_after_effective",
                violation_error_message=_("The review date must be after the effective date."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(facility)s, version %(version)s") % {"facility": self.facility, "version": self.version}

    # The steps shown to staff, in order.
    LIFECYCLE_STEPS = (
        (CharterStatus.DRAFT, CharterStatus.DRAFT.label),
        (CharterStatus.CONSULTATION, CharterStatus.CONSULTATION.label),
        (CharterStatus.AGREED, CharterStatus.AGREED.label),
        (CharterStatus.APPROVED, CharterStatus.APPROVED.label),
        (CharterStatus.PUBLISHED, CharterStatus.PUBLISHED.label),
    )

    def get_charter(self) -> Charter:
        return self

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CHARTER_STATUSES

    @property
    def complaint_norms(self) -> ComplaintNorms:
        return ComplaintNorms(**{field: getattr(self, field) for field in ComplaintNorms.FIELDS.values()})

    @property
    def is_review_overdue(self) -> bool:
        """In force, and its yearly review (PermenPANRB 15/2014) was due before today."""
        return bool(self.is_published and self.review_due_date and self.review_due_date < timezone.localdate())

    @property
    def is_draft(self) -> bool:
        return self.status == CharterStatus.DRAFT

    @property
    def is_in_consultation(self) -> bool:
        return self.status == CharterStatus.CONSULTATION

    @property
    def is_agreed(self) -> bool:
        return self.status == CharterStatus.AGREED

    @property
    def is_approved(self) -> bool:
        return self.status == CharterStatus.APPROVED

    @property
    def is_superseded(self) -> bool:
        return self.status == CharterStatus.SUPERSEDED

    @property
    def is_scheduled(self) -> bool:
        """Approved, with its publication decided for a later day."""
        return self.status == CharterStatus.APPROVED and self.published_at is not None

    @property
    def is_published(self) -> bool:
        return self.status == CharterStatus.PUBLISHED

    def clean(self) -> None:
        if self.effective_date and self.review_due_date and self.review_due_date <= self.effective_date:
            raise ValidationError({"review_due_date": _("The review date must be after the effective date.")})

    def stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def assert_editable(self) -> None:
        """Refuse unless the charter, as stored in the database, is open for editing."""
        stored = self.stored_status()
        if stored is not None and stored not in EDITABLE_STATUSES:
            raise ImmutableCharterError(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = self.stored_status()
        if stored is not None and stored not in EDITABLE_STATUSES:
            # The lifecycle table says which fields each step may write on a frozen version.
            from ..services.lifecycle import FROZEN_TRANSITIONS

            update_fields = kwargs.get("update_fields")
            allowed = FROZEN_TRANSITIONS.get((stored, self.status))
            if allowed is None or update_fields is None or not set(update_fields) <= allowed:
                raise ImmutableCharterError(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.assert_editable()
        return super().delete(*args, **kwargs)

    def publish_problems(self) -> list[str]:
        """What still keeps this draft from being published, in words for the head."""
        problems: list[str] = []
        services = list(self.services.all())
        if not services:
            problems.append(gettext("The charter has no services yet."))
        if not self.pledge.strip():
            problems.append(gettext("The pledge (maklumat) is empty."))
        # A citizen charter balances both sides: each needs at least one right or obligation.
        parties = {clause.party for clause in self.clauses.all()}
        for party in ClauseParty:
            if party not in parties:
                problems.append(
                    gettext("No rights or obligations of the %(party)s are recorded yet.")
                    % {"party": str(party.label).lower()}
                )
        for service in services:
            missing = service.missing_delivery_components()
            if missing:
                problems.append(
                    gettext("%(service)s: %(missing)s still missing.")
                    % {"service": service.name, "missing": ", ".join(str(m) for m in missing)}
                )
        return problems

    def agreement_problems(self) -> list[str]:
        """What the stakeholder forum has yet to record before the version counts as agreed."""
        problems: list[str] = []
        groups = set(ParticipantGroup.values)
        meetings = list(self.meetings.all())
        if not meetings:
            problems.append(gettext("No stakeholder meeting is recorded yet."))
        elif not any({p.group for p in m.participants.all() if p.signed} >= groups for m in meetings):
            problems.append(
                gettext(
                    "No meeting yet has signatures of at least one service provider, one service user "
                    "and one other stakeholder."
                )
            )
        undecided = [service.name for service in self.services.all() if not service.agreement]
        if undecided:
            problems.append(
                ngettext(
                    "The forum's decision is not recorded for %(services)s.",
                    "The forum's decision is not recorded for %(count)s services: %(services)s.",
                    len(undecided),
                )
                % {"count": len(undecided), "services": ", ".join(undecided)}
            )
        for service in self.services.all():
            if service.agreement == AgreementDecision.AGREED_WITH_CHANGES and not service.agreement_note.strip():
                problems.append(gettext("%(service)s: say what the forum changed.") % {"service": service.name})
        return problems

    def usual_hours(self) -> list[tuple[str, str]]:
        """The opening hours most services share (reads the prefetched services): the facility's
        hours, said once; a service with others says its own."""
        counts = Counter(tuple(service.schedule_rows()) for service in self.services.all())
        return list(counts.most_common(1)[0][0]) if counts else []

    def shared_complaint_handling(self) -> str:
        """Component 6 when every service has the same text: said once for the charter (reads the
        prefetched services), "" when they differ."""
        texts = {service.complaint_handling.strip() for service in self.services.all()}
        return texts.pop() if len(texts) == 1 else ""

    def agreement_summary(self) -> dict[str, Any]:
        """Who agreed this version, for citizens: meeting dates and participants per group."""
        meetings = list(self.meetings.all())
        # Someone who came to two meetings is one participant.
        people = {(p.name.strip().lower(), p.group): p for m in meetings for p in m.participants.all()}
        return {
            "dates": [m.date for m in meetings],
            "groups": [(g.label, sum(1 for _name, group in people if group == g)) for g in ParticipantGroup],
            "total": len(people),
        }

    def clauses_by_party(self) -> list[tuple[str, str, list[Clause]]]:
        """[(party label, kind label, clauses)] in the order citizens read them."""
        clauses = list(self.clauses.all())
        groups = []
        for party in ClauseParty:
            for kind in ClauseKind:
                items = [c for c in clauses if c.party == party and c.kind == kind]
                if items:
                    groups.append((party.label, kind.label, items))
        return groups


class CharterEvent(models.Model):
    """Append-only history of what happened to a charter: who, what, when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Draft created")
        CONSULTATION = "consultation", _("Opened for public consultation")
        RETURNED = "returned", _("Returned to draft")
        AGREED = "agreed", _("Agreed with stakeholders")
        APPROVED = "approved", _("Approved by the head")
        SCHEDULED = "scheduled", _("Publication scheduled")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded by a newer version")
        REVIEWED = "reviewed", _("Reviewed: no change needed")
        EVALUATED = "evaluated", _("Evaluated with stakeholders")
        REASON_ADDED = "reason_added", _("Reason for the revision recorded")
        # Changes of the content, while the version is open for editing.
        EDITED = "edited", _("Pledge, rights and obligations changed")
        SERVICE_ADDED = "service_added", _("Service added")
        SERVICE_CHANGED = "service_changed", _("Service changed")
        SERVICE_REMOVED = "service_removed", _("Service removed")
        SERVICES_REORDERED = "services_reordered", _("Order of the services changed")
        MEETING_RECORDED = "meeting_recorded", _("Forum meeting recorded")
        MEETING_CHANGED = "meeting_changed", _("Forum meeting changed")
        MEETING_DELETED = "meeting_deleted", _("Forum meeting deleted")
        FILE_ATTACHED = "file_attached", _("Scan of the minutes attached")
        FILE_REMOVED = "file_removed", _("Scan of the minutes removed")
        DECISIONS_RECORDED = "decisions_recorded", _("Forum's decisions recorded")

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="events", verbose_name=_("charter"))
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("user")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("charter event")
        verbose_name_plural = _("charter events")

    def __str__(self) -> str:
        return f"{self.charter}: {self.get_action_display()}"


class CharterData(models.Model):
    """Base of every model whose rows belong to one charter and freeze with it."""

    status_lookup = "charter__status"

    objects = DraftOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_charter(self) -> Charter:
        raise NotImplementedError

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.get_charter().assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.get_charter().assert_editable()
        return super().delete(*args, **kwargs)


class Clause(CharterData):
    """One right or obligation of the provider or the user."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("charter"))
    party = models.CharField(_("party"), max_length=20, choices=ClauseParty.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ClauseKind.choices)
    text = models.TextField(_("text"), max_length=1000)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("right or obligation")
        verbose_name_plural = _("rights and obligations")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="clause_text_not_empty")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_charter(self) -> Charter:
        return self.charter


class ChangeReason(CharterData):
    """Why a revision changes the charter: a finding it answers (of an evaluation round, say),
    about one service (by its web address name) or about the whole charter (no service).

    The staff and public comparisons of the revision with the version in force show each next to
    the change it answers. Written when the revision starts, frozen with it.
    """

    charter = models.ForeignKey(
        Charter, on_delete=models.CASCADE, related_name="change_reasons", verbose_name=_("charter")
    )
    service_slug = models.SlugField(_("service"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=200, help_text=_("Where the finding comes from."))
    text = models.TextField(_("finding"), max_length=2000)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("reason for the revision")
        verbose_name_plural = _("reasons for the revision")

    def __str__(self) -> str:
        return f"{self.source}: {self.text[:60]}"

    def get_charter(self) -> Charter:
        return self.charter
