"""Facilities, their charter versions and the service standards a charter promises.

A charter's data may change only while the charter is a draft: every model below
refuses `save()` and `delete()` once its charter is published (see `CharterData`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy as _, ngettext_lazy

DEFAULT_PLEDGE = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar "
    "pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap "
    "menerima sanksi sesuai peraturan perundang-undangan yang berlaku."
)


class ImmutableCharterError(ValidationError):
    """Raised when anything tries to change the data of a charter that is not a draft."""

    def __init__(self, charter: Charter | None = None) -> None:
        super().__init__(
            _("A published charter cannot be changed. Start a new draft to revise it."),
            code="immutable",
        )
        self.charter = charter


# --- Facilities ---------------------------------------------------------------------


class FacilityKind(models.TextChoices):
    PUSKESMAS = "puskesmas", _("Community health centre (Puskesmas)")
    HOSPITAL = "hospital", _("Hospital")
    CLINIC = "clinic", _("Clinic")
    GOVERNMENT_OFFICE = "government_office", _("Government office")
    OTHER = "other", _("Other")


class FacilityQuerySet(models.QuerySet["Facility"]):
    def for_user(self, user: Any) -> FacilityQuerySet:
        """The facilities a staff user works at; every facility for a superuser."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user).distinct()

    def with_published_charter(self) -> FacilityQuerySet:
        return self.filter(charters__status=CharterStatus.PUBLISHED).distinct()


class Facility(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("web address name"),
        max_length=80,
        unique=True,
        help_text=_("Used in the public address, e.g. /f/pkm-soko/. Keep it stable: printed posters link to it."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=FacilityKind.choices, default=FacilityKind.PUSKESMAS)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    village = models.CharField(_("village (desa/kelurahan)"), max_length=100, blank=True)
    district = models.CharField(_("district (kecamatan)"), max_length=100)
    regency = models.CharField(_("regency or city (kabupaten/kota)"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True, help_text=_("One point per line."))
    head_name = models.CharField(_("name of the head"), max_length=150, blank=True)
    head_title = models.CharField(
        _("title of the head"), max_length=150, blank=True, help_text=_("E.g. Kepala Puskesmas Soko.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:charter", args=[self.slug])

    @property
    def mission_points(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.mission.splitlines() if line.strip(" -•\t")]

    @property
    def location(self) -> str:
        district = gettext("%(district)s District") % {"district": self.district} if self.district else ""
        return ", ".join(p for p in (self.village, district, self.regency, self.province) if p)

    def published_charter(self) -> Charter | None:
        return self.charters.filter(status=CharterStatus.PUBLISHED).first()

    def draft_charter(self) -> Charter | None:
        return self.charters.filter(status=CharterStatus.DRAFT).first()


class MembershipRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
    HEAD = "head", _("Head of facility")


class Membership(models.Model):
    """A staff user's role at one facility. A head is an editor who may also publish."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("facility")
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.EDITOR)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "facility"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.facility} ({self.get_role_display()})"

    @property
    def is_head(self) -> bool:
        return self.role == MembershipRole.HEAD


# --- Charters -----------------------------------------------------------------------


class CharterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# Changes allowed once a charter has left the draft state: (stored status, new status).
# Publishing happens while the charter is still a draft in the database, so it needs no entry.
FROZEN_TRANSITIONS = frozenset({("published", "superseded")})
FROZEN_TRANSITION_FIELDS = frozenset({"status", "updated_at"})


class DraftOnlyQuerySet(models.QuerySet):
    """Bulk writes are refused when they would touch a charter that is no longer a draft,
    as single saves are. The model names the path to its charter's status in `status_lookup`."""

    def _refuse_frozen(self) -> None:
        if self.exclude(**{self.model.status_lookup: CharterStatus.DRAFT}).exists():
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
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    review_due_date = models.DateField(
        _("review due"), null=True, blank=True, help_text=_("Service standards are reviewed at least once a year.")
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    status_lookup = "status"

    objects = DraftOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["facility_id", "-version"]
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        constraints = [
            models.UniqueConstraint(fields=["facility", "version"], name="unique_charter_version"),
            models.UniqueConstraint(
                fields=["facility"],
                condition=Q(status="published"),
                name="one_published_charter_per_facility",
                violation_error_message=_("This facility already has a published charter."),
            ),
            models.UniqueConstraint(
                fields=["facility"],
                condition=Q(status="draft"),
                name="one_draft_charter_per_facility",
                violation_error_message=_("This facility already has a draft charter."),
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

    def get_charter(self) -> Charter:
        return self

    @property
    def is_editable(self) -> bool:
        return self.status == CharterStatus.DRAFT

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
        """Refuse unless the charter, as stored in the database, is a draft."""
        stored = self.stored_status()
        if stored is not None and stored != CharterStatus.DRAFT:
            raise ImmutableCharterError(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = self.stored_status()
        if stored is not None and stored != CharterStatus.DRAFT:
            update_fields = kwargs.get("update_fields")
            transition_only = update_fields is not None and set(update_fields) <= FROZEN_TRANSITION_FIELDS
            if not (transition_only and (stored, self.status) in FROZEN_TRANSITIONS):
                raise ImmutableCharterError(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.assert_editable()
        return super().delete(*args, **kwargs)

    def can_be_published_by(self, user: Any) -> bool:
        return self.is_editable and user_is_head(user, self.facility_id)

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
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded by a newer version")

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="events", verbose_name=_("charter"))
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("user")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

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


class ClauseParty(models.TextChoices):
    USER = "user", _("Service user")
    PROVIDER = "provider", _("Service provider")


class ClauseKind(models.TextChoices):
    RIGHT = "right", _("Rights")
    OBLIGATION = "obligation", _("Obligations")


class Clause(CharterData):
    """One right or obligation of the provider or the user."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("charter"))
    party = models.CharField(_("party"), max_length=20, choices=ClauseParty.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ClauseKind.choices)
    text = models.TextField(_("text"), max_length=1000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("right or obligation")
        verbose_name_plural = _("rights and obligations")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="clause_text_not_empty")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_charter(self) -> Charter:
        return self.charter


# --- Service standards --------------------------------------------------------------


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

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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


def user_is_head(user: Any, facility_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, facility_id=facility_id, role=MembershipRole.HEAD).exists()
