"""Signing in (the password, then the code for those with two-factor sign-in) and the page where
staff turn two-factor sign-in on and off. The rules are in `accounts.two_factor`."""

from __future__ import annotations

from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import login as auth_login, views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from audit import services as audit

from . import two_factor
from .forms import PasswordAgainForm, SetupCodeForm, SignInCodeForm


class SignInView(auth_views.LoginView):
    """The password step. With two-factor sign-in on, the right password leads to the code step
    and nobody is signed in yet; without it, signing in may lead to setting it up first."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor.has_two_factor(user):
            two_factor.start_pending_sign_in(self.request, user, self.get_success_url())
            return redirect("login_code")
        auth_login(self.request, user)
        if two_factor.remember_setup_required(self.request, user):
            messages.warning(self.request, _("Set up two-factor sign-in now: it is required for your account."))
            return redirect("two_factor")
        return HttpResponseRedirect(self.get_success_url())


class AdminSignInView(SignInView):
    """The admin's login is ours, so it asks for the code as well. An administrator already
    signed in goes to the admin; anyone else signed in sees the form (to sign in as an
    administrator), never a redirect back to the admin, which would send them here again."""

    redirect_authenticated_user = False
    authentication_form = AdminAuthenticationForm  # staff status required, as on Django's own

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return reverse("admin:index")


def _wrong_code_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "That code is not right. Wrong codes count as wrong passwords: after %(limit)s in a row, "
        "signing in is paused for %(minutes)s minutes."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step: the code of the app or a backup code, within a few minutes of the password."""
    pending = two_factor.pending_sign_in(request)
    if pending is None:
        messages.info(request, _("Please enter your password again: the sign-in was not finished in time."))
        return redirect("login")
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not AxesProxyHandler.is_allowed(request, pending.credentials):
            return get_lockout_response(request, None, pending.credentials)
        device = two_factor.verify_second_factor(pending.user, form.cleaned_data["otp_token"])
        if device is None:
            # django-axes counts it for the username (and address); at the limit its middleware
            # answers with the pause page instead of this one.
            user_login_failed.send(sender=__name__, credentials=pending.credentials, request=request)
            form.add_error("otp_token", _wrong_code_message())
        else:
            two_factor.end_pending_sign_in(request)
            user = pending.user
            user.otp_device = device  # django-otp keeps it in the session at sign-in
            auth_login(request, user, backend=pending.backend)
            if two_factor.is_backup_code_device(device):
                left = two_factor.backup_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a backup code; %(count)d is left. Make new ones on the two-factor page.",
                        "You used a backup code; %(count)d are left. Make new ones on the two-factor page.",
                        left,
                    )
                    % {"count": left},
                )
            return HttpResponseRedirect(pending.next_url)
    return render(request, "registration/login_code.html", {"form": form})


# --- The two-factor page ------------------------------------------------------------------


def _qr_svg(uri: str) -> str:
    """The provisioning address as an inline SVG QR code. Safe: segno writes only the modules'
    path, never the text it encodes (which holds the secret and must stay out of any URL)."""
    code = segno.make(uri, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=4, border=4, svgclass="qr-code two-factor-qr", lineclass=None))


@sensitive_post_parameters("otp_token")
@login_required
@never_cache
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Turned on: how many backup codes are left, new ones, turning it off. Turned off: the QR
    code and the secret of a new app, confirmed with a code it computed."""
    user = request.user
    if two_factor.has_two_factor(user):
        return render(
            request, "accounts/two_factor.html", {"enabled": True, "codes_left": two_factor.backup_codes_left(user)}
        )
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_setup(request, user, form.cleaned_data["otp_token"]) is not None:
            audit.record(request, "two_factor_on")
            messages.success(request, _("Two-factor sign-in is on. Keep your backup codes somewhere safe."))
            return redirect("two_factor_codes")
        form.add_error(
            "otp_token", _("That code is not right. Check that the phone's time is correct and try the code shown now.")
        )
    secret = two_factor.setup_secret(request)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": False,
            "form": form,
            "qr": _qr_svg(two_factor.provisioning_uri(user, secret)),
            "secret": two_factor.secret_for_typing(secret),
            "required": request.session.get(two_factor.SETUP_REQUIRED, False),
        },
    )


@login_required
@require_safe
@never_cache
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """The backup codes just made, shown once."""
    codes = two_factor.take_fresh_codes(request)
    if not codes:
        return redirect("two_factor")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes})


@sensitive_post_parameters("password")
@login_required
@require_POST
def two_factor_new_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes ask for the password again, as turning it off does: whoever finds a
    signed-in computer unattended must not walk away with a code that signs in without the phone."""
    if not two_factor.has_two_factor(request.user):
        return redirect("two_factor")
    form = PasswordAgainForm(request.POST, request=request)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("password", [])))
        return redirect("two_factor")
    request.session[two_factor.FRESH_CODES] = two_factor.replace_backup_codes(request.user)
    audit.record(request, "backup_codes_renewed")
    messages.success(request, _("New backup codes: the earlier ones no longer work."))
    return redirect("two_factor_codes")


@sensitive_post_parameters("password")
@login_required
@never_cache
def two_factor_off(request: HttpRequest) -> HttpResponse:
    """Turning it off asks for the password again: an unattended, signed-in computer is not enough."""
    if not two_factor.has_two_factor(request.user):
        return redirect("two_factor")
    form = PasswordAgainForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        two_factor.turn_off(request.user)
        audit.record(request, "two_factor_off")
        messages.success(request, _("Two-factor sign-in is off: your password alone signs you in."))
        if two_factor.remember_setup_required(request, request.user):
            messages.warning(request, _("Your account requires two-factor sign-in: set up the new app now."))
        return redirect("two_factor")
    return render(request, "accounts/two_factor_off.html", {"form": form})
