"""The filters of a facility's audit trail, sent by GET: person, kind and days."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.forms.dates import DateRangeForm

from .models import Kind


class TrailFilterForm(DateRangeForm):
    person = forms.ChoiceField(label=_("Person"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Every kind")), *Kind.choices])

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Everyone")), *((str(pk), label) for pk, label in people)]
        self.order_fields(["person", "kind", "from", "to"])
