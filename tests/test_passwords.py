"""Staff change their password and reset a forgotten one by e-mail (issue 13): Django's views
and validators, our pages in both languages, and a reset form that is rate-limited and never
says whether an address has an account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import Entry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_change_their_password_with_djangos_validators(login: Any) -> None:
    user = UserFactory()
    client = login(user)
    url = reverse("password_change")

    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and "too common" in weak.content.decode()  # the login fixture reads English

    strong = "Puskesmas-Soko-2026!"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong})
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(strong)
    assert "Password changed" in client.get(done["Location"]).content.decode()
    assert Entry.objects.filter(action="password_change", actor=user).count() == 1  # the weak try left none


def test_the_password_pages_need_a_signed_in_user() -> None:
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_forgotten_password_is_reset_through_the_link_in_the_e_mail() -> None:
    user = UserFactory(email="bidan@pkm-soko.example.id")
    client = Client()
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()

    sent = client.post(reverse("password_reset"), {"email": "BIDAN@pkm-soko.example.id"})

    assert sent.status_code == 302 and sent["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == [user.email] and user.username in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    strong = "Loket-Pendaftaran-77"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": strong, "new_password2": strong})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(strong)
    assert Entry.objects.filter(action="password_reset", actor=user).count() == 1
    again = client.get(link, follow=True)  # used once
    assert not again.context["validlink"] and "tidak berlaku lagi" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail() -> None:
    response = Client().post(reverse("password_reset"), {"email": "siapa@example.id"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert not mail.outbox


def test_requests_for_new_passwords_are_rate_limited(settings: Any) -> None:
    settings.PASSWORD_RESET_RATE = (3, 3600)
    UserFactory(email="kepala@pkm-soko.example.id")
    client = Client()
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": "kepala@pkm-soko.example.id"}).status_code == 302
    refused = client.post(reverse("password_reset"), {"email": "kepala@pkm-soko.example.id"})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert "Terlalu banyak permintaan" in html and 'value="kepala@pkm-soko.example.id"' in html  # kept
    assert len(mail.outbox) == 3
    # From another address, the same mailbox is still protected.
    other = Client(REMOTE_ADDR="10.5.5.5").post(reverse("password_reset"), {"email": "kepala@pkm-soko.example.id"})
    assert other.status_code == 429


def test_an_ipv6_sender_counts_as_its_whole_64_for_new_passwords(settings: Any) -> None:
    """A subscriber may send from any address of its /64: changing address does not reset the count."""
    settings.PASSWORD_RESET_RATE = (3, 3600)
    for number in range(1, 4):
        sent = Client(REMOTE_ADDR=f"2400:9800:1:1::{number}").post(
            reverse("password_reset"), {"email": f"orang{number}@example.id"}
        )
        assert sent.status_code == 302
    refused = Client(REMOTE_ADDR="2400:9800:1:1::99").post(reverse("password_reset"), {"email": "lain@example.id"})
    assert refused.status_code == 429
    other = Client(REMOTE_ADDR="2400:9800:1:2::1").post(reverse("password_reset"), {"email": "lain@example.id"})
    assert other.status_code == 302  # the next /64 is another subscriber
