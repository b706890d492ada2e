from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Pages that bring charters and feedback together; it imports both, neither imports it."""

    name = "dashboard"
    verbose_name = _("Dashboards")
