"""Forms for staff editing. Every rule lives here or in the model's clean(); views only call them."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy as _

from .models import (
    TEXT_COMPONENTS,
    Charter,
    Clause,
    ClauseKind,
    ClauseParty,
    Facility,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceMethod,
    ServiceStandard,
)

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


class PublishForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the charter; it is agreed and may be published."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
