"""The facility profile, the charter's own text (pledge, rights and obligations), the lifecycle steps' forms."""

from __future__ import annotations

from typing import Any

from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ..models import (
    Charter,
    Clause,
    ClauseKind,
    ClauseParty,
    ComplaintNorms,
    Facility,
)
from .base import CharterDataFormSet, form_helper, refuse_if_frozen


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
            "whatsapp",
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
        self.helper = form_helper(
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
                        Div("phone", css_class="col-md-6"),
                        Div("whatsapp", css_class="col-md-6"),
                        Div("email", css_class="col-md-6"),
                        Div("website", css_class="col-md-6"),
                        css_class="row",
                    ),
                ),
                Fieldset(_("Vision and mission"), "vision", "mission"),
            )
        )


class CharterForm(forms.ModelForm):
    class Meta:
        model = Charter
        fields = [
            "pledge",
            "complaint_info",
            "light_days",
            "normative_days",
            "simple_days",
            "investigative_days",
            "effective_date",
            "review_due_date",
        ]
        widgets = {
            "pledge": forms.Textarea(attrs={"rows": 4}),
            "complaint_info": forms.Textarea(attrs={"rows": 4}),
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        refuse_if_frozen(self.instance)
        return super().clean()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pledge"].required = True
        self.helper = form_helper(
            Layout(
                "pledge",
                "complaint_info",
                Fieldset(
                    _("Time norms for complaints, in working days"),
                    Div(
                        *(Div(field, css_class="col-6 col-md-3") for field in ComplaintNorms.FIELDS.values()),
                        css_class="row",
                    ),
                    css_class="complaint-norms",
                ),
                Div(
                    Div("effective_date", css_class="col-md-6"),
                    Div("review_due_date", css_class="col-md-6"),
                    css_class="row",
                ),
            )
        )


class ClauseForm(forms.ModelForm):
    class Meta:
        model = Clause
        fields = ["party", "kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class BaseClauseFormSet(CharterDataFormSet):
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
