"""Pages with personal data are never stored by a browser or a proxy, and a staff session ends
after a working day without a request (issue 13)."""

from __future__ import annotations

import datetime
import time
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from charter_site import privacy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["manage:dashboard", "manage:facility", "manage:cases", "manage:cases_export"],
)
def test_staff_pages_and_exports_say_no_store(editor_client: Client, published_charter: Any, name: str) -> None:
    args = [] if name == "manage:dashboard" else [published_charter.facility.slug]
    if name == "manage:cases_export":
        args.append("csv")
    response = editor_client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_admin_and_the_sign_in_page_say_no_store(admin_client: Client) -> None:
    assert "no-store" in admin_client.get("/admin/").headers["Cache-Control"]
    assert "no-store" in Client().get(reverse("login")).headers["Cache-Control"]


def test_the_public_charter_may_still_be_cached(client: Client, published_charter: Any) -> None:
    control = client.get(reverse("public:charter", args=[published_charter.facility.slug]))["Cache-Control"]
    assert "no-store" not in control and "public" in control


def test_a_staff_session_ends_after_a_working_day_without_a_request(editor_client: Client) -> None:
    editor_client.get(reverse("manage:dashboard"))
    session = Session.objects.get()
    assert session.expire_date - timezone.now() > datetime.timedelta(hours=8, minutes=59)
    # A request moves the end on (at most every quarter of an hour) ...
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    with mock.patch("time.time", return_value=time.time() + privacy.RENEW_EVERY + 1):
        assert editor_client.get(reverse("manage:dashboard")).status_code == 200
    assert Session.objects.get().expire_date - timezone.now() > datetime.timedelta(hours=8, minutes=59)
    # ... and a day without one ends the session.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = editor_client.get(reverse("manage:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
