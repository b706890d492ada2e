"""Names every part of the app shares: charter statuses, the enums of several models, the pledge
wording, the immutability error. Imports nothing of the package, so every model module can use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_PLEDGE = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar "
    "pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap "
    "menerima sanksi sesuai peraturan perundang-undangan yang berlaku."
)


# The one message for any attempt to change a version that is agreed or later (a draft or a
# version in consultation may still change, so "no longer a draft" would be wrong for the latter).
FROZEN_VERSION_MESSAGE = _("This charter version can no longer be changed. Start a new revision to change the charter.")


class ImmutableCharterError(ValidationError, PermissionDenied):
    """Raised when anything tries to change the data of a charter that is agreed or later.

    A form shows it as an error; a view that lets it through answers 403 with its message (the
    version froze between the page's check and the write).
    """

    def __init__(self, charter: Any = None) -> None:
        super().__init__(FROZEN_VERSION_MESSAGE, code="immutable")
        self.charter = charter

    def __str__(self) -> str:
        return str(self.message)


class CharterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In public consultation")
    AGREED = "agreed", _("Agreed with stakeholders")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# Content (services, clauses, pledge, forum records) may change only in these states.
EDITABLE_STATUSES = frozenset({CharterStatus.DRAFT, CharterStatus.CONSULTATION})
# A facility works on at most one version in these states at a time (a database constraint).
OPEN_CHARTER_STATUSES = frozenset(
    {CharterStatus.DRAFT, CharterStatus.CONSULTATION, CharterStatus.AGREED, CharterStatus.APPROVED}
)
# Versions citizens can read: the current one and the ones it replaced.
PUBLIC_STATUSES = frozenset({CharterStatus.PUBLISHED, CharterStatus.SUPERSEDED})


class ClauseParty(models.TextChoices):
    USER = "user", _("Service user")
    PROVIDER = "provider", _("Service provider")


class ClauseKind(models.TextChoices):
    RIGHT = "right", _("Rights")
    OBLIGATION = "obligation", _("Obligations")


class ParticipantGroup(models.TextChoices):
    """The forum's three groups (PermenPANRB 15/2014): providers, users, other stakeholders."""

    PROVIDER = "provider", _("Service provider")
    USER = "user", _("Service user")
    STAKEHOLDER = "stakeholder", _("Other stakeholder")


class AgreementDecision(models.TextChoices):
    """The forum's decision on one service of the draft."""

    AGREED = "agreed", _("Agreed as drafted")
    AGREED_WITH_CHANGES = "changed", _("Agreed with changes")
    DEFERRED = "deferred", _("Deferred")


class ComplaintClass(models.TextChoices):
    """The time norm classes of the charter's component 6, lightest first."""

    LIGHT = "light", _("Light")
    NORMATIVE = "normative", _("Normative")
    SIMPLE = "simple", _("Needs no investigation")
    INVESTIGATIVE = "investigative", _("Needs investigation")


@dataclass(frozen=True)
class ComplaintNorms:
    """How many working days a charter promises for each class of case (component 6).

    The defaults are what published standards commonly promise (light 2, normative 5, needing no
    investigation 14, needing investigation 60 working days); a charter states its own.
    """

    light_days: int = 2
    normative_days: int = 5
    simple_days: int = 14
    investigative_days: int = 60

    FIELDS: ClassVar[dict[str, str]] = {
        ComplaintClass.LIGHT: "light_days",
        ComplaintClass.NORMATIVE: "normative_days",
        ComplaintClass.SIMPLE: "simple_days",
        ComplaintClass.INVESTIGATIVE: "investigative_days",
    }

    def working_days_for(self, complaint_class: str) -> int:
        return getattr(self, self.FIELDS[ComplaintClass(complaint_class)])

    def rows(self) -> list[tuple[str, str, int]]:
        """[(class, label, working days)], lightest first."""
        return [(value, label, self.working_days_for(value)) for value, label in ComplaintClass.choices]
