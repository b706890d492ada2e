from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Backup and restore of the database and the uploaded files; no models, no pages. Built on
    every other app (it counts their rows); none imports it."""

    name = "operations"
    verbose_name = _("Operations")
