"""Forms for staff editing. Every rule lives here or in the model's clean(); views only call them."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory, modelformset_factory
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy as _

from .models import (
    TEXT_COMPONENTS,
    AgreementDecision,
    Charter,
    Clause,
    ClauseKind,
    ClauseParty,
    Facility,
    MeetingAttachment,
    MeetingParticipant,
    ParticipantGroup,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceMethod,
    ServiceStandard,
    StakeholderMeeting,
)
from .uploads import MAX_ATTACHMENT_SIZE, FileKind, detect_kind, looks_like_program

# Addresses the staff URLs use beside a service's own (…/services/add/).
RESERVED_SERVICE_SLUGS = frozenset({"add"})


def _refuse_if_not_draft(charter: Charter | None) -> None:
    if charter is not None and charter.pk and not charter.is_editable:
        raise forms.ValidationError(
            _("This charter version is no longer a draft and cannot be changed."), code="immutable"
        )


def _helper(layout: Layout | None = None) -> FormHelper:
    # The page template owns the <form> tag: one form and its formsets are submitted together.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout is not None:
        helper.layout = layout
    return helper


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = [
            "name",
            "kind",
            "address",
            "village",
            "district",
            "regency",
            "province",
            "phone",
            "email",
            "website",
            "head_name",
            "head_title",
            "vision",
            "mission",
        ]
        widgets = {"vision": forms.Textarea(attrs={"rows": 3}), "mission": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                Fieldset(
                    _("Facility"),
                    "name",
                    "kind",
                    Div(
                        Div("head_name", css_class="col-md-6"), Div("head_title", css_class="col-md-6"), css_class="row"
                    ),
                ),
                Fieldset(
                    _("Address and contact"),
                    "address",
                    Div(Div("village", css_class="col-md-6"), Div("district", css_class="col-md-6"), css_class="row"),
                    Div(Div("regency", css_class="col-md-6"), Div("province", css_class="col-md-6"), css_class="row"),
                    Div(
                        Div("phone", css_class="col-md-4"),
                        Div("email", css_class="col-md-4"),
                        Div("website", css_class="col-md-4"),
                        css_class="row",
                    ),
                ),
                Fieldset(_("Vision and mission"), "vision", "mission"),
            )
        )


class CharterForm(forms.ModelForm):
    class Meta:
        model = Charter
        fields = ["pledge", "complaint_info", "effective_date", "review_due_date"]
        widgets = {
            "pledge": forms.Textarea(attrs={"rows": 4}),
            "complaint_info": forms.Textarea(attrs={"rows": 4}),
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        _refuse_if_not_draft(self.instance)
        return super().clean()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pledge"].required = True
        self.helper = _helper(
            Layout(
                "pledge",
                "complaint_info",
                Div(
                    Div("effective_date", css_class="col-md-6"),
                    Div("review_due_date", css_class="col-md-6"),
                    css_class="row",
                ),
            )
        )


class CharterDataFormSet(BaseInlineFormSet):
    """Inline formset over rows of a charter: refuses to change a charter that is not a draft."""

    def clean(self) -> None:
        super().clean()
        parent = self.instance
        _refuse_if_not_draft(parent if isinstance(parent, Charter) else getattr(parent, "charter", None))


class OrderedInlineFormSet(CharterDataFormSet):
    """Inline formset whose rows keep the order typed in the ORDER column (blank keeps row order)."""

    def save(self, commit: bool = True) -> list[Any]:
        super().save(commit=False)  # sets the parent on new rows and collects deletions
        for obj in self.deleted_objects:
            obj.delete()
        # ordered_forms: the kept, non-empty rows sorted by ORDER, rows without a number last.
        kept = [form.instance for form in self.ordered_forms]
        for position, obj in enumerate(kept, start=1):
            obj.position = position
            obj.save()
        return kept


def _list_formset(model: type[Any], widget: forms.Widget) -> type[OrderedInlineFormSet]:
    """An ordered list of one-line texts under a service (requirements, procedure steps)."""
    return inlineformset_factory(
        ServiceStandard,
        model,
        formset=OrderedInlineFormSet,
        fields=["text"],
        extra=3,
        can_order=True,
        can_delete=True,
        max_num=50,
        validate_max=True,
        widgets={"text": widget},
    )


RequirementFormSet = _list_formset(Requirement, forms.TextInput())
ProcedureStepFormSet = _list_formset(ProcedureStep, forms.Textarea(attrs={"rows": 2}))


class ScheduleSlotForm(forms.ModelForm):
    class Meta:
        model = ScheduleSlot
        fields = ["weekday", "opens", "closes"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class BaseScheduleFormSet(CharterDataFormSet):
    def clean(self) -> None:
        super().clean()
        ranges: dict[int, list[tuple[Any, Any, forms.Form]]] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            day, opens, closes = (form.cleaned_data.get(k) for k in ("weekday", "opens", "closes"))
            if day is None or opens is None or closes is None or closes <= opens:
                continue
            for other_opens, other_closes, _other in ranges.get(day, []):
                if opens < other_closes and other_opens < closes:
                    form.add_error("opens", gettext("These hours overlap another period on the same day."))
                    break
            ranges.setdefault(day, []).append((opens, closes, form))


ScheduleSlotFormSet = inlineformset_factory(
    ServiceStandard,
    ScheduleSlot,
    form=ScheduleSlotForm,
    formset=BaseScheduleFormSet,
    extra=2,
    can_delete=True,
    max_num=42,
    validate_max=True,
)


class ClauseForm(forms.ModelForm):
    class Meta:
        model = Clause
        fields = ["party", "kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class BaseClauseFormSet(OrderedInlineFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Empty rows come pre-set to each party and kind, in the order citizens read them.
        combos = [(p, k) for p in ClauseParty.values for k in ClauseKind.values]
        for form, (party, kind) in zip(self.extra_forms, combos, strict=False):
            form.initial.update({"party": party, "kind": kind})


ClauseFormSet = inlineformset_factory(
    Charter,
    Clause,
    form=ClauseForm,
    formset=BaseClauseFormSet,
    extra=4,
    can_order=True,
    can_delete=True,
    max_num=100,
    validate_max=True,
)


class ServiceStandardForm(forms.ModelForm):
    methods = forms.MultipleChoiceField(
        label=_("How the service is delivered"),
        choices=ServiceMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way the service is delivered.")},
    )
    # The revision the editor started from; a save from an older one is refused (optimistic locking).
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = ServiceStandard
        fields = [
            "name",
            "slug",
            "category",
            "description",
            "methods",
            "schedule_note",
            "duration_value",
            "duration_unit",
            "duration_note",
            "fee_is_free",
            "fee_amount",
            "fee_note",
            "fee_legal_basis",
            *(c.field for c in TEXT_COMPONENTS),
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "fee_note": forms.Textarea(attrs={"rows": 2}),
            **{c.field: forms.Textarea(attrs={"rows": 2}) for c in TEXT_COMPONENTS},
        }

    def __init__(self, *args: Any, charter: Charter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.charter = charter
        self.instance.charter = charter
        self.fields["base_revision"].initial = self.instance.revision
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make it from the name. Used in the service's public address.")
        self.fields["duration_value"].required = True
        self.fields["duration_value"].error_messages["required"] = _("Enter how long the service takes.")
        self.fields["duration_value"].error_messages["min_value"] = _("The duration must be at least 1.")
        self.fields["fee_amount"].error_messages["min_value"] = _("The fee cannot be negative.")
        self.fields["duration_value"].min_value = 1
        self.fields["duration_value"].widget.attrs["min"] = 1
        self.fields["fee_amount"].widget.attrs.update({"min": 0, "step": 500, "inputmode": "numeric"})
        for component in TEXT_COMPONENTS:
            self.fields[component.field].label = f"{component.number}. {component.label}"

    @property
    def delivery_component_fields(self) -> list[forms.BoundField]:
        return [self[c.field] for c in TEXT_COMPONENTS if c.delivery]

    @property
    def management_component_fields(self) -> list[forms.BoundField]:
        return [self[c.field] for c in TEXT_COMPONENTS if not c.delivery]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _refuse_if_not_draft(self.charter)
        # A draft may be saved without a fee only by saying it is free; `publish_problems()` re-checks.
        if not cleaned.get("fee_is_free") and cleaned.get("fee_amount") is None and "fee_amount" not in self.errors:
            self.add_error("fee_amount", _("Enter the fee in rupiah, or tick “free of charge”."))
        return cleaned

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        if not slug:
            slug = slugify(self.cleaned_data.get("name") or self.data.get(self.add_prefix("name"), ""))[:80]
        if not slug:
            raise forms.ValidationError(_("Enter a web address name of letters, digits and hyphens."))
        if slug in RESERVED_SERVICE_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is reserved for the site's own pages; choose another address."), params={"slug": slug}
            )
        taken = self.charter.services.filter(slug=slug).exclude(pk=self.instance.pk).exists()
        if taken:
            raise forms.ValidationError(
                _("Another service of this charter already uses the address “%(slug)s”."), params={"slug": slug}
            )
        return slug


class MoveServiceForm(forms.Form):
    direction = forms.TypedChoiceField(choices=[("-1", "up"), ("1", "down")], coerce=int)


class TransitionForm(forms.Form):
    """A step of the lifecycle, with an optional comment kept in the version's history."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublishForm(TransitionForm):
    effective_date = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today. A later day keeps the current charter public until then."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the charter; it is agreed and may be published."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    field_order = ["effective_date", "confirm", "comment"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


# --- The stakeholder forum: meetings, participants, scans of the minutes, decisions ---------


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
        self.helper = _helper(
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
        _refuse_if_not_draft(self.charter)
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
        self.helper = _helper()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_SIZE:
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
        self.kind = kind
        self.original_name = upload.name
        # Stored under a name of our own: the sender's name may say anything.
        upload.name = f"{uuid4().hex}.{kind.extension}"
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _refuse_if_not_draft(self.meeting.charter)
        return cleaned

    def save(self, commit: bool = True, *, uploaded_by: Any = None) -> MeetingAttachment:
        assert self.kind is not None, "save() is called on a valid form only"
        attachment = super().save(commit=False)
        attachment.original_name = self.original_name
        attachment.content_type = self.kind.content_type
        attachment.size = self.cleaned_data["file"].size
        attachment.uploaded_by = uploaded_by
        if commit:
            attachment.save()
        return attachment


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
        _refuse_if_not_draft(self.charter)
        # A row whose service is not (or no longer) one of this charter's: removed meanwhile, or forged.
        if any(form.instance.pk is None for form in self.initial_forms):
            raise forms.ValidationError(
                _(
                    "The list of services changed while you were editing. "
                    "Reload the page and record the decisions again."
                ),
                code="stale",
            )

    def save(self, commit: bool = True) -> list[ServiceStandard]:
        # Only the decision is written: the service's content, and the revision that guards
        # it against two editors' saves, stay as they are.
        saved = [form.instance for form in self.initial_forms if form.instance.pk and form.has_changed()]
        if commit:
            for service in saved:
                service.save(update_fields=["agreement", "agreement_note", "updated_at"])
        return saved


ServiceDecisionFormSet = modelformset_factory(
    ServiceStandard,
    form=ServiceDecisionForm,
    formset=BaseServiceDecisionFormSet,
    extra=0,
    edit_only=True,
)


# --- The public consultation -----------------------------------------------------------------


class ConsultationCommentForm(forms.Form):
    """A citizen's comment on a draft in consultation: on one service (its slug) or, with an
    empty `service`, on the charter as a whole."""

    service = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    author_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        help_text=_("Shown with the facility's reply. Leave it empty to comment anonymously."),
    )
    text = forms.CharField(label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    # The honeypot: hidden from people by CSS, filled in by robots that fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, services: list[ServiceStandard], **kwargs: Any) -> None:
        self.services = {service.slug: service for service in services}
        super().__init__(*args, **kwargs)
        self.auto_id = f"comment-{self.target_slug() or 'charter'}-%s"

    def target_slug(self) -> str:
        """The slug of the service commented on, or "" for the whole charter or an unknown slug."""
        slug = self.data.get("service", "") if self.is_bound else self.initial.get("service", "")
        return slug if slug in self.services else ""

    def clean_service(self) -> ServiceStandard | None:
        slug = self.cleaned_data["service"]
        if not slug:
            return None
        if slug not in self.services:
            raise forms.ValidationError(
                _("This service is not part of the draft: please comment on the charter as a whole."),
                code="unknown_service",
            )
        return self.services[slug]

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class CommentReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown publicly with the name the author gave; the comment itself stays with the staff."),
    )
