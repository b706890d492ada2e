from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from charters import pagecache

        from .models import Case, SurveyAction, SurveyPeriod
        from .reports import CASES

        # The public results list the periods and the follow-up actions (the responses bump
        # through `survey.days`).
        pagecache.invalidate_on_change(SurveyPeriod, lambda period: period.facility_id, scope=pagecache.SURVEY)
        pagecache.invalidate_on_change(SurveyAction, lambda action: action.facility_id, scope=pagecache.SURVEY)
        # The inbox's status counts are cached until a case of the facility is written.
        pagecache.invalidate_on_change(Case, lambda case: case.facility_id, scope=CASES)
