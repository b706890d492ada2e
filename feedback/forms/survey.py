"""The satisfaction survey's forms: the citizen's questionnaire, and the field builders the staff's
paper entry reuses.

The POSTed names are the regulation's: `u1` … `u9` (scores 1–4) and `service` (the service's
slug). Nothing here saves: `answers()` hands an `Answers` to `feedback.services.surveys`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charter_site.forms import HoneypotMixin, SubmissionKeyMixin
from charters.models import ServiceStandard

from ..models import PROFILE_FIELDS, AgeGroup, Education, Occupation, Sex
from ..services.surveys import Answers
from ..survey.ikm import ELEMENTS, Element, element_choices
from .public import COMMENT_MAX, LongTextField, one_year_before

PROFILE_LABELS = {
    "age_group": _("Age"),
    "sex": _("Sex"),
    "education": _("Education"),
    "occupation": _("Occupation"),
}


def score_field(element: Element, *, required: bool = True, widget: Any = None) -> forms.TypedChoiceField:
    """An element's question, answered 1 (worst) to 4 (best), each answer with its label."""
    return forms.TypedChoiceField(
        label=f"{element.code}. {element.question}",
        choices=element_choices(element),
        coerce=int,
        empty_value=None,
        required=required,
        widget=widget or forms.RadioSelect,
        error_messages={
            "required": _("Choose one answer for %(code)s.") % {"code": element.code},
            "invalid_choice": _("Answer %(code)s with a score from 1 to 4.") % {"code": element.code},
        },
    )


def profile_field(name: str, choices: Any, *, widget: Any = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=PROFILE_LABELS[name],
        choices=[("", _("Not given")), *choices],
        required=False,
        widget=widget or forms.Select,
        error_messages={"invalid_choice": _("Choose one of the answers in the list.")},
    )


def check_visit_date(day: datetime.date | None) -> datetime.date | None:
    """A visit today or in the last 12 months."""
    if day is None:
        return None
    today = timezone.localdate()
    if day > today:
        raise ValidationError(_("The date of the visit cannot be in the future."), code="future")
    if day < one_year_before(today):
        raise ValidationError(_("The survey is about visits in the last 12 months."), code="too_old")
    return day


class QuestionnaireMixin(forms.Form):
    """What every questionnaire form shares: `service` sent as a slug of `self.services` (set by
    the form's `__init__`), the date of the visit, and the score and profile fields in order."""

    services: dict[str, ServiceStandard]

    def score_fields(self) -> list[forms.BoundField]:
        return [self[element.field] for element in ELEMENTS if element.field in self.fields]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _choices in PROFILE_FIELDS if name in self.fields]

    def clean_service(self) -> ServiceStandard | None:
        slug = self.cleaned_data["service"]
        return self.services[slug] if slug else None

    def clean_visited_on(self) -> datetime.date | None:
        return check_visit_date(self.cleaned_data.get("visited_on"))


class SurveyForm(HoneypotMixin, SubmissionKeyMixin, QuestionnaireMixin):
    """The citizen's questionnaire. `services`: the services of the facility's published charter;
    when there are any, the service used must be one of them."""

    service = forms.ChoiceField(
        label=_("Which service did you use?"),
        error_messages={
            "required": _("Choose the service you used."),
            "invalid_choice": _("This service is not in the facility's charter: choose one from the list."),
        },
    )
    visited_on = forms.DateField(
        label=_("Date of your visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date of your visit."), "invalid": _("Enter a date, e.g. 2026-03-17.")},
    )
    comment = LongTextField(
        label=_("Anything else you want to tell the facility? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a complaint that needs an answer, use the complaint form: it gives you a tracking code."),
    )

    def __init__(self, *args: Any, services: list[ServiceStandard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = {service.slug: service for service in services}
        self.fields["service"].choices = [("", _("Choose a service")), *((s.slug, s.name) for s in services)]
        self.fields["service"].required = bool(services)
        today = timezone.localdate()
        self.fields["visited_on"].initial = today
        self.fields["visited_on"].widget.attrs.update(
            {"min": one_year_before(today).isoformat(), "max": today.isoformat()}
        )
        for element in ELEMENTS:
            self.fields[element.field] = score_field(element)
        self.fields["age_group"] = profile_field("age_group", AgeGroup.choices, widget=forms.RadioSelect)
        self.fields["sex"] = profile_field("sex", Sex.choices, widget=forms.RadioSelect)
        self.fields["education"] = profile_field("education", Education.choices)
        self.fields["occupation"] = profile_field("occupation", Occupation.choices)
        self.order_fields(["service", "visited_on", *(e.field for e in ELEMENTS), "age_group", "sex"])

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            service=data["service"],
            visited_on=data["visited_on"],
            scores={element.field: data[element.field] for element in ELEMENTS},
            profile={name: data.get(name) or "" for name, _choices in PROFILE_FIELDS},
            comment=data.get("comment") or "",
        )
