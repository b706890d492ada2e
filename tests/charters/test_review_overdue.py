"""A charter is reviewed at least once a year; the public charter says plainly when it was not."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_published_charter

pytestmark = pytest.mark.django_db

NOTICE = "its yearly review is overdue"


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_a_charter_past_its_review_date_says_so(client: Client, facility: Any, head: Any) -> None:
    since = timezone.localdate() - datetime.timedelta(days=400)
    charter = make_published_charter(facility, head=head, effective_date=since)

    html = english(client).get(reverse("public:charter", args=[facility.slug])).content.decode()

    assert charter.is_review_overdue
    assert NOTICE in html
    assert f"should have been reviewed by {charter.review_due_date:%-d %B %Y}" in html
    assert "(overdue)" in html


def test_a_charter_within_its_year_says_nothing(client: Client, facility: Any, head: Any) -> None:
    charter = make_published_charter(facility, head=head)

    html = english(client).get(reverse("public:charter", args=[facility.slug])).content.decode()

    assert not charter.is_review_overdue
    assert NOTICE not in html and "(overdue)" not in html


def test_the_staff_dashboard_flags_the_same_rule(login: Any, facility: Any, head: Any) -> None:
    make_published_charter(facility, head=head, effective_date=timezone.localdate() - datetime.timedelta(days=400))

    html = login(head).get(reverse("manage:dashboard")).content.decode()

    assert "Review overdue since" in html
