"""A period chosen by GET, `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both days included, both optional)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models.survey import plausible_date


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        validators=[plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, e.g. 2026-03-17.")},
    )


class DateRangeForm(forms.Form):
    """`from` and `to`, first among the form's fields; an end before the start is an error on `to`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are added here rather than declared.
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("To"))
        self.order_fields(["from", "to"])

    def filters(self) -> dict[str, Any]:
        """The valid filters; one with an error is left out (and shown next to its field)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", ValidationError(_("The end date is before the start date."), code="reversed"))
        return cleaned
