"""Service standards: the 14 components of PermenPANRB 15/2014 for one service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy as _, ngettext_lazy
from simple_history.models import HistoricalRecords

from .base import AgreementDecision
from .charter import Charter, CharterData


class ServiceCategory(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    CLINICAL = "clinical", _("Examination and treatment")
    MATERNAL_CHILD = "maternal_child", _("Mother and child, family planning")
    SUPPORT = "support", _("Laboratory and pharmacy")
    EMERGENCY = "emergency", _("Emergency and inpatient care")
    PUBLIC_HEALTH = "public_health", _("Public health programmes")
    ADMINISTRATIVE = "administrative", _("Letters and administration")
    OTHER = "other", _("Other")


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days")


class ServiceMethod(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    APPOINTMENT = "appointment", _("By appointment")
    ONLINE = "online", _("Online")
    TELEPHONE = "telephone", _("By telephone")
    HOME_VISIT = "home_visit", _("Home visit")
    OUTREACH = "outreach", _("Outreach (posyandu, village)")
    REFERRAL = "referral", _("By referral")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# "1 day", "2 days": the unit's label alone cannot be pluralised.
DURATION_FORMATS = {
    DurationUnit.MINUTES: ngettext_lazy("%(count)s minute", "%(count)s minutes", "count"),
    DurationUnit.HOURS: ngettext_lazy("%(count)s hour", "%(count)s hours", "count"),
    DurationUnit.DAYS: ngettext_lazy("%(count)s day", "%(count)s days", "count"),
    DurationUnit.WORKING_DAYS: ngettext_lazy("%(count)s working day", "%(count)s working days", "count"),
}


def validate_methods(value: Any) -> None:
    allowed = set(ServiceMethod.values)
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one way the service is delivered."), code="required")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValidationError(
            _("Unknown delivery method: %(value)s."),
            code="invalid_choice",
            params={"value": ", ".join(map(str, unknown))},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each delivery method may be chosen once."), code="duplicate")


@dataclass(frozen=True)
class Component:
    """One component of a service standard (PermenPANRB 15/2014) and where it is stored."""

    number: int
    field: str
    label: Any
    delivery: bool


# The 14 components in the regulation's order; the first six are published to users.
COMPONENTS: tuple[Component, ...] = (
    Component(1, "requirements", _("Requirements"), True),
    Component(2, "procedure", _("System, mechanism and procedure"), True),
    Component(3, "duration", _("Service duration"), True),
    Component(4, "fee", _("Fee / tariff"), True),
    Component(5, "product", _("Service product"), True),
    Component(6, "complaint_handling", _("Handling of complaints, suggestions and input"), True),
    Component(7, "legal_basis", _("Legal basis"), False),
    Component(8, "facilities", _("Facilities and infrastructure"), False),
    Component(9, "staff_competence", _("Staff competence"), False),
    Component(10, "internal_supervision", _("Internal supervision"), False),
    Component(11, "staff_count", _("Number of staff"), False),
    Component(12, "service_guarantee", _("Service guarantee"), False),
    Component(13, "safety_guarantee", _("Security and safety guarantee"), False),
    Component(14, "performance_evaluation", _("Staff performance evaluation"), False),
)
TEXT_COMPONENTS = tuple(c for c in COMPONENTS if c.field not in {"requirements", "procedure", "duration", "fee"})


class ServiceStandard(CharterData):
    """A service's standard: what the user needs, does, waits, pays and gets."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="services", verbose_name=_("charter"))
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("web address name"), max_length=80)
    category = models.CharField(
        _("category"), max_length=30, choices=ServiceCategory.choices, default=ServiceCategory.CLINICAL
    )
    description = models.TextField(_("short description"), max_length=1000, blank=True)

    # Component 3: duration.
    duration_value = models.PositiveIntegerField(
        _("duration"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    duration_unit = models.CharField(
        _("duration unit"), max_length=20, choices=DurationUnit.choices, default=DurationUnit.MINUTES
    )
    duration_note = models.CharField(
        _("duration note"), max_length=300, blank=True, help_text=_("E.g. up to 20 minutes for compounded drugs.")
    )
    # Component 4: fee.
    fee_is_free = models.BooleanField(_("free of charge"), default=False)
    fee_amount = models.PositiveIntegerField(_("fee (rupiah)"), null=True, blank=True)
    fee_note = models.TextField(
        _("who pays what"),
        max_length=1000,
        blank=True,
        help_text=_("E.g. free for JKN/BPJS members; others pay the tariff of the regional regulation."),
    )
    fee_legal_basis = models.CharField(
        _("legal basis of the tariff"), max_length=300, blank=True, help_text=_("E.g. Perda Kabupaten Tuban No. …")
    )
    # Schedule and method.
    schedule_note = models.CharField(
        _("schedule note"), max_length=300, blank=True, help_text=_("E.g. closed on public holidays.")
    )
    methods = models.JSONField(
        _("how the service is delivered"),
        default=list,
        validators=[validate_methods],
        error_messages={"blank": _("Choose at least one way the service is delivered.")},
    )

    # Components 5-14 as text.
    product = models.TextField(_("service product"), max_length=2000, blank=True)
    complaint_handling = models.TextField(
        _("handling of complaints, suggestions and input"), max_length=2000, blank=True
    )
    legal_basis = models.TextField(_("legal basis"), max_length=2000, blank=True)
    facilities = models.TextField(_("facilities and infrastructure"), max_length=2000, blank=True)
    staff_competence = models.TextField(_("staff competence"), max_length=2000, blank=True)
    internal_supervision = models.TextField(_("internal supervision"), max_length=2000, blank=True)
    staff_count = models.TextField(_("number of staff"), max_length=2000, blank=True)
    service_guarantee = models.TextField(_("service guarantee"), max_length=2000, blank=True)
    safety_guarantee = models.TextField(_("security and safety guarantee"), max_length=2000, blank=True)
    performance_evaluation = models.TextField(_("staff performance evaluation"), max_length=2000, blank=True)

    # The stakeholder forum's decision on this service (see StakeholderMeeting).
    agreement = models.CharField(
        _("forum decision"), max_length=30, choices=AgreementDecision.choices, blank=True, default=""
    )
    agreement_note = models.TextField(
        _("what the forum changed"), max_length=2000, blank=True, help_text=_("Required when agreed with changes.")
    )
    # Optimistic locking: a save based on an older revision is refused (see services.save_service).
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        constraints = [
            models.UniqueConstraint(fields=["charter", "slug"], name="unique_service_slug_per_charter"),
            models.CheckConstraint(
                condition=Q(duration_value__isnull=True) | Q(duration_value__gt=0), name="service_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(fee_amount__isnull=True) | Q(fee_amount__gte=0), name="service_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_charter(self) -> Charter:
        return self.charter

    def get_absolute_url(self) -> str:
        return reverse("public:service", args=[self.charter.facility.slug, self.slug])

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.fee_is_free and self.fee_amount is not None:
            errors.setdefault("fee_amount", []).append(
                _("A free service has no fee: leave the amount empty or untick “free of charge”.")
            )
        if not self.fee_is_free and self.fee_amount == 0:
            errors.setdefault("fee_amount", []).append(_("A fee of Rp 0 means free: tick “free of charge” instead."))
        if errors:
            raise ValidationError(errors)

    # Display helpers; they read prefetched children and so never query per service.

    @property
    def fee_display(self) -> str:
        if self.fee_is_free:
            return gettext("Free")
        if self.fee_amount is None:
            return ""
        return "Rp " + number_format(self.fee_amount, force_grouping=True)

    @property
    def duration_display(self) -> str:
        if self.duration_value is None:
            return ""
        return DURATION_FORMATS[self.duration_unit] % {"count": self.duration_value}

    @property
    def method_labels(self) -> list[str]:
        labels = dict(ServiceMethod.choices)
        return [str(labels[m]) for m in self.methods if m in labels]

    def schedule_rows(self) -> list[tuple[str, str]]:
        """[(days, hours)], consecutive days with the same hours folded: ('Senin – Kamis', '07.30–14.00')."""
        by_day: dict[int, list[ScheduleSlot]] = {}
        for slot in self.schedule_slots.all():
            by_day.setdefault(slot.weekday, []).append(slot)
        rows: list[tuple[list[int], str]] = []
        for day in sorted(by_day):
            hours = ", ".join(f"{_hm(s.opens)}–{_hm(s.closes)}" for s in sorted(by_day[day], key=lambda s: s.opens))
            if rows and rows[-1][1] == hours and rows[-1][0][-1] == day - 1:
                rows[-1][0].append(day)
            else:
                rows.append(([day], hours))
        result = []
        for days, hours in rows:
            first, last = Weekday(days[0]).label, Weekday(days[-1]).label
            result.append((str(first) if len(days) == 1 else f"{first} – {last}", hours))
        return result

    def missing_delivery_components(self) -> list[Any]:
        """Labels of the user-facing parts a citizen would look for in vain."""
        missing = []
        if not self.requirements.all():
            missing.append(_("requirements"))
        if not self.steps.all():
            missing.append(_("procedure"))
        if not self.schedule_slots.all():
            missing.append(_("schedule"))
        if self.duration_value is None:
            missing.append(_("duration"))
        if not self.fee_is_free and self.fee_amount is None:
            missing.append(_("fee"))
        if not self.methods:
            missing.append(_("delivery method"))
        return missing

    @property
    def text_components(self) -> dict[str, list[tuple[Component, str]]]:
        """Components stored as text, with their values: {"delivery": [...], "management": [...]}."""
        groups: dict[str, list[tuple[Component, str]]] = {"delivery": [], "management": []}
        for component in TEXT_COMPONENTS:
            groups["delivery" if component.delivery else "management"].append(
                (component, getattr(self, component.field))
            )
        return groups


def _hm(value: time) -> str:
    return value.strftime("%H.%M")


class Requirement(CharterData):
    status_lookup = "service__charter__status"

    service = models.ForeignKey(
        ServiceStandard, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("service")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("requirement"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="requirement_text_not_empty")]

    def __str__(self) -> str:
        return self.text

    def get_charter(self) -> Charter:
        return self.service.charter


class ProcedureStep(CharterData):
    status_lookup = "service__charter__status"

    service = models.ForeignKey(
        ServiceStandard, on_delete=models.CASCADE, related_name="steps", verbose_name=_("service")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("step"), max_length=1000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="step_text_not_empty")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_charter(self) -> Charter:
        return self.service.charter


class ScheduleSlot(CharterData):
    """One opening period on one weekday; a day may have several (e.g. around a break)."""

    status_lookup = "service__charter__status"

    service = models.ForeignKey(
        ServiceStandard, on_delete=models.CASCADE, related_name="schedule_slots", verbose_name=_("service")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="schedule_closes_after_opens",
                violation_error_message=_("Closing time must be after opening time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {_hm(self.opens)}–{_hm(self.closes)}"

    def get_charter(self) -> Charter:
        return self.service.charter

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})
