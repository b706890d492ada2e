from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Monitoring and evaluation: is each promise of the charter kept? Builds on `charters` and
    `feedback`; neither imports it."""

    name = "monitoring"
    verbose_name = _("Monitoring and evaluation")

    def ready(self) -> None:
        from charters import pagecache

        from .models import EvaluationRound

        # The public charter shows the latest rounds: a round recorded, edited or deleted switches
        # its cached pages at once. (The promise summaries follow the day, part of the page key.)
        pagecache.invalidate_on_change(EvaluationRound, lambda evaluation: evaluation.facility_id)
