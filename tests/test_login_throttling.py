"""Sign-in throttling (issue 13): after five wrong passwords for one username, or from one
address, the staff and the admin login refuse every attempt for a while, the right password
included, with a clear page; the state is in the database, so it holds across processes."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def sign_in(client: Client, username: str, password: str, url: str = LOGIN, address: str = "10.0.0.1") -> Any:
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_five_wrong_passwords_pause_the_account_even_for_the_right_one(url: str) -> None:
    user = UserFactory(is_staff=True, is_superuser=url == ADMIN_LOGIN)
    client = Client()
    for _ in range(4):
        assert sign_in(client, user.username, "salah-terus", url).status_code == 200  # the form again
    refused = sign_in(client, user.username, "salah-terus", url)
    assert refused.status_code == 429

    right = sign_in(client, user.username, PASSWORD, url)

    assert right.status_code == 429 and "_auth_user_id" not in client.session
    html = right.content.decode()
    assert "Masuk dijeda" in html and "15 menit" in html  # Indonesian by default


def test_the_pause_holds_from_another_address_for_the_same_username() -> None:
    user = UserFactory()
    for _ in range(5):
        sign_in(Client(), user.username, "salah", address="10.0.0.1")
    assert sign_in(Client(), user.username, PASSWORD, address="10.9.9.9").status_code == 429


def test_an_address_trying_many_usernames_is_paused() -> None:
    user = UserFactory()
    for number in range(5):
        sign_in(Client(), f"tebakan-{number}", "salah", address="10.0.0.7")
    assert sign_in(Client(), user.username, PASSWORD, address="10.0.0.7").status_code == 429
    assert sign_in(Client(), user.username, PASSWORD, address="10.0.0.8").status_code == 302  # others go on


def test_a_successful_sign_in_clears_the_typos_of_colleagues_on_the_same_network() -> None:
    first, second = UserFactory(), UserFactory()
    for _ in range(3):
        sign_in(Client(), first.username, "salah", address="10.1.1.1")
    assert sign_in(Client(), first.username, PASSWORD, address="10.1.1.1").status_code == 302
    for _ in range(3):
        sign_in(Client(), second.username, "salah", address="10.1.1.1")
    assert sign_in(Client(), second.username, PASSWORD, address="10.1.1.1").status_code == 302


def test_attempts_are_kept_in_the_database_for_every_process_and_an_admin_can_lift_them() -> None:
    user = UserFactory()
    for _ in range(5):
        sign_in(Client(), user.username, "salah")
    assert AccessAttempt.objects.filter(username=user.username, failures_since_start__gte=5).exists()

    AccessAttempt.objects.all().delete()  # what the admin's "delete" of the attempts does

    assert sign_in(Client(), user.username, PASSWORD).status_code == 302


def test_the_pause_page_reads_in_english_too() -> None:
    user = UserFactory()
    client = Client()
    client.cookies["django_language"] = "en"
    for _ in range(5):
        sign_in(client, user.username, "wrong")
    html = sign_in(client, user.username, PASSWORD).content.decode()
    assert "Sign-in paused" in html and "Wait 15 minutes" in html
    assert reverse("login") in html


def test_an_admin_sees_the_attempts_in_the_admin(admin_client: Client) -> None:
    user = UserFactory()
    for _ in range(5):
        sign_in(Client(), user.username, "salah")
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and user.username in page.content.decode()
