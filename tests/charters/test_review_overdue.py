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


# --- "Reviewed: no change needed" ------------------------------------------------------------


def test_the_head_confirms_a_review_and_the_next_one_is_due_in_a_year(client: Client, facility: Any, head: Any) -> None:
    from charters import services
    from charters.models import CharterEvent

    charter = make_published_charter(
        facility, head=head, effective_date=timezone.localdate() - datetime.timedelta(days=400)
    )
    then = timezone.now() - datetime.timedelta(days=3)

    services.confirm_review(charter, head, "Forum 2026: tidak ada perubahan.", now=then)

    charter.refresh_from_db()
    assert charter.review_due_date == services.one_year_after(timezone.localdate(then))
    assert not charter.is_review_overdue
    event = charter.events.get(action=CharterEvent.Action.REVIEWED)
    assert (event.user, event.comment, event.created_at) == (head, "Forum 2026: tidak ada perubahan.", then)
    html = english(client).get(reverse("public:charter", args=[facility.slug])).content.decode()
    assert NOTICE not in html


def test_only_the_head_confirms_a_review_of_the_version_in_force(facility: Any, editor: Any, head: Any) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from charters import services

    old = make_published_charter(facility, head=head)
    current = make_published_charter(facility, head=head)
    due = current.review_due_date

    with pytest.raises(PermissionDenied):
        services.confirm_review(current, editor)
    with pytest.raises(ValidationError):
        services.confirm_review(old, head)  # superseded
    current.refresh_from_db()
    assert current.review_due_date == due


def test_the_review_button_is_offered_to_the_head_only(login: Any, facility: Any, head: Any, editor: Any) -> None:
    charter = make_published_charter(facility, head=head)
    url = reverse("manage:charter", args=[facility.slug, charter.version])
    action = reverse("manage:charter_review", args=[facility.slug, charter.version])

    assert action in login(head).get(url).content.decode()
    assert action not in login(editor).get(url).content.decode()

    response = login(head).post(action, {"comment": ""})
    assert response.status_code == 302
    charter.refresh_from_db()
    assert charter.review_due_date == one_year_after_today()


def one_year_after_today() -> datetime.date:
    from charters.services import one_year_after

    return one_year_after(timezone.localdate())
