"""Form pieces that both apps' public forms share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotMixin(forms.Form):
    """A field that people never see and robots that fill every field do fill in: a form sent
    with it filled `is_spam`. The view then pretends success and keeps nothing, so the robot
    learns nothing. Draw the field with `templates/includes/_honeypot.html`."""

    # Only whether it was filled is kept, so even an over-long value is no error nobody would see.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "maxlength": 200}),
    )

    def clean_website(self) -> bool:
        return bool(self.cleaned_data["website"])

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
