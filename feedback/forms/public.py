"""The citizen's forms: sending a case, typing a tracking code, adding to a case, rating the answer.

Every field has a limit the browser shows (`maxlength`) and the server enforces; nothing here
saves anything: the views hand the cleaned data to `feedback.services`.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charter_site.forms import HoneypotMixin, SubmissionKeyMixin
from charters.models import ServiceStandard

from .. import services
from ..models import FeedbackKind, Rating

DESCRIPTION_MAX = 4000
COMMENT_MAX = 1000
PHONE_RE = re.compile(r"^[0-9 +\-()]+$")
PHONE_MIN_DIGITS = 6
ACCEPT_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class LongTextField(forms.CharField):
    """Text from a textarea. Browsers count a line break as one character against `maxlength`
    but send it as two (CR LF); counting it as one here too keeps the limits the same."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).replace("\r\n", "\n")


def one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def clean_attachment(upload: UploadedFile | None) -> UploadedFile | None:
    """The upload, once its content (not its name) shows a PDF, JPEG or PNG of at most 5 MB."""
    if upload:
        services.check_attachment(upload)
    return upload or None


class AttachmentForm(forms.Form):
    """A form with an optional photo or document (`attachment`), checked by its content."""

    attachment = forms.FileField(
        label=_("Photo or document (optional)"),
        required=False,
        help_text=_("A JPEG or PNG photo or a PDF document, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ACCEPT_FILES}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"] = self.fields.pop("attachment")  # after the subclass's fields

    def clean_attachment(self) -> UploadedFile | None:
        return clean_attachment(self.cleaned_data.get("attachment"))

    @property
    def lost_file(self) -> bool:
        """A good file was sent with a form that had other errors: browsers cannot show it again."""
        return (
            self.is_bound
            and bool(self.files.get(self.add_prefix("attachment")))
            and bool(self.errors)
            and "attachment" not in self.errors
        )


class FeedbackForm(HoneypotMixin, SubmissionKeyMixin, AttachmentForm):
    """A complaint, suggestion, compliment or question from a citizen, on the public site.

    `services`: the services of the facility's published charter; the form sends a service's
    slug, and `cleaned_data["service"]` is the `ServiceStandard` (or None).
    """

    kind = forms.ChoiceField(
        label=_("What do you want to tell us?"),
        choices=FeedbackKind.choices,
        initial=FeedbackKind.COMPLAINT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether this is a complaint, a suggestion, a compliment or a question.")},
    )
    service = forms.ChoiceField(
        label=_("Which service is it about? (optional)"),
        required=False,
        error_messages={
            "invalid_choice": _("This service is not in the facility's charter: choose one from the list, or none.")
        },
    )
    description = LongTextField(
        label=_("What happened?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say what happened, where and who was involved, and what you expected. "
            "Do not write your ID number or health details unless they are needed."
        ),
        error_messages={"required": _("Tell us what happened: this field cannot be empty.")},
    )
    occurred_on = forms.DateField(
        label=_("When did it happen? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, e.g. 2026-03-17.")},
    )
    anonymous = forms.BooleanField(
        label=_("Send it anonymously"),
        required=False,
        help_text=_(
            "Without a name, phone or e-mail address, you follow the case only with its tracking code, "
            "you get no e-mails, and the facility cannot ask you for details."
        ),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone or WhatsApp number (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send the answer and every change of status to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, services: list[ServiceStandard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = {service.slug: service for service in services}
        self.fields["service"].choices = [("", _("Not about one service")), *((s.slug, s.name) for s in services)]
        today = timezone.localdate()
        self.fields["occurred_on"].widget.attrs.update(
            {"min": one_year_before(today).isoformat(), "max": today.isoformat()}
        )

    def clean_service(self) -> ServiceStandard | None:
        slug = self.cleaned_data["service"]
        return self.services[slug] if slug else None

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if phone and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < PHONE_MIN_DIGITS):
            raise ValidationError(
                _("Enter a phone number of at least 6 digits; only digits, spaces, +, - and brackets are allowed."),
                code="invalid_phone",
            )
        return phone

    def clean_occurred_on(self) -> datetime.date | None:
        day = self.cleaned_data["occurred_on"]
        if day is None:
            return None
        today = timezone.localdate()
        if day > today:
            raise ValidationError(_("This date is in the future."), code="future")
        if day < one_year_before(today):
            raise ValidationError(
                _("We accept cases from the last 12 months; for older matters, please contact the facility directly."),
                code="too_old",
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("anonymous") and any(cleaned.get(field) for field in ("name", "phone", "email")):
            self.add_error(
                "anonymous",
                ValidationError(
                    _(
                        "You chose to stay anonymous but gave a name, phone or e-mail address: "
                        "leave them empty or untick this box."
                    ),
                    code="anonymous_with_contact",
                ),
            )
        return cleaned


class TrackForm(forms.Form):
    """The tracking code as the citizen types it; the view reads it with `codes.candidates`."""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_(
            "As on your receipt, e.g. SKO-7F3K-9QH2. Small letters, missing dashes and look-alikes "
            "(0 for O, 1 for I or L) are fine."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "class": "track-code"}
        ),
        error_messages={"required": _("Type the tracking code from your receipt.")},
    )


class InformationForm(AttachmentForm):
    """More information from the citizen on a case that is not finished."""

    text = LongTextField(
        label=_("What do you want to add?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what you want to add.")},
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Your rating"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose satisfied or not satisfied.")},
    )
    comment = LongTextField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
