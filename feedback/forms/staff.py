"""The facility staff's forms: the inbox's filters, the actions on a case, a case entered on a
citizen's behalf, the figures' period and the complaint settings.

The forms only validate; the views hand the cleaned data to `feedback.services`, which checks
again who may do what, under the case's row lock.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, ngettext

from charter_site.proxies import Network
from charters.models import AgreementDecision, CharterStatus, ComplaintClass, ComplaintNorms, Facility, ServiceStandard

from .. import reports
from ..models import Case, CaseStatus, Channel, FacilityHoliday, FeedbackKind, FeedbackSettings
from ..waiting_room import parse_networks
from .dates import DateRangeForm
from .public import DESCRIPTION_MAX, AttachmentForm, FeedbackForm, LongTextField, clean_attachment

FIGURES_DEFAULT_DAYS = 90


def user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def facility_staff(facility: Facility, *, also: Any = None) -> QuerySet[Any]:
    """Active staff of the facility, plus `also` (a user id: the current assignee, who may have left)."""
    who = Q(memberships__facility=facility, is_active=True)
    if also:
        who |= Q(pk=also)
    return get_user_model().objects.filter(who).distinct().order_by("first_name", "last_name", "username")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


# --- The inbox ---------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    """The inbox's filters, sent by GET. A value that is not among the choices is reported next
    to its field and ignored: the list shows what the valid filters select."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Tracking code, words from the description, or the citizen's name."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), (reports.OPEN, _("Open (waiting for the facility)")), *CaseStatus.choices],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *FeedbackKind.choices])
    service = forms.ChoiceField(label=_("Service"), required=False)
    deadline = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("Any deadline")),
            (reports.OVERDUE, _("Overdue")),
            (reports.DUE_SOON, _("Due by the next working day")),
        ],
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("due", _("Due date, earliest first")),
            ("status", _("Status")),
        ],
    )

    def __init__(self, *args: Any, service_names: list[str], staff: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Any service")), *((name, name) for name in service_names)]
        self.fields["assignee"].choices = [
            ("", _("Anyone or nobody")),
            (reports.ME, _("Me")),
            (reports.NOBODY, _("Nobody yet")),
            *((str(user.pk), user_label(user)) for user in staff),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid values; an invalid one is left out (and its error shown)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


# --- Actions on a case -------------------------------------------------------------------------


def _text_field(label: Any, *, required: bool = True, rows: int = 4, help_text: Any = "", **kwargs: Any) -> Any:
    return LongTextField(
        label=label,
        required=required,
        max_length=DESCRIPTION_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class StartForm(forms.Form):
    """Start handling: nothing to type."""


class ReplyForm(AttachmentForm):
    text = _text_field(
        _("Answer to the citizen"),
        rows=6,
        error_messages={"required": _("Write the answer.")},
    )


class CloseForm(forms.Form):
    text = _text_field(
        _("Closing remark (optional)"),
        required=False,
        rows=2,
        help_text=_("Shown to the citizen with the change of status."),
    )


class RejectForm(forms.Form):
    reason = _text_field(
        _("Reason for rejecting"),
        rows=3,
        help_text=_("E.g. spam, or not about this facility's services. The citizen sees this reason."),
        error_messages={"required": _("Give the reason for rejecting the case.")},
    )


STEP_FORMS: dict[str, type[forms.Form]] = {
    "start": StartForm,
    "reply": ReplyForm,
    "close": CloseForm,
    "reject": RejectForm,
}


class NoteForm(AttachmentForm):
    text = _text_field(
        _("What colleagues should know"),
        help_text=_("For staff only: never shown to the citizen."),
        error_messages={"required": _("Write the note.")},
    )


class AssignForm(forms.Form):
    assignee = StaffChoiceField(
        label=_("Assigned to"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignee": case.assignee_id})
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = facility_staff(case.facility, also=case.assignee_id)


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceStandard) -> str:
        if obj.charter.status != CharterStatus.PUBLISHED:
            return str(_("%(name)s (earlier charter version)") % {"name": obj.name})
        return obj.name


def reclassify_services(case: Case) -> QuerySet[ServiceStandard]:
    """The services of the charter in force, and the case's own service (which may be older)."""
    in_force = Q(charter__facility_id=case.facility_id, charter__status=CharterStatus.PUBLISHED) & ~Q(
        agreement=AgreementDecision.DEFERRED
    )
    if case.service_id:
        in_force |= Q(pk=case.service_id)
    return ServiceStandard.objects.filter(in_force).select_related("charter").order_by("position", "name", "id")


def class_label(label: str, days: int) -> str:
    return ngettext("%(class)s: %(days)s working day", "%(class)s: %(days)s working days", days) % {
        "class": label,
        "days": days,
    }


class ReclassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    complaint_class = forms.ChoiceField(
        label=_("Class"),
        help_text=_("Sets the deadline: counted again from the day the case was received (or reopened)."),
    )
    service = ServiceChoiceField(
        label=_("Service"),
        queryset=ServiceStandard.objects.none(),
        required=False,
        empty_label=_("Not about one service"),
    )

    def __init__(self, *args: Any, case: Case, norms: ComplaintNorms, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"kind": case.kind, "complaint_class": case.complaint_class, "service": case.service_id}
        )
        super().__init__(*args, **kwargs)
        self.fields["complaint_class"].choices = [
            (value, class_label(label, norms.working_days_for(value))) for value, label in ComplaintClass.choices
        ]
        self.fields["service"].queryset = reclassify_services(case)


class AttachForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A JPEG or PNG photo or a PDF document, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={"required": _("Choose a file to attach.")},
    )
    public = forms.BooleanField(
        label=_("Show this file to the citizen"),
        required=False,
        help_text=_("Leave unticked for an internal document."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        clean_attachment(upload)
        return upload

    @property
    def lost_file(self) -> bool:
        """A good file was sent with a form that had other errors: browsers cannot show it again."""
        return bool(self.files.get(self.add_prefix("file"))) and bool(self.errors) and "file" not in self.errors


# --- A case entered on a citizen's behalf ------------------------------------------------------


class IntakeForm(FeedbackForm):
    """What a citizen said by phone, in person, in the complaints box…: the public form's fields
    and rules, worded for staff, with the channel it came through."""

    channel = forms.ChoiceField(
        label=_("How did it reach the facility?"),
        choices=[("", "---------"), *((value, label) for value, label in Channel.choices if value != Channel.WEB)],
        error_messages={
            "required": _("Choose how the citizen reached the facility."),
            "invalid_choice": _("Choose one of the channels in the list."),
        },
    )

    field_order = ["channel", "kind", "service", "description", "occurred_on", "anonymous", "name", "phone", "email"]

    def __init__(self, *args: Any, services: list[ServiceStandard], **kwargs: Any) -> None:
        super().__init__(*args, services=services, **kwargs)
        del self.fields["website"]  # staff are not robots: no honeypot
        relabel = {
            "kind": _("Kind"),
            "service": _("Which service is it about? (optional)"),
            "description": _("What the citizen said"),
            "anonymous": _("The citizen wants to stay anonymous"),
            "name": _("The citizen's name (optional)"),
            "phone": _("The citizen's phone or WhatsApp number (optional)"),
            "email": _("The citizen's e-mail address (optional)"),
        }
        for name, label in relabel.items():
            self.fields[name].label = label
        self.fields["description"].help_text = _(
            "In the citizen's words as far as possible: what happened, where, who was involved, what they expected."
        )
        self.fields["anonymous"].help_text = _(
            "No name, phone or e-mail address is kept; the citizen follows the case with its tracking code only."
        )
        self.fields["email"].help_text = _(
            "The citizen gets the receipt, the answer and every change of status at this address."
        )

    @property
    def is_spam(self) -> bool:
        return False


# --- Figures -----------------------------------------------------------------------------------


class FiguresForm(DateRangeForm):
    """The period of the figures, `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both days included)."""

    @staticmethod
    def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        today = today or timezone.localdate()
        return today - datetime.timedelta(days=FIGURES_DEFAULT_DAYS - 1), today

    def period(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        """The period asked for; the default (the last 90 days) when the dates are missing or wrong."""
        default_start, default_end = self.default_period(today)
        if not self.is_bound or not self.is_valid():
            return default_start, default_end
        end = self.cleaned_data.get("to") or default_end
        start = self.cleaned_data.get("from") or min(default_start, end)
        return start, end


# --- Settings ----------------------------------------------------------------------------------


class FeedbackSettingsForm(forms.ModelForm):
    """The head's settings. `current_address`: the address the head's request came from, the one
    entry outside the public Internet that the waiting-room network may hold (a site reached
    over a private network sees its visitors' private addresses)."""

    class Meta:
        model = FeedbackSettings
        fields = ["saturday_is_working_day", "code_prefix", "survey_once_per_device", "waiting_room_networks"]
        widgets = {"waiting_room_networks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, current_address: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_address = current_address
        self.fields["code_prefix"].widget.attrs.update(
            {"maxlength": 3, "autocapitalize": "characters", "spellcheck": "false"}
        )
        self.fields["waiting_room_networks"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false", "dir": "ltr"}
        )

    def clean_code_prefix(self) -> str:
        return (self.cleaned_data.get("code_prefix") or "").strip().upper()

    def clean_waiting_room_networks(self) -> str:
        """One network a line, as `ipaddress` writes it (a single address without its /32 or /128)."""
        text = self.cleaned_data.get("waiting_room_networks") or ""
        return "\n".join(_written(network) for network in parse_networks(text, seen_from=self.current_address))


def _written(network: Network) -> str:
    return str(network.network_address) if network.prefixlen == network.max_prefixlen else str(network)


class HolidayForm(forms.ModelForm):
    class Meta:
        model = FacilityHoliday
        fields = ["date", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"name": _("E.g. a regional holiday, or cuti bersama not yet in the national list.")}
        error_messages = {"date": {"invalid": _("Enter a date, e.g. 2026-03-17.")}}

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.facility = facility
        self.instance.facility = facility

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if FacilityHoliday.objects.filter(facility=self.facility, date=day).exists():
            raise ValidationError(_("This day is already one of the facility's holidays."), code="duplicate")
        return day


class HolidayDeleteForm(forms.Form):
    holiday = forms.ModelChoiceField(
        queryset=FacilityHoliday.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This holiday was already removed.")},
    )

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holiday"].queryset = FacilityHoliday.objects.filter(facility=facility)


class SettingsActionForm(forms.Form):
    """Which of the settings page's forms was sent (the name of its button)."""

    SETTINGS, ADD_HOLIDAY, DELETE_HOLIDAY = "settings", "add_holiday", "delete_holiday"
    action = forms.ChoiceField(
        choices=[(SETTINGS, SETTINGS), (ADD_HOLIDAY, ADD_HOLIDAY), (DELETE_HOLIDAY, DELETE_HOLIDAY)],
        widget=forms.HiddenInput,
    )
