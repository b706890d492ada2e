"""Fuzzing the staff's monitoring forms and the staff lists' filters with Hypothesis (issue 13,
"Trust"): one service-time observation, a batch of them, a new evaluation round with its
participants and findings, a round's follow-up actions; the filters of the inbox, the figures,
the survey report, the observations and the district board (by GET, shown back as typed).

The head of the facility (the supervisor for the district board) sends each form as the page
shows it (made valid first), one to four fields replaced; `runner.submit` checks the answer and
the page it redirects to. `FUZZ_EXAMPLES=200` for a longer run; derandomized in CI (see
`runner.fuzz_settings`).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from hypothesis import given, strategies as st

from charters.models import Charter, ParticipantGroup
from monitoring.evaluations import FindingContent, Person, RoundContent, record_round
from tests.monitoring.formdata import round_post_data

from .conftest import first_service
from .runner import PageForms, fuzz_settings, submit
from .strategies import changes

pytestmark = pytest.mark.django_db


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def evaluation(published_charter: Charter, head: Any) -> Any:
    content = RoundContent(
        charter=published_charter,
        started_on=yesterday(),
        ended_on=yesterday(),
        period_start=yesterday() - datetime.timedelta(days=90),
        period_end=yesterday(),
        method="forum",
        public_summary="Antrean pendaftaran masih lama.",
        facilitator="Nur Hidayah",
        organisation="IDFoS Indonesia",
    )
    findings = [FindingContent(first_service(published_charter), "not_kept", evidence="Bukti.", notes="")]
    people = [Person("Siti", ParticipantGroup.PROVIDER)]
    return record_round(published_charter.facility, head, content, people, findings)


@fuzz_settings(10)
@given(data=st.data())
def test_one_observation(head_client: Client, page_forms: PageForms, published_charter: Charter, data: Any) -> None:
    form = page_forms.get(head_client, reverse("manage:observations", args=[published_charter.facility.slug]))
    valid = {
        "observation-service": first_service(published_charter).slug,
        "observation-arrived_on": yesterday().isoformat(),
        "observation-arrived_time": "08:15",
        "observation-completed_time": "08:47",
    }
    submit(head_client, form, data.draw(changes(form)), base=page_forms.seed(head_client, form, valid))


@fuzz_settings(10)
@given(data=st.data())
def test_observation_batch(head_client: Client, page_forms: PageForms, published_charter: Charter, data: Any) -> None:
    form = page_forms.get(head_client, reverse("manage:observation_batch", args=[published_charter.facility.slug]))
    valid = {
        "batch-service": first_service(published_charter).slug,
        "batch-arrived_on": yesterday().isoformat(),
        "rows-0-arrived_time": "08:15",
        "rows-0-duration_minutes": "25",
    }
    near = sorted(name for name in form.fields if name.startswith(("batch-", "rows-0-", "rows-1-", "rows-T")))
    fields = data.draw(st.sampled_from([near, None]))
    submit(head_client, form, data.draw(changes(form, fields=fields)), base=page_forms.seed(head_client, form, valid))


@fuzz_settings(10)
@given(data=st.data())
def test_evaluation_round(head_client: Client, page_forms: PageForms, published_charter: Charter, data: Any) -> None:
    form = page_forms.get(head_client, reverse("manage:evaluation_new", args=[published_charter.facility.slug]))
    # The page's own number of participant rows, not the three the helper fills.
    typed = {k: v for k, v in round_post_data(published_charter).items() if not k.endswith("_FORMS")}
    valid = page_forms.seed(head_client, form, typed)
    submit(head_client, form, data.draw(changes(form)), base=valid)


@fuzz_settings(8)
@given(data=st.data())
def test_evaluation_follow_up_actions(head_client: Client, page_forms: PageForms, evaluation: Any, data: Any) -> None:
    page = reverse("manage:evaluation_actions", args=[evaluation.facility.slug, evaluation.pk])
    form = page_forms.get(head_client, page)
    valid = {
        "form-0-what": "Buka loket kedua.",
        "form-0-who": "Kepala TU",
        "form-0-due_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    prefix = next(name.split("-")[0] for name in form.fields if name.endswith("-TOTAL_FORMS"))
    valid = page_forms.seed(head_client, form, {name.replace("form-", f"{prefix}-"): v for name, v in valid.items()})
    submit(head_client, form, data.draw(changes(form)), base=valid)


STAFF_FILTERS = ["cases", "case_figures", "survey_report", "observations"]


@pytest.mark.parametrize("name", STAFF_FILTERS)
@fuzz_settings(6)
@given(data=st.data())
def test_staff_list_filters(
    head_client: Client, page_forms: PageForms, published_charter: Charter, name: str, data: Any
) -> None:
    page = reverse(f"manage:{name}", args=[published_charter.facility.slug])
    forms = [f for f in page_forms.all(head_client, page) if f.method == "get" and f.action == page]
    form = data.draw(st.sampled_from(forms))
    submit(head_client, form, data.draw(changes(form)))


@pytest.fixture
def supervisor_client(login: Any, supervisor: Any) -> Client:
    return login(supervisor)


@fuzz_settings(8)
@given(data=st.data())
def test_district_board_filters(
    supervisor_client: Client, page_forms: PageForms, published_charter: Charter, data: Any
) -> None:
    client = supervisor_client
    form = page_forms.get(client, reverse("manage:district", args=[slugify(published_charter.facility.regency)]))
    submit(client, form, data.draw(changes(form)))
