"""Names every part of the app shares: charter statuses, the pledge wording, the immutability error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_PLEDGE = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar "
    "pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap "
    "menerima sanksi sesuai peraturan perundang-undangan yang berlaku."
)


class ImmutableCharterError(ValidationError):
    """Raised when anything tries to change the data of a charter that is not a draft."""

    def __init__(self, charter: Any = None) -> None:
        super().__init__(
            _("A published charter cannot be changed. Start a new draft to revise it."),
            code="immutable",
        )
        self.charter = charter


class CharterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# Changes allowed once a charter has left the draft state: (stored status, new status).
# Publishing happens while the charter is still a draft in the database, so it needs no entry.
