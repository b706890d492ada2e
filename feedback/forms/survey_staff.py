"""The staff's survey forms: paper questionnaires typed in (one row per questionnaire), the CSV
upload, survey periods, and the follow-up actions on weak elements.

The paper row reuses the citizen's field builders (`score_field`, `profile_field`,
`check_visit_date`) so that a score, a profile answer and a date mean the same whichever way they
came in; only the widgets differ (small text inputs for a fast keyboard). Nothing here saves.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charters.models import ServiceStandard

from ..models import PROFILE_FIELDS, SurveyAction, SurveyPeriod
from ..services.surveys import Answers
from ..survey.ikm import ELEMENTS, SCALE_MAX, SCALE_MIN
from ..survey.imports import MAX_IMPORT_BYTES
from .public import COMMENT_MAX, LongTextField
from .survey import QuestionnaireMixin, profile_field, score_field

DEFAULT_ROWS = 10
MAX_PAPER_ROWS = 50
DATE_INPUT = {"type": "date"}
DATE_ERRORS = {"invalid": _("Enter a date, e.g. 2026-03-17.")}
SERVICE_ERRORS = {"invalid_choice": _("This service is not in the facility's charter: choose one from the list.")}


def service_choices(services: list[ServiceStandard]) -> list[tuple[str, str]]:
    return [("", _("Not given")), *((service.slug, service.name) for service in services)]


def rows_asked(value: Any) -> int:
    """`?rows=` as a number of rows from 1 to 50; anything else is the default."""
    try:
        rows = int(value)
    except (TypeError, ValueError):
        return DEFAULT_ROWS
    return min(max(rows, 1), MAX_PAPER_ROWS)


class _VisitDateField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        today = timezone.localdate()
        super().__init__(
            widget=forms.DateInput(attrs={**DATE_INPUT, "max": today.isoformat()}, format="%Y-%m-%d"),
            error_messages=DATE_ERRORS,
            **kwargs,
        )


# --- Paper questionnaires, typed in ------------------------------------------------------------


class PaperDefaultsForm(QuestionnaireMixin):
    """The service and date applied to every filled row that leaves them empty: a stack of
    questionnaires from one day and one counter is typed without repeating them."""

    service = forms.ChoiceField(
        label=_("Service for rows without one"),
        required=False,
        error_messages=SERVICE_ERRORS,
    )

    def __init__(self, *args: Any, services: list[ServiceStandard], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "defaults")
        super().__init__(*args, **kwargs)
        self.services = {service.slug: service for service in services}
        self.fields["service"].choices = service_choices(services)
        self.fields["visited_on"] = _VisitDateField(label=_("Date of the visit for rows without one"), required=False)

    def defaults(self) -> tuple[ServiceStandard | None, datetime.date | None]:
        """The valid defaults; nothing for a default that has an error (shown above the table)."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("service"), self.cleaned_data.get("visited_on")


def _score_widget(element: Any) -> forms.TextInput:
    # A text input rather than type=number: a number input sends "" for "e" or "-", so a typo
    # would pass as a skipped question; here whatever was typed reaches the server and is refused.
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "pattern": f"[{SCALE_MIN}-{SCALE_MAX}]",
            "maxlength": 1,
            "size": 1,
            "autocomplete": "off",
            "class": "score-input",
            "title": str(element.name),
        }
    )


class PaperRowForm(QuestionnaireMixin):
    """One paper questionnaire. A question the respondent skipped stays empty; at least one must
    be answered. The defaults fill the service and the date when the row leaves them empty."""

    service = forms.ChoiceField(
        label=_("Service"),
        required=False,
        error_messages=SERVICE_ERRORS,
    )
    comment = LongTextField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.TextInput(attrs={"class": "comment-input"}),
    )

    def __init__(
        self,
        *args: Any,
        services: list[ServiceStandard],
        default_service: ServiceStandard | None = None,
        default_date: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.services = {service.slug: service for service in services}
        self.default_service = default_service
        self.default_date = default_date
        self.fields["service"].choices = service_choices(services)
        self.fields["visited_on"] = _VisitDateField(label=_("Date of the visit"), required=False)
        for element in ELEMENTS:
            self.fields[element.field] = score_field(element, required=False, widget=_score_widget(element))
            self.fields[element.field].label = element.code
        for name, choices in PROFILE_FIELDS:
            self.fields[name] = profile_field(name, choices.choices)
        # A dash for "not given" keeps the narrow columns readable; the column's header names it.
        for name in ("service", *(n for n, _c in PROFILE_FIELDS)):
            self.fields[name].choices = [("", "—"), *self.fields[name].choices[1:]]
        self.order_fields(["service", "visited_on", *(e.field for e in ELEMENTS), *(n for n, _c in PROFILE_FIELDS)])
        self._label_cells()

    @property
    def row_number(self) -> int:
        """1 for the first row of the table (the formset's prefix ends with the row's index)."""
        try:
            return int((self.prefix or "").rsplit("-", 1)[-1]) + 1
        except ValueError:
            return 1

    def _label_cells(self) -> None:
        """The table's header names each column; each cell also says its row to a screen reader."""
        names = {element.field: f"{element.code} {element.name}" for element in ELEMENTS}
        for name, bound_field in self.fields.items():
            widget = bound_field.widget
            column = names.get(name, bound_field.label)
            widget.attrs["aria-label"] = _("%(column)s, row %(row)s") % {"column": column, "row": self.row_number}
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("service") is None and "service" not in self.errors:
            cleaned["service"] = self.default_service
        if cleaned.get("visited_on") is None and "visited_on" not in self.errors:
            if self.default_date is None:
                self.add_error(
                    "visited_on",
                    ValidationError(_("Enter the date of the visit, here or above the table."), code="required"),
                )
            else:
                cleaned["visited_on"] = self.default_date
        scores_with_errors = any(element.field in self.errors for element in ELEMENTS)
        if not scores_with_errors and all(cleaned.get(element.field) is None for element in ELEMENTS):
            self.add_error(
                ELEMENTS[0].field,
                ValidationError(_("Enter at least one answer (U1 to U9)."), code="no_answer"),
            )
        return cleaned

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            service=data["service"],
            visited_on=data["visited_on"],
            scores={element.field: data[element.field] for element in ELEMENTS},
            profile={name: data.get(name) or "" for name, _choices in PROFILE_FIELDS},
            comment=data.get("comment") or "",
        )


class BasePaperFormSet(forms.BaseFormSet):
    """The table of questionnaires: empty rows are left out, every filled row must be valid."""

    def filled_forms(self) -> list[PaperRowForm]:
        return [form for form in self.forms if form.has_changed()]

    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError(_("Every row is empty: nothing to save."), code="empty")

    def answers(self) -> list[Answers]:
        return [form.answers() for form in self.filled_forms()]

    def incomplete_rows(self) -> list[tuple[int, list[str]]]:
        """(row number, codes of the questions left empty) of each filled row that skipped some:
        allowed on paper, but worth a second look before saving (a score typed in the wrong cell)."""
        rows = []
        for number, form in enumerate(self.forms, start=1):
            if form.has_changed():
                skipped = [element.code for element in ELEMENTS if form.cleaned_data.get(element.field) is None]
                if skipped:
                    rows.append((number, skipped))
        return rows


def paper_formset(rows: int = DEFAULT_ROWS) -> type[BasePaperFormSet]:
    """A formset class with `rows` empty rows; a POST brings its own number (at most 50)."""
    return forms.formset_factory(
        PaperRowForm,
        formset=BasePaperFormSet,
        extra=rows,
        max_num=MAX_PAPER_ROWS,
        absolute_max=MAX_PAPER_ROWS,
        validate_max=True,
    )


# --- A CSV file of paper questionnaires --------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma or semicolon separated, at most 2 MB and 10,000 rows."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Choose the CSV file to import."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB: split it into smaller files."), code="too_large")
        return upload


# --- Survey periods ----------------------------------------------------------------------------


class PeriodForm(forms.ModelForm):
    class Meta:
        model = SurveyPeriod
        fields = ["name", "start", "end", "population"]
        widgets = {
            "start": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
            "population": forms.NumberInput(attrs={"min": 1}),
        }
        error_messages = {
            "name": {"required": _("Give the period a name, e.g. “Semester I 2026”.")},
            "start": {"required": _("Enter the first day of the period."), **DATE_ERRORS},
            "end": {"required": _("Enter the last day of the period."), **DATE_ERRORS},
            "population": {
                "required": _("Enter how many people the facility served in the period."),
                "invalid": _("Enter a whole number."),
                "min_value": _("Enter at least 1."),
            },
        }

    def __init__(self, *args: Any, facility: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "period")
        super().__init__(*args, **kwargs)
        self.facility = facility
        self.instance.facility = facility

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", ValidationError(_("The last day is before the first day."), code="reversed"))
            else:
                same = SurveyPeriod.objects.filter(facility=self.facility, start=start, end=end).first()
                if same is not None:
                    self.add_error(
                        "start",
                        ValidationError(
                            _("The period “%(name)s” already has these dates."), code="duplicate", params={"name": same}
                        ),
                    )
        return cleaned


# --- Follow-up actions -------------------------------------------------------------------------


class ActionForm(forms.ModelForm):
    """An action for a weak element. The evaluated period is the report's, sent beside it."""

    class Meta:
        model = SurveyAction
        fields = ["element", "finding_nrr", "action", "responsible", "due_date"]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
            "finding_nrr": forms.NumberInput(attrs={"step": "0.01", "min": SCALE_MIN, "max": SCALE_MAX}),
        }
        error_messages = {
            "element": {"required": _("Choose the element."), "invalid_choice": _("Choose one of the nine elements.")},
            "action": {"required": _("Write what will be done.")},
            "responsible": {"required": _("Write who is responsible.")},
            "due_date": {"required": _("Enter the date by which it will be done."), **DATE_ERRORS},
            "finding_nrr": {"invalid": _("Enter a number from 1 to 4, e.g. 2.75.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)
        nrr = self.fields["finding_nrr"]
        nrr.validators.extend([MinValueValidator(Decimal(SCALE_MIN)), MaxValueValidator(Decimal(SCALE_MAX))])
        nrr.error_messages.update(
            {
                "min_value": _("An NRR is between 1 and 4."),
                "max_value": _("An NRR is between 1 and 4."),
                "max_digits": _("Enter a number from 1 to 4, e.g. 2.75."),
                "max_decimal_places": _("Enter at most 2 decimals."),
            }
        )
        # The model's choices, with a prompt instead of Django's dashes.
        self.fields["element"].choices = [
            ("", _("Choose an element")),
            *SurveyAction._meta.get_field("element").choices,
        ]

    def action_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ActionUpdateForm(forms.Form):
    """Mark an action done (when, and what was done), or open it again."""

    COMPLETE, REOPEN = "complete", "reopen"
    step = forms.ChoiceField(choices=[(COMPLETE, COMPLETE), (REOPEN, REOPEN)], widget=forms.HiddenInput)
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    result = LongTextField(
        label=_("What was done"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, action: SurveyAction, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"done-{action.pk}")
        kwargs.setdefault(
            "initial",
            {"step": self.COMPLETE, "done_on": action.done_on or timezone.localdate(), "result": action.result},
        )
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["done_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("step") != self.COMPLETE:
            return cleaned
        done_on = cleaned.get("done_on")
        if done_on is None and "done_on" not in self.errors:
            self.add_error("done_on", ValidationError(_("Enter the day it was done."), code="required"))
        elif done_on and done_on > timezone.localdate():
            self.add_error("done_on", ValidationError(_("The day it was done cannot be in the future."), code="future"))
        if not (cleaned.get("result") or "").strip() and "result" not in self.errors:
            self.add_error("result", ValidationError(_("Write what was done."), code="required"))
        return cleaned
