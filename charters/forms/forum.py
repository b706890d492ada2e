"""The stakeholder forum: meetings, participants, scans of the minutes, the decision on each service."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from crispy_forms.layout import Div, Layout
from django import forms
from django.forms import inlineformset_factory, modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    AgreementDecision,
    Charter,
    MeetingAttachment,
    MeetingParticipant,
    ParticipantGroup,
    ServiceStandard,
    StakeholderMeeting,
)
from ..services import Decision
from ..uploads import IMAGE_TOO_LARGE, MAX_MEETING_FILE_SIZE, FileKind, detect_kind, image_too_large, looks_like_program
from .base import CharterDataFormSet, form_helper, refuse_if_frozen


class StakeholderMeetingForm(forms.ModelForm):
    class Meta:
        model = StakeholderMeeting
        fields = ["date", "place", "agenda", "minutes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "place": _("E.g. the health centre's hall, or the village hall of Soko."),
            "minutes": _("What was discussed and agreed (berita acara). Attach the signed scan below."),
        }

    def __init__(self, *args: Any, charter: Charter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.charter = charter
        self.instance.charter = charter
        self.helper = form_helper(
            Layout(
                Div(Div("date", css_class="col-md-4"), Div("place", css_class="col-md-8"), css_class="row"),
                "agenda",
                "minutes",
            )
        )

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        # Signatures are evidence of a meeting that took place, not of one planned.
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("The meeting date cannot be in the future: record a meeting once it has taken place.")
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refuse_if_frozen(self.charter)
        return cleaned


class MeetingParticipantForm(forms.ModelForm):
    class Meta:
        model = MeetingParticipant
        fields = ["name", "organisation", "group", "position", "signed"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Choose a group")), *ParticipantGroup.choices]


MeetingParticipantFormSet = inlineformset_factory(
    StakeholderMeeting,
    MeetingParticipant,
    form=MeetingParticipantForm,
    formset=CharterDataFormSet,
    extra=5,
    can_delete=True,
    max_num=300,
    validate_max=True,
)


class MeetingAttachmentForm(forms.ModelForm):
    """A scan or photo of the minutes or the attendance list, accepted by what it contains."""

    class Meta:
        model = MeetingAttachment
        fields = ["file", "description"]
        labels = {"file": _("Scan or photo")}
        help_texts = {
            "file": _("Of the signed minutes or the attendance list: a PDF, JPEG or PNG file of at most 10 MB."),
            "description": _("E.g. attendance list, page 1."),
        }

    def __init__(self, *args: Any, meeting: StakeholderMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.instance.meeting = meeting
        self.kind: FileKind | None = None
        self.original_name = ""
        # Only a hint for the browser's file picker; clean_file decides.
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        self.helper = form_helper()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_MEETING_FILE_SIZE:
            raise forms.ValidationError(
                _("This file is larger than 10 MB. Scan at a lower resolution, or in several files."),
                code="too_large",
            )
        kind = detect_kind(upload)
        if kind is None:
            if looks_like_program(upload):
                raise forms.ValidationError(
                    _("“%(name)s” is a program, not a scan or a photo: it cannot be attached."),
                    code="program",
                    params={"name": upload.name},
                )
            raise forms.ValidationError(
                _(
                    "“%(name)s” is not a PDF, JPEG or PNG file, whatever its name says. "
                    "Attach a scan or photo in one of these formats."
                ),
                code="wrong_type",
                params={"name": upload.name},
            )
        if image_too_large(upload, kind):
            raise forms.ValidationError(IMAGE_TOO_LARGE, code="image_too_large")
        self.kind = kind
        self.original_name = upload.name
        # Stored under a name of our own: the sender's name may say anything.
        upload.name = f"{uuid4().hex}.{kind.extension}"
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refuse_if_frozen(self.meeting.charter)
        return cleaned


class ServiceDecisionForm(forms.ModelForm):
    """The stakeholder forum's decision on one service."""

    class Meta:
        model = ServiceStandard
        fields = ["agreement", "agreement_note"]
        widgets = {"agreement": forms.RadioSelect, "agreement_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = [("", _("Not decided yet")), *AgreementDecision.choices]
        self.fields["agreement"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        changed = cleaned.get("agreement") == AgreementDecision.AGREED_WITH_CHANGES
        if changed and not (cleaned.get("agreement_note") or "").strip():
            self.add_error("agreement_note", _("Say what the forum changed in this service."))
        return cleaned


class BaseServiceDecisionFormSet(forms.BaseModelFormSet):
    """Every service of one charter with its decision; no service is added or removed here."""

    def __init__(self, *args: Any, charter: Charter, **kwargs: Any) -> None:
        self.charter = charter
        kwargs.setdefault("queryset", charter.services.order_by("position", "id"))
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        refuse_if_frozen(self.charter)
        # A row whose service is not (or no longer) one of this charter's: removed meanwhile, or forged.
        if any(form.instance.pk is None for form in self.initial_forms):
            raise forms.ValidationError(
                _(
                    "The list of services changed while you were editing. "
                    "Reload the page and record the decisions again."
                ),
                code="stale",
            )

    def decisions(self) -> list[Decision]:
        """The decision on each service, as `services.record_decisions` takes them."""
        return [
            Decision(form.instance.pk, form.cleaned_data["agreement"], form.cleaned_data["agreement_note"])
            for form in self.initial_forms
            if form.instance.pk
        ]


ServiceDecisionFormSet = modelformset_factory(
    ServiceStandard,
    form=ServiceDecisionForm,
    formset=BaseServiceDecisionFormSet,
    extra=0,
    edit_only=True,
)
