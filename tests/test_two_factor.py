"""Two-factor sign-in (issue 13): staff set up an authenticator app with a QR code, confirmed with
a code it computed; the right password then leads to a second step that asks for the code (or a
backup code, each working once) before anyone is signed in, on the staff and the admin login; wrong
codes count towards the sign-in pause; turning it off needs the password; a superuser can require
it of heads and of administrators."""

from __future__ import annotations

import re
from base64 import b32decode
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import TwoFactorPolicy
from audit.models import Entry, Kind
from tests.conftest import admin_url
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE_STEP = "/accounts/login/code/"
SETUP = "/accounts/two-factor/"


def code_of(key: bytes, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for `key` now (or `steps_ahead` periods of 30 s later)."""
    return f"{totp(key, drift=steps_ahead):06d}"


def with_app(user: Any) -> TOTPDevice:
    """`user` with two-factor sign-in on: an app and backup codes, as the setup page leaves them."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    two_factor.replace_backup_codes(user)
    return device


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def password_step(client: Client, user: Any, url: str = LOGIN, address: str = "10.0.0.1", **extra: Any) -> Any:
    return client.post(url, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address, **extra)


def code_step(client: Client, code: str, address: str = "10.0.0.1") -> Any:
    return client.post(CODE_STEP, {"otp_token": code}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Setting up ---------------------------------------------------------------------------------


def test_setup_shows_a_qr_code_and_the_key_and_turns_on_only_with_a_right_code(login: Any, head: Any) -> None:
    client = login(head)
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "qr-code" in html
    secret = re.search(r'class="text-break two-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    key = b32decode(secret.replace(" ", ""))
    assert "otpauth" not in html  # the address with the key is in the QR code only, never as text or link
    assert not TOTPDevice.objects.filter(user=head).exists()  # nothing is saved before it works

    wrong = client.post(SETUP, {"otp_token": "000000" if code_of(key) != "000000" else "111111"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=head).exists()
    assert secret in wrong.content.decode()  # the same key, so a phone that scanned it keeps working

    done = client.post(SETUP, {"otp_token": code_of(key)})

    assert done.status_code == 302 and done["Location"] == reverse("two_factor_codes")
    assert list(Entry.objects.filter(kind=Kind.SIGN_IN).exclude(action="sign_in").values_list("action", "actor")) == [
        ("two_factor_on", head.pk)
    ]
    device = TOTPDevice.objects.get(user=head)
    assert device.confirmed and device.bin_key == key
    codes_page = client.get(done["Location"]).content.decode()
    codes = set(StaticToken.objects.filter(device__user=head).values_list("token", flat=True))
    assert len(codes) == two_factor.BACKUP_CODE_COUNT and all(code in codes_page for code in codes)
    again = client.get(reverse("two_factor_codes"))  # shown once
    assert again.status_code == 302 and again["Location"] == SETUP
    status = client.get(SETUP).content.decode()
    assert "Two-factor sign-in is on" in status and "10 unused backup codes" in status


def test_the_two_factor_page_needs_a_signed_in_user() -> None:
    for url in (SETUP, reverse("two_factor_codes"), reverse("two_factor_off")):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"{LOGIN}?next=")


def test_new_backup_codes_replace_the_old_ones_and_are_post_only(login: Any, editor: Any) -> None:
    with_app(editor)
    old = set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    client = login(editor)
    assert client.get(reverse("two_factor_new_codes")).status_code == 405
    unattended = client.post(reverse("two_factor_new_codes"), {"password": "bukan-ini"})
    assert unattended["Location"] == SETUP  # a signed-in computer alone gets no new codes
    assert set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)) == old
    assert "That is not your password" in client.get(SETUP).content.decode()

    response = client.post(reverse("two_factor_new_codes"), {"password": PASSWORD})

    assert response["Location"] == reverse("two_factor_codes")
    new = set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(new) == two_factor.BACKUP_CODE_COUNT and not old & new
    page = client.get(response["Location"]).content.decode()
    assert all(code in page for code in new)


# --- Signing in with the second step ----------------------------------------------------------


def test_the_right_password_asks_for_the_code_before_signing_in(editor: Any) -> None:
    device = with_app(editor)
    client = english()

    after_password = password_step(client, editor)

    assert after_password.status_code == 302 and after_password["Location"] == CODE_STEP
    assert not signed_in(client)
    assert client.get("/manage/")["Location"].startswith(f"{LOGIN}?next=")  # nothing open yet
    page = client.get(CODE_STEP)
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.content.decode()

    done = code_step(client, code_of(device.bin_key))

    assert done.status_code == 302 and done["Location"] == reverse("manage:dashboard")
    assert signed_in(client) and client.session["_auth_user_id"] == str(editor.pk)
    assert client.get("/manage/").status_code == 200


def test_the_page_asked_for_before_signing_in_follows_the_second_step(editor: Any, facility: Any) -> None:
    device = with_app(editor)
    client = english()
    wanted = reverse("manage:facility", args=[facility.slug])
    password_step(client, editor, url=f"{LOGIN}?next={wanted}")
    assert code_step(client, code_of(device.bin_key))["Location"] == wanted


def test_a_code_is_accepted_once(editor: Any) -> None:
    device = with_app(editor)
    code = code_of(device.bin_key)
    first = english()
    password_step(first, editor)
    assert code_step(first, code).status_code == 302

    second = english()
    password_step(second, editor)
    replayed = code_step(second, code)

    assert replayed.status_code == 200 and not signed_in(second)


def test_a_backup_code_signs_in_once(editor: Any) -> None:
    with_app(editor)
    backup = StaticToken.objects.filter(device__user=editor).first().token
    client = english()
    password_step(client, editor)

    done = code_step(client, f" {backup.upper()} ")  # as typed from paper

    assert done.status_code == 302 and signed_in(client)
    assert not StaticToken.objects.filter(device__user=editor, token=backup).exists()
    assert "9 are left" in client.get(done["Location"]).content.decode()
    again = english()
    password_step(again, editor)
    assert code_step(again, backup).status_code == 200 and not signed_in(again)


def test_wrong_codes_count_as_failed_sign_ins_and_pause_the_account(editor: Any) -> None:
    device = with_app(editor)
    client = english()
    password_step(client, editor)
    for _ in range(4):
        wrong = code_step(client, "12345a")
        assert wrong.status_code == 200
        assert "Wrong codes count as wrong passwords: after 5 in a row" in wrong.content.decode()
    assert AccessAttempt.objects.get(username=editor.username).failures_since_start == 4
    assert "12345a" not in AccessAttempt.objects.get(username=editor.username).post_data  # not stored

    paused = code_step(client, "12345a")
    assert paused.status_code == 429 and "Sign-in paused" in paused.content.decode()
    right_code = code_step(client, code_of(device.bin_key))
    assert right_code.status_code == 429 and not signed_in(client)
    # The pause is the username's: the password step elsewhere is refused too.
    assert password_step(english(), editor, address="10.9.9.9").status_code == 429


def test_a_right_code_clears_the_failures(editor: Any) -> None:
    device = with_app(editor)
    client = english()
    password_step(client, editor)
    code_step(client, "999999" if code_of(device.bin_key) != "999999" else "888888")
    assert code_step(client, code_of(device.bin_key)).status_code == 302
    assert not AccessAttempt.objects.filter(username=editor.username).exists()


def test_the_code_step_without_the_password_goes_to_the_login_page() -> None:
    response = english().post(CODE_STEP, {"otp_token": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_code_must_follow_the_password_within_a_few_minutes(editor: Any, settings: Any) -> None:
    device = with_app(editor)
    client = english()
    password_step(client, editor)
    settings.TWO_FACTOR_PENDING_SECONDS = -1  # as if the time had passed

    late = code_step(client, code_of(device.bin_key))

    assert late.status_code == 302 and late["Location"] == reverse("login") and not signed_in(client)
    assert "not finished in time" in client.get(late["Location"]).content.decode()


def test_a_password_changed_meanwhile_voids_the_waiting_sign_in(editor: Any) -> None:
    device = with_app(editor)
    client = english()
    password_step(client, editor)
    editor.set_password("Baru-sekali-2026")
    editor.save()
    assert code_step(client, code_of(device.bin_key))["Location"] == reverse("login")
    assert not signed_in(client)


def test_without_two_factor_the_password_signs_in_at_once(editor: Any) -> None:
    client = english()
    response = password_step(client, editor)
    assert response["Location"] == reverse("manage:dashboard") and signed_in(client)


def test_the_admin_login_asks_for_the_code_too(superuser: Any) -> None:
    device = with_app(superuser)
    client = english()

    after_password = password_step(client, superuser, url="/admin/login/?next=/admin/")

    assert after_password["Location"] == CODE_STEP and not signed_in(client)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert code_step(client, code_of(device.bin_key))["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"  # signed in: straight to the admin


def test_the_admin_login_shows_its_form_to_a_signed_in_non_administrator(login: Any, editor: Any) -> None:
    client = login(editor)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/?next=/admin/").status_code == 200  # no redirect loop


# --- Turning it off ---------------------------------------------------------------------------


def test_turning_it_off_needs_the_password(login: Any, editor: Any) -> None:
    with_app(editor)
    client = login(editor)
    url = reverse("two_factor_off")
    assert client.get(url).status_code == 200

    wrong = client.post(url, {"password": "bukan-ini"})

    assert wrong.status_code == 200 and "That is not your password" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=editor).exists()
    assert AccessAttempt.objects.get(username=editor.username).failures_since_start == 1  # guesses are counted

    done = client.post(url, {"password": PASSWORD})

    assert done["Location"] == SETUP
    assert Entry.objects.filter(action="two_factor_off", actor=editor).count() == 1
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    assert password_step(english(), editor)["Location"] == reverse("manage:dashboard")


# --- Required by the policy -------------------------------------------------------------------


def require(**fields: bool) -> None:
    TwoFactorPolicy(**fields).save()


def test_a_head_required_to_use_it_sets_it_up_before_any_staff_page(head: Any, editor: Any) -> None:
    require(heads_required=True)
    client = english()

    after_password = password_step(client, head)

    assert after_password["Location"] == SETUP and signed_in(client)
    for url in ("/manage/", "/manage/pkm-soko/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == SETUP, url
    page = client.get(SETUP).content.decode()
    assert "Your account requires two-factor sign-in" in page
    assert client.get(reverse("password_change")).status_code == 200  # account pages stay open
    secret = re.search(r'class="text-break two-factor-secret">([A-Z2-7 ]+)<', page).group(1)

    client.post(SETUP, {"otp_token": code_of(b32decode(secret.replace(" ", "")))})

    assert client.get("/manage/").status_code == 200
    # Not required of editors.
    editor_client = english()
    assert password_step(editor_client, editor)["Location"] == reverse("manage:dashboard")
    assert editor_client.get("/manage/").status_code == 200


def test_administrators_can_be_required_to_use_it(superuser: Any, head: Any) -> None:
    require(admins_required=True)
    client = english()
    assert password_step(client, superuser, url="/admin/login/")["Location"] == SETUP
    assert client.get("/admin/")["Location"] == SETUP
    assert password_step(english(), head)["Location"] == reverse("manage:dashboard")  # heads are not


def test_a_required_account_turning_it_off_must_set_it_up_again(login: Any, head: Any) -> None:
    require(heads_required=True)
    with_app(head)
    client = login(head)
    client.post(reverse("two_factor_off"), {"password": PASSWORD})
    assert client.get("/manage/")["Location"] == SETUP


def test_logging_out_stays_possible_while_setup_is_required(head: Any) -> None:
    require(heads_required=True)
    client = english()
    password_step(client, head)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and not signed_in(client)


# --- The policy in the admin ------------------------------------------------------------------


def test_the_policy_is_one_row_that_a_superuser_edits_in_the_admin(admin_client: Client, login: Any) -> None:
    changelist = admin_url(TwoFactorPolicy, "changelist")
    assert admin_client.get(changelist)["Location"] == admin_url(TwoFactorPolicy, "add")

    admin_client.post(admin_url(TwoFactorPolicy, "add"), {"heads_required": "on"})

    policy = TwoFactorPolicy.objects.get()
    assert policy.pk == 1 and policy.heads_required and not policy.admins_required
    assert admin_client.get(changelist)["Location"] == admin_url(TwoFactorPolicy, "change", 1)
    assert admin_client.get(admin_url(TwoFactorPolicy, "delete", 1)).status_code == 403
    staff = UserFactory(is_staff=True)
    assert login(staff).get(admin_url(TwoFactorPolicy, "change", 1)).status_code in (302, 403)


def test_the_admin_removes_a_lost_phones_device_without_showing_its_key(admin_client: Client, editor: Any) -> None:
    device = with_app(editor)
    token = StaticToken.objects.filter(device__user=editor).first().token
    page = admin_client.get(admin_url(TOTPDevice, "change", device.pk)).content.decode()
    assert device.key not in page
    backup = StaticToken.objects.get(token=token).device
    assert token not in admin_client.get(admin_url(type(backup), "change", backup.pk)).content.decode()

    admin_client.post(admin_url(TOTPDevice, "delete", device.pk), {"post": "yes"})

    assert not TOTPDevice.objects.filter(user=editor).exists()
