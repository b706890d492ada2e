"""The head's page of sign-in pauses (issue 13): the facility's own staff with recent wrong
passwords, paused or not, and a button that lets one of them sign in again. Editors are refused,
another facility's page does not exist, a supervisor of the regency reads without lifting."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def mistype(user_or_name: Any, times: int, address: str = "10.0.0.1") -> None:
    username = getattr(user_or_name, "username", user_or_name)
    for _ in range(times):
        Client().post(reverse("login"), {"username": username, "password": "salah"}, REMOTE_ADDR=address)


def pauses_url(facility: Any) -> str:
    return reverse("manage:sign_in_pauses", args=[facility.slug])


def lift_url(facility: Any) -> str:
    return reverse("manage:sign_in_pause_lift", args=[facility.slug])


def test_the_head_sees_the_pauses_of_the_facilitys_own_staff_only(
    login: Any, head: Any, editor: Any, other_editor: Any, facility: Any
) -> None:
    mistype(editor, 5, address="10.0.0.1")
    colleague = MembershipFactory(facility=facility, user__username="bidan").user
    mistype(colleague, 2, address="10.0.0.2")
    mistype(other_editor, 5, address="10.0.0.3")
    mistype("tebakan", 5, address="10.0.0.4")

    page = login(head).get(pauses_url(facility))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="pause-editor"' in html and "Paused until" in html and "10.0.0.1" in html
    assert 'id="pause-bidan"' in html and "Not paused" in html
    assert "other_editor" not in html and "tebakan" not in html and "10.0.0.3" not in html


def test_the_head_lifts_a_pause_and_the_colleague_signs_in_again(login: Any, head: Any, editor: Any) -> None:
    mistype(editor, 5)
    assert Client().post(reverse("login"), {"username": "editor", "password": PASSWORD}).status_code == 429
    client = login(head)

    response = client.post(lift_url(head.memberships.get().facility), {"username": "editor"})

    assert response.status_code == 302 and response["Location"] == pauses_url(head.memberships.get().facility)
    assert not AccessAttempt.objects.filter(username="editor").exists()
    assert "editor can sign in again" in client.get(response["Location"]).content.decode()
    signed_in = Client().post(reverse("login"), {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert signed_in.status_code == 302


def test_the_head_cannot_lift_the_pause_of_someone_else(
    login: Any, head: Any, other_editor: Any, facility: Any
) -> None:
    mistype(other_editor, 5)
    client = login(head)

    response = client.post(lift_url(facility), {"username": "other_editor"})

    assert response.status_code == 302
    assert AccessAttempt.objects.filter(username="other_editor").exists()
    page = client.get(response["Location"]).content.decode()
    assert "not the username of anyone on the facility&#x27;s staff" in page


def test_an_editor_is_refused(login: Any, editor: Any, facility: Any) -> None:
    colleague = MembershipFactory(facility=facility, user__username="bidan").user
    mistype(colleague, 5)
    client = login(editor)
    assert client.get(pauses_url(facility)).status_code == 403
    assert client.post(lift_url(facility), {"username": "bidan"}).status_code == 403
    assert AccessAttempt.objects.filter(username="bidan").exists()


def test_the_head_of_another_facility_finds_no_page(
    login: Any, other_facility: Any, facility: Any, editor: Any
) -> None:
    mistype(editor, 5)
    other_head = MembershipFactory(facility=other_facility, head=True).user
    client = login(other_head)
    assert client.get(pauses_url(facility)).status_code == 404
    assert client.post(lift_url(facility), {"username": "editor"}).status_code == 404
    assert AccessAttempt.objects.filter(username="editor").exists()


def test_a_supervisor_reads_but_cannot_lift(login: Any, supervisor: Any, editor: Any, facility: Any) -> None:
    mistype(editor, 5)
    client = login(supervisor)
    page = client.get(pauses_url(facility))
    assert page.status_code == 200 and 'id="pause-editor"' in page.content.decode()
    assert lift_url(facility) not in page.content.decode()  # no button
    assert client.post(lift_url(facility), {"username": "editor"}).status_code == 403
    assert AccessAttempt.objects.filter(username="editor").exists()


def test_lifting_is_post_only(login: Any, head: Any, facility: Any) -> None:
    assert login(head).get(lift_url(facility)).status_code == 405


def test_anonymous_visitors_are_sent_to_the_login_page(facility: Any) -> None:
    response = Client().get(pauses_url(facility))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_attempts_older_than_the_cool_off_are_left_out(login: Any, head: Any, editor: Any, facility: Any) -> None:
    mistype(editor, 3)
    AccessAttempt.objects.update(attempt_time="2020-01-01T00:00:00Z")
    assert 'id="pause-editor"' not in login(head).get(pauses_url(facility)).content.decode()


def test_the_page_makes_a_fixed_number_of_queries(
    login: Any, head: Any, facility: Any, django_assert_num_queries: Any
) -> None:
    for number in range(4):
        user = MembershipFactory(facility=facility, user__username=f"staf{number}").user
        mistype(user, 2, address=f"10.0.1.{number}")
    client = login(head)
    client.get(pauses_url(facility))  # the session's first request renews it
    # Session, user, facility, head?, members, attempts.
    with django_assert_num_queries(6):
        assert client.get(pauses_url(facility)).status_code == 200


def test_the_facility_page_links_it_for_the_head_only(login: Any, head: Any, editor: Any, facility: Any) -> None:
    url = reverse("manage:facility", args=[facility.slug])
    assert pauses_url(facility) in login(head).get(url).content.decode()
    assert pauses_url(facility) not in login(editor).get(url).content.decode()


def test_a_superuser_may_lift_too(login: Any, superuser: Any, editor: Any, facility: Any) -> None:
    mistype(editor, 5)
    login(superuser).post(lift_url(facility), {"username": "editor"})
    assert not AccessAttempt.objects.filter(username="editor").exists()
