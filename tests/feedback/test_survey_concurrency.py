"""The survey's once-per-device rule under simultaneous posts: the check before the insert can be
passed by several requests at once (by several server processes); the database keeps one."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from feedback.models import SurveyResponse
from feedback.services import surveys
from tests.charters.test_concurrency import run_together
from tests.factories import make_published_charter


def answers(service: Any) -> surveys.Answers:
    return surveys.Answers(service=service, visited_on=timezone.localdate(), scores={"u1": 3, "u3": 4})


@pytest.mark.django_db
def test_a_second_answer_that_passed_the_check_meets_the_unique_key(facility: Any, published_charter: Any) -> None:
    service = published_charter.services.first()
    device = surveys.device_hash("cookie", facility, timezone.localdate())
    surveys.submit_response(facility, answers(service), device=device)
    # As a second request does when it checked before the first one was stored.
    with mock.patch.object(surveys, "already_answered", return_value=False):
        with pytest.raises(ValidationError) as refused:
            surveys.submit_response(facility, answers(service), device=device)
        assert refused.value.code == "already_answered"
        # Another service, and a browser without the rule (a shared tablet), are not held back.
        surveys.submit_response(facility, answers(published_charter.services.last()), device=device)
    assert SurveyResponse.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
def test_ten_simultaneous_answers_from_one_browser_store_one() -> None:
    charter = make_published_charter()
    facility = charter.facility
    service = charter.services.first()
    device = surveys.device_hash("same-cookie", facility, timezone.localdate())

    results = run_together(*[lambda: surveys.submit_response(facility, answers(service), device=device)] * 10)

    assert SurveyResponse.objects.count() == 1
    assert sum(isinstance(result, SurveyResponse) for result in results) == 1
    assert all(isinstance(result, ValidationError) for result in results if not isinstance(result, SurveyResponse))
    # The next day the same browser may answer again (its hash is another).
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    surveys.submit_response(
        facility, answers(service), device=surveys.device_hash("same-cookie", facility, tomorrow.date()), now=tomorrow
    )
