from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SignInCodeForm(forms.Form):
    """The second step of signing in: a code of the authenticator app, or a backup code."""

    # The field's name is in AXES_SENSITIVE_PARAMETERS: a wrong code is not stored with the attempt.
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}),
    )


class SetupCodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordAgainForm(forms.Form):
    """Turning two-factor off asks for the password again. It goes through `authenticate`, so a
    wrong password here counts towards the sign-in pause like one on the login page."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        signed_in = authenticate(self.request, username=user.get_username(), password=password)
        if signed_in is None or signed_in.pk != user.pk:
            raise forms.ValidationError(_("That is not your password."))
        return password


class LiftPauseForm(forms.Form):
    """Which of the facility's staff may sign in again: a username among theirs."""

    username = forms.CharField(max_length=150)

    def __init__(self, *args: Any, usernames: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.usernames = usernames

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if username not in self.usernames:
            raise forms.ValidationError(_("This is not the username of anyone on the facility's staff."))
        return username
