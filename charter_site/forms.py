"""Form pieces that both apps' public forms share."""

from __future__ import annotations

import re
import secrets

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


SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class SubmissionKeyMixin(forms.Form):
    """A random key drawn into the form when it is shown, so that the same form sent twice (the
    answer to the first was lost, or the citizen pressed "Send again" on the 503 page) is stored
    once: the services look the key up before storing, and a unique constraint decides a race.
    Invisible, so never an error: a missing or malformed key is just no key. Drawn by
    `templates/includes/_honeypot.html` with the honeypot."""

    submission = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_submission_key)

    def clean_submission(self) -> str:
        value = self.cleaned_data.get("submission") or ""
        return value if SUBMISSION_KEY.match(value) else ""
