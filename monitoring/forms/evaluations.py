"""The staff's forms of an evaluation round: the round itself, who took part (the forum's three
groups), one finding per service of the version evaluated, the follow-up actions, and how an
action carried over from an earlier round stands now.

Every rule of `monitoring.evaluations` is checked here first, so that its error stands next to
the field it is about; the services check again, and nothing here saves. The forms hand over the
services' own types (`RoundContent`, `Person`, `FindingContent`, `ActionContent`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy as _

from charters.models import Charter, Facility, ParticipantGroup, ServiceStandard
from feedback.forms.survey_staff import DATE_ERRORS
from feedback.models.survey import plausible_date

from ..evaluations import ActionContent, FindingContent, Person, RoundContent, evaluable_charters
from ..models import (
    ActionStatus,
    EvaluationFinding,
    EvaluationParticipant,
    EvaluationRound,
    FindingResult,
    FollowUpAction,
)

MAX_PARTICIPANTS = 300
MAX_ACTIONS = 100


def _max_length(model: type[Any], name: str) -> int:
    return model._meta.get_field(name).max_length


def _not_in_the_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("This day is still to come."), code="future")


def _date_widget(*, past: bool = False) -> forms.DateInput:
    attrs = {"type": "date"}
    if past:
        attrs["max"] = timezone.localdate().isoformat()
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")


def _date_field(label: Any, *, required: bool = True, past: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        validators=[plausible_date, *([_not_in_the_future] if past else [])],
        widget=_date_widget(past=past),
        error_messages={**DATE_ERRORS, "required": _("Enter the day.")},
    )


def _text(label: Any, max_length: int, *, rows: int = 3, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def typed_values(form: forms.Form) -> dict[str, Any]:
    """What was typed in each field of a bound form, as the initial values of an unbound one: a
    page shown again without its errors (the evidence refreshed) keeps every keystroke."""
    return {name: form[name].value() for name in form.fields}


# --- The round --------------------------------------------------------------------------------


class RoundForm(forms.ModelForm):
    """When the round was held, the version it evaluated and the period its evidence covers, who
    led it, how, and what citizens are told."""

    class Meta:
        model = EvaluationRound
        fields = [
            "charter",
            "started_on",
            "ended_on",
            "period_start",
            "period_end",
            "facilitator",
            "organisation",
            "method",
            "method_note",
            "notes",
            "public_summary",
        ]
        widgets = {
            "method_note": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "public_summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "facilitator": _("The person who led the round, e.g. from a civil society organisation."),
        }
        error_messages = {
            "public_summary": {"required": _("Write a short summary for citizens.")},
            "method": {"required": _("Choose how the round was held.")},
            "charter": {
                "required": _("Choose the version evaluated."),
                "invalid_choice": _("Choose a version of this facility that was published."),
            },
        }

    # The version whose services the findings below were shown for: choosing another one shows
    # that version's services instead of saving findings nobody saw.
    shown_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "round")
        super().__init__(*args, **kwargs)
        self.instance.facility = facility
        charter = self.fields["charter"]
        charter.queryset = evaluable_charters(facility)
        charter.empty_label = None
        charter.label_from_instance = _version_label
        for name in ("started_on", "ended_on"):
            self.fields[name] = _date_field(self.fields[name].label, past=True)
        for name in ("period_start", "period_end"):
            self.fields[name] = _date_field(self.fields[name].label, past=True)
        self.fields["method"].choices = [("", _("Choose a method")), *self.fields["method"].choices[1:]]
        self.order_fields([*self.Meta.fields, "shown_version"])

    def shown_charter(self) -> Charter | None:
        """The version the findings were shown for (of this facility), once the form is cleaned."""
        pk = self.cleaned_data.get("shown_version")
        return self.fields["charter"].queryset.filter(pk=pk).first() if pk else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if started and ended and ended < started:
            self.add_error("ended_on", ValidationError(_("The round cannot end before it starts."), code="reversed"))
        if start and end and end < start:
            self.add_error(
                "period_end", ValidationError(_("The period covered cannot end before it starts."), code="reversed")
            )
        elif end and ended and end > ended:
            self.add_error(
                "period_end",
                ValidationError(_("The period covered cannot end after the round."), code="after_round"),
            )
        return cleaned

    def content(self) -> RoundContent:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return RoundContent(**values)


def _version_label(charter: Charter) -> str:
    return gettext("Version %(version)s (%(status)s, in force from %(date)s)") % {
        "version": charter.version,
        "status": charter.get_status_display(),
        "date": date_format(charter.effective_date),
    }


# --- Who took part ------------------------------------------------------------------------------


class ParticipantForm(forms.Form):
    """One person; an empty row is left out."""

    name = forms.CharField(label=_("Name"), required=False, max_length=_max_length(EvaluationParticipant, "name"))
    organisation = forms.CharField(
        label=_("Organisation"), required=False, max_length=_max_length(EvaluationParticipant, "organisation")
    )
    group = forms.ChoiceField(
        label=_("Group"),
        required=False,
        choices=[("", _("Choose a group")), *ParticipantGroup.choices],
        error_messages={"invalid_choice": _("Choose one of the three groups.")},
    )
    position = forms.CharField(
        label=_("Job or role"), required=False, max_length=_max_length(EvaluationParticipant, "position")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        filled = any(cleaned.get(name) for name in self.fields)
        if filled and not cleaned.get("name") and "name" not in self.errors:
            self.add_error("name", ValidationError(_("Enter the name."), code="required"))
        if filled and not cleaned.get("group") and "group" not in self.errors:
            self.add_error("group", ValidationError(_("Choose the group."), code="required"))
        return cleaned

    def person(self) -> Person | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return Person(data["name"], data["group"], data.get("organisation", ""), data.get("position", ""))


class ParticipantFormSet(forms.BaseFormSet):
    def people(self) -> list[Person]:
        return [person for form in self.forms if (person := form.person()) is not None]


def participant_formset(extra: int) -> type[ParticipantFormSet]:
    return forms.formset_factory(
        ParticipantForm,
        formset=ParticipantFormSet,
        extra=extra,
        max_num=MAX_PARTICIPANTS,
        absolute_max=MAX_PARTICIPANTS,
        validate_max=True,
    )


def participant_rows(participants: Sequence[EvaluationParticipant]) -> list[dict[str, str]]:
    return [
        {"name": p.name, "organisation": p.organisation, "group": p.group, "position": p.position} for p in participants
    ]


# --- One finding per service ------------------------------------------------------------------


class FindingForm(forms.Form):
    """What the round found for one service: a service left "not evaluated" gets no finding."""

    result = forms.ChoiceField(
        label=_("Finding"),
        required=False,
        choices=[("", _("Not evaluated")), *FindingResult.choices],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the findings.")},
    )
    evidence = _text(_("Evidence"), _max_length(EvaluationFinding, "evidence"), rows=4)
    notes = _text(_("Notes"), _max_length(EvaluationFinding, "notes"), rows=2)

    def __init__(self, *args: Any, service: ServiceStandard, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"finding-{service.slug}")
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["evidence"].help_text = EvaluationFinding._meta.get_field("evidence").help_text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("notes") and not cleaned.get("result") and "result" not in self.errors:
            self.add_error(
                "result",
                ValidationError(_("Choose the finding, or empty the notes of this service."), code="required"),
            )
        return cleaned

    def content(self) -> FindingContent | None:
        data = self.cleaned_data
        if not data.get("result"):
            return None
        return FindingContent(self.service, data["result"], data.get("evidence", ""), data.get("notes", ""))


class FindingForms:
    """A `FindingForm` per service of the version evaluated. Unbound, each starts from the stored
    finding of its service, or from the period's evidence (`evidence`, by service address name)."""

    def __init__(
        self,
        services: Sequence[ServiceStandard],
        data: Mapping[str, Any] | None = None,
        *,
        evidence: Mapping[str, str] | None = None,
        stored: Mapping[str, EvaluationFinding] | None = None,
        typed: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        evidence, stored, typed = evidence or {}, stored or {}, typed or {}
        self.forms = []
        for service in services:
            initial: dict[str, Any] = {"result": "", "evidence": evidence.get(service.slug, "")}
            if service.slug in stored:
                finding = stored[service.slug]
                initial = {"result": finding.result, "evidence": finding.evidence, "notes": finding.notes}
            if service.slug in typed:
                initial = {**typed[service.slug], "evidence": evidence.get(service.slug, "")}
            self.forms.append(FindingForm(data, service=service, initial=initial))

    def __iter__(self) -> Iterator[FindingForm]:
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.forms]  # every form checked, every error shown
        return all(results)

    @property
    def errors(self) -> bool:
        return any(form.errors for form in self.forms)

    def contents(self) -> list[FindingContent]:
        return [content for form in self.forms if (content := form.content()) is not None]

    def typed(self) -> dict[str, dict[str, Any]]:
        """What was typed for each service that was on the page (a service of another version
        the page did not show has nothing typed)."""
        typed = {form.service.slug: typed_values(form) for form in self.forms}
        return {slug: values for slug, values in typed.items() if any(v is not None for v in values.values())}


# --- Follow-up actions ---------------------------------------------------------------------------


def _status_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        initial=ActionStatus.OPEN,
        error_messages={"invalid_choice": _("Choose one of the statuses.")},
    )


def _check_done(form: forms.Form, cleaned: dict[str, Any]) -> None:
    """A done action says on which day; the day of another status is left out."""
    if cleaned.get("status") == ActionStatus.DONE and not cleaned.get("done_on") and "done_on" not in form.errors:
        form.add_error("done_on", ValidationError(_("Say on which day the action was done."), code="required"))


class ActionForm(forms.Form):
    """One follow-up action of the round: what, who, by when, and how it stands."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    what = _text(
        _("What will be done"),
        _max_length(FollowUpAction, "what"),
        rows=2,
        required=True,
        error_messages={"required": _("Say what will be done.")},
    )
    who = forms.CharField(
        label=_("Who is responsible"),
        max_length=_max_length(FollowUpAction, "who"),
        error_messages={"required": _("Say who is responsible.")},
    )
    due_date = forms.DateField(
        label=_("Due date"),
        validators=[plausible_date],
        widget=_date_widget(),
        error_messages={**DATE_ERRORS, "required": _("Enter the due date.")},
    )
    finding = forms.ChoiceField(label=_("About the finding"), required=False)
    status = _status_field()
    done_on = _date_field(_("Done on"), required=False, past=True)
    result = _text(_("What was done"), _max_length(FollowUpAction, "result"), rows=2)

    def __init__(
        self,
        *args: Any,
        findings: Sequence[EvaluationFinding] = (),
        action_ids: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.findings = {str(finding.pk): finding for finding in findings}
        self.action_ids = action_ids
        self.fields["finding"].choices = [
            ("", _("The round as a whole")),
            *((key, f"{f.service.name}: {f.get_result_display()}") for key, f in self.findings.items()),
        ]
        self.fields["finding"].error_messages["invalid_choice"] = _("Choose one of this round's findings.")
        # Fields only ever shown inside a card with its own heading: the labels say which row.
        self.fields["done_on"].help_text = _("Only for an action that is done.")

    def clean_id(self) -> int | None:
        pk = self.cleaned_data.get("id")
        if pk is not None and pk not in self.action_ids:
            raise ValidationError(_("This action belongs to another round."), code="other_round")
        return pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_done(self, cleaned)
        return cleaned

    def content(self, *, delete: bool = False) -> ActionContent:
        data = self.cleaned_data
        if delete:
            return ActionContent("", "", datetime.date.min, id=data.get("id"), delete=True)
        return ActionContent(
            what=data["what"],
            who=data["who"],
            due_date=data["due_date"],
            finding=self.findings.get(data.get("finding") or ""),
            status=data["status"],
            done_on=data.get("done_on") if data["status"] == ActionStatus.DONE else None,
            result=data.get("result", ""),
            id=data.get("id"),
        )


class ActionFormSet(forms.BaseFormSet):
    """The round's actions: a new row left empty is ignored; "Remove" removes a stored one."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this action")

    def rows(self) -> list[ActionContent]:
        rows = []
        for form in self.forms:
            deleting = self._should_delete_form(form)
            if deleting and not form.cleaned_data.get("id"):
                continue  # a new row ticked for removal: nothing to remove
            if not deleting and not form.has_changed():
                continue
            rows.append(form.content(delete=deleting))
        return rows


def action_formset(extra: int) -> type[ActionFormSet]:
    return forms.formset_factory(
        ActionForm,
        formset=ActionFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_ACTIONS,
        absolute_max=MAX_ACTIONS,
        validate_max=True,
    )


def action_rows(actions: Sequence[FollowUpAction]) -> list[dict[str, Any]]:
    return [
        {
            "id": action.pk,
            "what": action.what,
            "who": action.who,
            "due_date": action.due_date,
            "finding": str(action.finding_id or ""),
            "status": action.status,
            "done_on": action.done_on,
            "result": action.result,
        }
        for action in actions
    ]


class ActionUpdateForm(forms.Form):
    """How an action of an earlier round stands now."""

    status = _status_field()
    done_on = _date_field(_("Done on"), required=False, past=True)
    result = _text(_("What was done"), _max_length(FollowUpAction, "result"), rows=2)

    def __init__(self, *args: Any, action: FollowUpAction, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"carried-{action.pk}")
        kwargs.setdefault("initial", {"status": action.status, "done_on": action.done_on, "result": action.result})
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_done(self, cleaned)
        return cleaned
