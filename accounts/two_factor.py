"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and one-time backup codes.

- Setting up: the secret is kept in the session (not in the database) until the person types a
  code their app computed from it, so an abandoned setup leaves no half-made device behind and a
  device exists only once it works.
- Signing in: after the right password, someone with a device is *not* signed in. The session
  keeps who they are, signed and stamped, for `TWO_FACTOR_PENDING_SECONDS`; the second step signs
  them in with the code. A wrong code is a failed sign-in for django-axes (the `user_login_failed`
  signal with their username), so the pause after too many wrong passwords covers codes too.
- Who must use it (`TwoFactorPolicy`) is decided at sign-in and remembered in the session, so that
  `TwoFactorRequiredMiddleware` sends them to the setup page without a query on every staff page.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django_otp import devices_for_user, login as otp_login, verify_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import TwoFactorPolicy

PENDING = "two_factor:pending"  # the signed pending sign-in
SETUP_SECRET = "two_factor:setup_secret"  # the secret shown while setting up, hex
SETUP_REQUIRED = "two_factor:setup_required"  # the policy asks this person to set up first
FRESH_CODES = "two_factor:fresh_codes"  # backup codes to show once, then forgotten
PENDING_SALT = "accounts.two_factor.pending"
BACKUP_CODE_COUNT = 10
DEVICE_NAME = "authenticator"


@dataclass(frozen=True)
class PendingSignIn:
    user: Any
    backend: str
    next_url: str

    @property
    def credentials(self) -> dict[str, str]:
        """What django-axes counts a failure against: the username, as the password step does."""
        return {settings.AXES_USERNAME_FORM_FIELD: self.user.get_username()}


# --- Signing in ----------------------------------------------------------------------------


def has_two_factor(user: Any) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def start_pending_sign_in(request: HttpRequest, user: Any, next_url: str) -> None:
    """Remember, after the right password, who is signing in. The session hash ties it to the
    password: changed meanwhile (a reset by e-mail), the pending sign-in is void."""
    request.session[PENDING] = signing.dumps(
        {"user": user.pk, "backend": user.backend, "next": next_url, "hash": user.get_session_auth_hash()},
        salt=PENDING_SALT,
    )


def pending_sign_in(request: HttpRequest) -> PendingSignIn | None:
    """The sign-in waiting for its second step, or None when there is none or it expired."""
    value = request.session.get(PENDING)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=PENDING_SALT, max_age=settings.TWO_FACTOR_PENDING_SECONDS)
    except signing.BadSignature:  # SignatureExpired included
        del request.session[PENDING]
        return None
    user = get_user_model()._default_manager.filter(pk=data["user"], is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), data["hash"]):
        del request.session[PENDING]
        return None
    return PendingSignIn(user=user, backend=data["backend"], next_url=data["next"])


def end_pending_sign_in(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


def verify_second_factor(user: Any, code: str) -> Device | None:
    """The device that accepts `code` (a code of the app, or an unused backup code, which is used
    up), or None. `verify_token` locks the device's row, so one backup code sent twice at once
    is accepted once, and an app's code once (django-otp keeps the last time step used)."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def is_backup_code_device(device: Device) -> bool:
    return isinstance(device, StaticDevice)


def backup_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Who must use it ---------------------------------------------------------------------


def setup_required(user: Any) -> bool:
    """The policy asks for two-factor sign-in and the user has not set it up."""
    return TwoFactorPolicy.current().requires(user) and not has_two_factor(user)


def remember_setup_required(request: HttpRequest, user: Any) -> bool:
    """At sign-in (and after turning two-factor off): note in the session whether the middleware
    must send this person to the setup page. Returns whether it must."""
    required = setup_required(user)
    if required:
        request.session[SETUP_REQUIRED] = True
    else:
        request.session.pop(SETUP_REQUIRED, None)
    return required


# --- Setting up --------------------------------------------------------------------------


def setup_secret(request: HttpRequest) -> str:
    """The secret being set up in this session (hex), made on first use."""
    secret = request.session.get(SETUP_SECRET)
    if not secret:
        secret = request.session[SETUP_SECRET] = random_hex(20)
    return secret


def provisioning_uri(user: Any, secret: str) -> str:
    """The otpauth:// address the QR code holds (issuer `OTP_TOTP_ISSUER`, the username)."""
    return TOTPDevice(user=user, key=secret).config_url


def secret_for_typing(secret: str) -> str:
    """The secret as authenticator apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(unhexlify(secret)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _time_step_of(secret: str, code: str) -> int | None:
    """The time step at which `code` is the app's code for `secret` (now, or one step either side
    for a phone whose clock is a little off), or None."""
    code = "".join(code.split())
    if not code.isdigit():
        return None
    device = TOTPDevice(key=secret)  # only for its defaults (step, digits, tolerance)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance):
        return None
    return totp.t()


@transaction.atomic
def confirm_setup(request: HttpRequest, user: Any, code: str) -> list[str] | None:
    """Turn two-factor sign-in on when `code` is right for the secret being set up: the app's
    device (replacing any earlier one), fresh backup codes (returned, to be shown once), and
    this session counts as signed in with it. None when the code is wrong; nothing changes."""
    secret = request.session.get(SETUP_SECRET)
    step = _time_step_of(secret, code) if secret else None
    if step is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    # last_t: the code just typed cannot be used again to sign in.
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=secret, confirmed=True, last_t=step)
    codes = replace_backup_codes(user)
    del request.session[SETUP_SECRET]
    request.session.pop(SETUP_REQUIRED, None)
    request.session[FRESH_CODES] = codes
    otp_login(request, device)  # this session signed in with the device
    return codes


@transaction.atomic
def replace_backup_codes(user: Any) -> list[str]:
    """New backup codes; the earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def take_fresh_codes(request: HttpRequest) -> list[str]:
    """The backup codes just made, once: a second look finds none."""
    return request.session.pop(FRESH_CODES, [])


@transaction.atomic
def turn_off(user: Any) -> None:
    """Remove the app and the backup codes: the password alone signs in again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
