"""Facilities (public service units) and the staff who work at them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy as _

from .base import CharterStatus

if TYPE_CHECKING:
    from .charter import Charter


# Addresses under /manage/ that are the site's own pages, not a facility's (the district pages).
RESERVED_FACILITY_SLUGS = frozenset({"district"})


def validate_facility_slug(value: str) -> None:
    if value in RESERVED_FACILITY_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the site's own pages; choose another address."),
            code="reserved",
            params={"slug": value},
        )


class FacilityKind(models.TextChoices):
    PUSKESMAS = "puskesmas", _("Community health centre (Puskesmas)")
    HOSPITAL = "hospital", _("Hospital")
    CLINIC = "clinic", _("Clinic")
    GOVERNMENT_OFFICE = "government_office", _("Government office")
    OTHER = "other", _("Other")


class FacilityQuerySet(models.QuerySet["Facility"]):
    def for_user(self, user: Any) -> FacilityQuerySet:
        """The facilities a staff user may read: where they work, and every facility of a regency
        they supervise; every facility for a superuser."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        supervised = Supervision.objects.filter(user=user).values("regency")
        return self.filter(models.Q(memberships__user=user) | models.Q(regency__in=supervised)).distinct()

    def with_published_charter(self) -> FacilityQuerySet:
        return self.filter(charters__status=CharterStatus.PUBLISHED).distinct()


class Facility(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("web address name"),
        max_length=80,
        unique=True,
        validators=[validate_facility_slug],
        help_text=_("Used in the public address, e.g. /f/pkm-soko/. Keep it stable: printed posters link to it."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=FacilityKind.choices, default=FacilityKind.PUSKESMAS)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    village = models.CharField(_("village (desa/kelurahan)"), max_length=100, blank=True)
    district = models.CharField(_("district (kecamatan)"), max_length=100)
    regency = models.CharField(_("regency or city (kabupaten/kota)"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    whatsapp = models.CharField(
        _("WhatsApp number"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^\+?62\d{8,13}$", _("Write the number with the country code 62, e.g. 6281234567890."))
        ],
        help_text=_("For complaints and questions by WhatsApp, with the country code, e.g. 6281234567890."),
    )
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
    def map_url(self) -> str:
        """A link that opens the address in the phone's maps app (or Google Maps in a browser)."""
        where = ", ".join(p for p in (self.name, self.address, self.village, self.district, self.regency) if p)
        return "https://www.google.com/maps/search/?" + urlencode({"api": "1", "query": where})

    @property
    def whatsapp_url(self) -> str:
        """The https://wa.me/ link that opens a chat with the facility, or ""."""
        return f"https://wa.me/{self.whatsapp.lstrip('+')}" if self.whatsapp else ""

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


class SearchDocument(models.Model):
    """What the home page's search reads of a facility with a published charter: the distinct
    words of its name, village, district and regency and of its published services' names and
    descriptions, lower case (`charters.search.refresh` writes it). One short row per facility,
    instead of 40 services' texts to look through. On PostgreSQL the table also has a column
    `words`, the text's tsvector, generated and indexed by the database (migration 0011)."""

    facility = models.OneToOneField(
        Facility, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    text = models.TextField(_("words"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return str(self.facility_id)


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


class Supervision(models.Model):
    """A supervisor of the regency's health office (Dinas Kesehatan): reads every page of every
    facility of the regency, and changes nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("user")
    )
    regency = models.CharField(
        _("regency or city (kabupaten/kota)"),
        max_length=100,
        help_text=_("As the facilities' profiles name it, e.g. Kabupaten Tuban."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision of a regency")
        verbose_name_plural = _("supervisions of regencies")
        constraints = [models.UniqueConstraint(fields=["user", "regency"], name="unique_supervision")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.regency}"


def user_works_at(user: Any, facility_id: int) -> bool:
    """An editor or head of the facility, or a superuser: who may change its pages (a supervisor
    only reads them)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, facility_id=facility_id).exists()


def user_is_head(user: Any, facility_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, facility_id=facility_id, role=MembershipRole.HEAD).exists()
