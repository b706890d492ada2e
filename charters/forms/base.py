"""What the charter forms share: the crispy helper and formsets over rows that freeze with their charter."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.forms import BaseInlineFormSet, ModelForm

from ..models import Charter, ImmutableCharterError
from ..services import Row


def refuse_if_frozen(charter: Charter | None) -> None:
    """A form error (the model's one message) when the stored charter may no longer change."""
    if charter is not None and charter.pk and not charter.is_editable:
        raise ImmutableCharterError(charter)


def form_helper(layout: Layout | None = None) -> FormHelper:
    # The page template owns the <form> tag: one form and its formsets are submitted together.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout is not None:
        helper.layout = layout
    return helper


def model_values(form: ModelForm) -> dict[str, Any]:
    """The model fields of a valid model form, as the services take them."""
    return {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}


class CharterDataFormSet(BaseInlineFormSet):
    """Inline formset over rows of a charter: refuses to change a charter that is not a draft, and
    hands the rows it keeps to the services as `Row`s (it saves nothing itself)."""

    def clean(self) -> None:
        super().clean()
        parent = self.instance
        refuse_if_frozen(parent if isinstance(parent, Charter) else getattr(parent, "charter", None))

    def rows(self) -> list[Row]:
        """The rows kept, in order: sorted by the ORDER column where there is one (a row without a
        number last), else as typed; deleted rows and untouched empty rows left out."""
        if self.can_order:
            forms = self.ordered_forms
        else:
            forms = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        rows = []
        for form in forms:
            values = model_values(form)
            values.pop(self.fk.name, None)  # the parent: the service sets it
            rows.append(Row(form.instance.pk, values))
        return rows
