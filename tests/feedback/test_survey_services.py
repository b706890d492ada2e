"""The survey's service functions: answers from citizens, paper batches, follow-up actions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.models import FeedbackSettings, ResponseChannel, SurveyAction, SurveyResponse
from feedback.services import surveys
from tests.factories import make_published_charter

pytestmark = pytest.mark.django_db

ALL_FOUR = {f"u{n}": 4 for n in range(1, 10)}


def answers(service: Any = None, **scores: int | None) -> surveys.Answers:
    return surveys.Answers(
        service=service,
        visited_on=timezone.localdate(),
        scores={**ALL_FOUR, **scores},
        profile={"age_group": "30_39", "sex": "female"},
        comment="  Pelayanan cepat.  ",
    )


def test_a_citizens_answers_are_saved_with_the_device(facility: Any, published_charter: Any) -> None:
    service = published_charter.services.first()
    device = surveys.device_hash("token-1", facility, timezone.localdate())

    response = surveys.submit_response(facility, answers(service, u3=2), device=device)

    response.refresh_from_db()
    assert (response.facility, response.service, response.channel) == (facility, service, ResponseChannel.WEB)
    assert [score for _element, score in response.scores()] == [4, 4, 2, 4, 4, 4, 4, 4, 4]
    assert (response.age_group, response.sex, response.education) == ("30_39", "female", "")
    assert response.comment == "Pelayanan cepat."
    assert response.device == device and len(device) == 64 and "token-1" not in device
    # Another day or another facility: another hash, so answers cannot be linked over time.
    assert device != surveys.device_hash("token-1", facility, timezone.localdate() - datetime.timedelta(days=1))


def test_the_same_device_answers_once_a_day_per_service(facility: Any, published_charter: Any) -> None:
    first, second = published_charter.services.order_by("position")[:2]
    device = surveys.device_hash("token-1", facility, timezone.localdate())
    surveys.submit_response(facility, answers(first), device=device)

    with pytest.raises(ValidationError) as refused:
        surveys.submit_response(facility, answers(first), device=device)

    assert refused.value.code == "already_answered"
    surveys.submit_response(facility, answers(second), device=device)  # another service
    surveys.submit_response(
        facility, answers(first), device=surveys.device_hash("token-2", facility, timezone.localdate())
    )  # another device
    assert SurveyResponse.objects.count() == 3


def test_the_device_rule_counts_a_service_across_charter_versions(facility: Any, head: Any) -> None:
    from charters.services import start_draft
    from tests.factories import publish_draft

    old = make_published_charter(facility, services=1, head=head).services.get()
    new = publish_draft(start_draft(facility, head), head).services.get()
    device = surveys.device_hash("token-1", facility, timezone.localdate())
    surveys.submit_response(facility, answers(old), device=device)

    assert surveys.already_answered(facility, new, device, timezone.localdate())


def test_the_device_rule_starts_again_the_next_day(facility: Any, published_charter: Any) -> None:
    service = published_charter.services.first()
    device = surveys.device_hash("token-1", facility, timezone.localdate())
    surveys.submit_response(facility, answers(service), device=device, now=timezone.now() - datetime.timedelta(days=1))

    surveys.submit_response(facility, answers(service), device=device)

    assert SurveyResponse.objects.count() == 2


def test_the_device_rule_can_be_turned_off_for_a_shared_tablet(facility: Any, published_charter: Any) -> None:
    service = published_charter.services.first()
    settings = FeedbackSettings.for_facility(facility)
    settings.survey_once_per_device = False
    settings.save()
    device = surveys.device_hash("kiosk", facility, timezone.localdate())

    for _ in range(3):
        surveys.submit_response(facility, answers(service), device=device)

    assert SurveyResponse.objects.filter(device=device).count() == 3


def test_without_a_cookie_there_is_no_device_rule(facility: Any) -> None:
    assert surveys.device_hash("", facility, timezone.localdate()) == ""
    surveys.submit_response(facility, answers())
    surveys.submit_response(facility, answers())
    assert SurveyResponse.objects.count() == 2


def test_a_paper_batch_is_saved_whole_with_who_entered_it(facility: Any, editor: Any, published_charter: Any) -> None:
    service = published_charter.services.first()

    saved = surveys.record_paper_responses(facility, [answers(service), answers(service, u9=None)], editor)

    assert len(saved) == 2
    rows = SurveyResponse.objects.order_by("id")
    assert {(r.channel, r.entered_by_id, r.device) for r in rows} == {(ResponseChannel.PAPER, editor.pk, "")}
    assert rows[1].u9 is None


def test_a_paper_batch_with_another_facilitys_service_saves_nothing(
    facility: Any, other_facility: Any, editor: Any, published_charter: Any
) -> None:
    foreign = make_published_charter(other_facility, services=1).services.get()
    batch = [answers(published_charter.services.first()), answers(foreign)]

    with pytest.raises(ValidationError):
        surveys.record_paper_responses(facility, batch, editor, channel=ResponseChannel.IMPORT)

    assert SurveyResponse.objects.count() == 0


def test_an_action_is_recorded_completed_and_reopened(facility: Any, editor: Any) -> None:
    today = timezone.localdate()
    action = surveys.add_action(
        facility,
        editor,
        element="U3",
        finding_start=today - datetime.timedelta(days=180),
        finding_end=today,
        action="Tambah satu petugas loket pada jam sibuk.",
        responsible="Kepala TU",
        due_date=today + datetime.timedelta(days=30),
    )
    assert not action.is_done and not action.is_overdue()
    assert action.is_overdue(today + datetime.timedelta(days=31))

    surveys.complete_action(action, today, "  Petugas kedua mulai bertugas.  ")
    action.refresh_from_db()
    assert (action.done_on, action.result) == (today, "Petugas kedua mulai bertugas.")
    assert not action.is_overdue(today + datetime.timedelta(days=31))

    surveys.reopen_action(action)
    action.refresh_from_db()
    assert action.done_on is None and action.result == "Petugas kedua mulai bertugas."


def test_an_action_for_an_unknown_element_is_refused(facility: Any, editor: Any) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        surveys.add_action(
            facility,
            editor,
            element="U10",
            finding_start=today,
            finding_end=today,
            action="x",
            responsible="y",
            due_date=today,
        )
    assert "element" in refused.value.message_dict
    assert SurveyAction.objects.count() == 0
