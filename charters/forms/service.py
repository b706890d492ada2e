"""One service standard with its lists (requirements, procedure, opening hours), and its place in the charter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy as _

from ..models import (
    TEXT_COMPONENTS,
    Charter,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceMethod,
    ServiceStandard,
)
from ..services import ServiceContent
from .base import CharterDataFormSet, model_values, refuse_if_frozen

# Addresses the staff URLs use beside a service's own (…/services/add/).
RESERVED_SERVICE_SLUGS = frozenset({"add"})


def _list_formset(model: type[Any], widget: forms.Widget) -> type[CharterDataFormSet]:
    """An ordered list of one-line texts under a service (requirements, procedure steps)."""
    return inlineformset_factory(
        ServiceStandard,
        model,
        formset=CharterDataFormSet,
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

    def content(self, requirements: Any, steps: Any, schedule: Any) -> ServiceContent:
        """What was typed, valid, as `services.save_service` takes it."""
        return ServiceContent(model_values(self), requirements.rows(), steps.rows(), schedule.rows())

    @property
    def delivery_component_fields(self) -> list[forms.BoundField]:
        return [self[c.field] for c in TEXT_COMPONENTS if c.delivery]

    @property
    def management_component_fields(self) -> list[forms.BoundField]:
        return [self[c.field] for c in TEXT_COMPONENTS if not c.delivery]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refuse_if_frozen(self.charter)
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


def conflicting_changes(current: ServiceStandard, form: Any, formsets: list[Any]) -> list[tuple[str, str, str]]:
    """[(what, as saved by the other editor, as typed here)] where the two differ."""
    changes = []
    for name, field in form.fields.items():
        if name in {"base_revision", "slug"} or name not in form.cleaned_data:
            continue
        saved, typed = getattr(current, name), form.cleaned_data[name]
        if saved != typed and not (saved in (None, "") and typed in (None, "")):
            changes.append((str(field.label), _display(field, saved), _display(field, typed)))
    lists = (
        (gettext("Requirements"), [r.text for r in current.requirements.all()]),
        (gettext("Procedure"), [s.text for s in current.steps.all()]),
        (gettext("Opening hours"), [str(slot) for slot in current.schedule_slots.all()]),
    )
    for (label, saved_items), formset in zip(lists, formsets, strict=True):
        typed_items = [str(obj) if label == gettext("Opening hours") else obj.text for obj in _typed_rows(formset)]
        if saved_items != typed_items:
            changes.append((str(label), "; ".join(saved_items), "; ".join(typed_items)))
    return changes


def _typed_rows(formset: Any) -> list[Any]:
    forms = formset.ordered_forms if formset.can_order else formset.forms
    rows = []
    for form in forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append(form.instance)
    return (
        sorted(rows, key=lambda r: (getattr(r, "weekday", 0), getattr(r, "opens", None) or 0))
        if not formset.can_order
        else rows
    )


def _display(field: Any, value: Any) -> str:
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if value in (None, ""):
        return "—"
    return str(choices.get(value, value))
