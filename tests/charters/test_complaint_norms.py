"""One promise, one source: the complaint time norms are data of the charter (component 6).

They are shown with the charter, copied into a revision, changed only in a draft, and they are
the deadlines the complaint handling enforces while their version is in force.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from charters import services
from charters.diff import charters_for_diff, diff_charters
from charters.models import Charter, ComplaintClass, ComplaintNorms
from feedback import services as feedback_services
from feedback.models import FeedbackKind
from tests.charters.formdata import charter_post_data
from tests.charters.test_manage_views import assert_error_next_to, assert_typed_values_kept
from tests.factories import approve_draft, make_complete_draft, make_published_charter

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def edit_url(charter: Charter) -> str:
    return reverse("manage:charter_edit", args=[charter.facility.slug, charter.version])


def test_a_charter_promises_the_common_norms_until_it_says_otherwise(facility: Any) -> None:
    charter = make_complete_draft(facility)

    assert charter.complaint_norms == ComplaintNorms(2, 5, 14, 60)
    assert charter.complaint_norms.working_days_for(ComplaintClass.INVESTIGATIVE) == 60
    assert [days for _class, _label, days in charter.complaint_norms.rows()] == [2, 5, 14, 60]


def test_the_editor_sets_the_norms_with_the_pledge(editor_client: Client, draft_charter: Charter) -> None:
    data = {**charter_post_data(draft_charter), "charter-simple_days": "7", "charter-investigative_days": "14"}

    response = editor_client.post(edit_url(draft_charter), data)

    assert response.status_code == 302
    draft_charter.refresh_from_db()
    assert draft_charter.complaint_norms == ComplaintNorms(2, 5, 7, 14)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("366", "Ensure this value is less than or equal to 365."),
        ("dua", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_a_wrong_norm_is_refused_next_to_its_field_and_keeps_what_was_typed(
    editor_client: Client, draft_charter: Charter, typed: str, message: str
) -> None:
    data = {**charter_post_data(draft_charter), "charter-light_days": typed, "charter-pledge": "Kami siap."}

    response = editor_client.post(edit_url(draft_charter), data)

    assert response.status_code == 200
    assert_error_next_to(response, "id_charter-light_days", message)
    assert_typed_values_kept(response, "Kami siap.")
    draft_charter.refresh_from_db()
    assert draft_charter.light_days == 2


def test_the_norms_of_a_published_version_cannot_change(editor_client: Client, published_charter: Charter) -> None:
    data = {**charter_post_data(published_charter), "charter-light_days": "9"}

    assert editor_client.post(edit_url(published_charter), data).status_code == 403
    published_charter.refresh_from_db()
    assert published_charter.light_days == 2


def test_a_revision_starts_with_the_norms_in_force(facility: Any, head: Any, editor: Any) -> None:
    make_published_charter(facility, head=head, normative_days=3, investigative_days=14)

    draft = services.start_draft(facility, editor)

    assert draft.complaint_norms == ComplaintNorms(2, 3, 14, 14)


def test_the_public_charter_and_the_draft_show_the_norms(client: Client, facility: Any, head: Any) -> None:
    make_published_charter(facility, head=head, investigative_days=14)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("public:charter", args=[facility.slug])).content.decode()

    assert "How long the facility may take to answer" in html
    assert "Needs investigation</td><td>14 working days" in html
    assert "Light</td><td>2 working days" in html


def test_the_diff_between_versions_names_a_changed_norm(facility: Any, head: Any) -> None:
    old = make_published_charter(facility, head=head)
    new = make_published_charter(facility, head=head, investigative_days=14)

    loaded = charters_for_diff(old.pk, new.pk)
    diff = diff_charters(loaded[old.pk], loaded[new.pk])
    changes = {change.label: (change.old, change.new) for change in diff.charter_changes}

    assert changes["Answer to a complaint (needs investigation)"] == ("60 working days", "14 working days")
    assert "Answer to a complaint (light)" not in changes


# --- The deadlines follow the charter in force ------------------------------------------------


def test_norms_in_force_are_the_common_ones_before_any_charter(facility: Any) -> None:
    assert services.complaint_norms(facility) == ComplaintNorms()


def test_norms_in_force_change_on_the_effective_day_of_a_scheduled_version(facility: Any, head: Any) -> None:
    make_published_charter(facility, head=head, normative_days=5, effective_date=TODAY - datetime.timedelta(days=40))
    later = TODAY + datetime.timedelta(days=10)
    revision = approve_draft(make_complete_draft(facility, normative_days=8), head)

    services.publish_charter(revision, head, later)

    assert services.complaint_norms(facility).normative_days == 5
    assert services.complaint_norms(facility, later - datetime.timedelta(days=1)).normative_days == 5
    assert services.complaint_norms(facility, later).normative_days == 8


def test_a_cases_deadline_is_the_norm_of_the_charter_in_force_on_its_day(facility: Any, head: Any) -> None:
    since = datetime.date(2026, 7, 1)
    make_published_charter(facility, head=head, normative_days=3, effective_date=since)
    friday = datetime.date(2026, 7, 3)

    assert feedback_services.due_date_for(facility, ComplaintClass.NORMATIVE, friday) == datetime.date(2026, 7, 8)
    # Before the charter took effect, the common norm (5 working days) applied.
    assert feedback_services.due_date_for(facility, ComplaintClass.NORMATIVE, datetime.date(2026, 6, 26)) == (
        datetime.date(2026, 7, 3)
    )
    case = feedback_services.submit_case(facility, kind=FeedbackKind.COMPLAINT, description="Antrean lama.")
    assert feedback_services.norms_for(case).working_days_for(case.complaint_class) == 3
    assert case.due_date == feedback_services.due_date_for(facility, case.complaint_class, TODAY)


def test_the_complaint_form_states_the_charters_norms(client: Client, facility: Any, head: Any) -> None:
    make_published_charter(facility, head=head, normative_days=4, investigative_days=14)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("public:feedback", args=[facility.slug])).content.decode()

    assert "The facility answers within 4 working days" in html
    assert "may take up to 14 working days" in html
