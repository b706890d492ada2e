from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Monitoring and evaluation: is each promise of the charter kept? Builds on `charters` and
    `feedback`; neither imports it."""

    name = "monitoring"
    verbose_name = _("Monitoring and evaluation")
