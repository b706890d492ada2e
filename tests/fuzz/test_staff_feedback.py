"""Fuzzing the staff's complaint and survey forms with Hypothesis (issue 13, "Trust"): a case
entered on a citizen's behalf, every action on a case, the complaint settings and holidays, the
paper questionnaires typed in, the CSV import of them (arbitrary bytes, and CSV files with the
template's columns and arbitrary cells), survey periods and follow-up actions.

The head of the facility sends each form as the page shows it (made valid first), one to four
fields replaced; `runner.submit` checks the answer and the page it redirects to.
`FUZZ_EXAMPLES=200` for a longer run; derandomized in CI (see `runner.fuzz_settings`).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, strategies as st

from charters.models import Charter
from feedback.models import CaseStatus
from feedback.survey.ikm import ELEMENTS
from tests.factories import CaseFactory, SurveyResponseFactory

from .conftest import first_service
from .runner import PageForms, fuzz_settings, submit
from .strategies import changes, csv_upload, upload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def case(facility: Any, published_charter: Charter) -> Any:
    """A case being handled: every action is open to the head."""
    return CaseFactory(facility=facility, status=CaseStatus.IN_PROGRESS, service=first_service(published_charter))


@pytest.fixture
def responses(facility: Any, published_charter: Charter) -> list[Any]:
    service = first_service(published_charter)
    return [SurveyResponseFactory(facility=facility, service=service, scores=(2, 3, 4) * 3) for _ in range(3)]


@fuzz_settings(10)
@given(data=st.data())
def test_case_added_for_a_citizen(
    head_client: Client, page_forms: PageForms, facility: Any, published_charter: Charter, data: Any
) -> None:
    form = page_forms.get(head_client, reverse("manage:case_add", args=[facility.slug]))
    valid = {
        "channel": form.fields["channel"].options[-1],
        "description": "Pasien menunggu lama di apotek.",
        "service": first_service(published_charter).slug,
        "name": "Ibu Sri",
        "phone": "0812 1111 2222",
    }
    submit(head_client, form, data.draw(changes(form)), base=page_forms.seed(head_client, form, valid))


CASE_ACTIONS = {
    # name of the URL: (its arguments after the code, the valid values the page leaves empty)
    "case_note": ((), {"note-text": "Sudah ditelepon."}),
    "case_step": (("reply",), {"reply-text": "Loket kedua dibuka mulai Senin."}),
    "case_step:reject": (("reject",), {"reject-reason": "Bukan layanan puskesmas."}),
    "case_assign": ((), {}),
    "case_reclassify": ((), {}),
    "case_attach": ((), {}),
}


@pytest.mark.parametrize("action", CASE_ACTIONS)
@fuzz_settings(6)
@given(data=st.data())
def test_case_actions(head_client: Client, page_forms: PageForms, case: Any, action: str, data: Any) -> None:
    args, valid = CASE_ACTIONS[action]
    slug = case.facility.slug
    page = reverse("manage:case", args=[slug, case.code])
    form = page_forms.get(head_client, page, reverse(f"manage:{action.split(':')[0]}", args=[slug, case.code, *args]))
    if action != "case_attach":  # a file is required: the examples bring one, or not
        valid = page_forms.seed(head_client, form, valid)
    submit(head_client, form, data.draw(changes(form)), base=valid)


@pytest.mark.parametrize("part", ["settings-code_prefix", "holiday-date"])
@fuzz_settings(8)
@given(data=st.data())
def test_feedback_settings(head_client: Client, page_forms: PageForms, facility: Any, part: str, data: Any) -> None:
    page = reverse("manage:feedback_settings", args=[facility.slug])
    form = page_forms.get(head_client, page, having=part)
    valid = {"holiday-date": (TODAY() + datetime.timedelta(days=30)).isoformat(), "holiday-name": "Hari Jadi Tuban"}
    valid = page_forms.seed(head_client, form, valid if part == "holiday-date" else {})
    submit(head_client, form, data.draw(changes(form)), base=valid)


@fuzz_settings(10)
@given(data=st.data())
def test_paper_survey_entry(
    head_client: Client, page_forms: PageForms, facility: Any, published_charter: Charter, data: Any
) -> None:
    form = page_forms.get(head_client, reverse("manage:survey_entry", args=[facility.slug]))
    valid = {f"rows-0-{element.field}": "3" for element in ELEMENTS}
    valid.update({"rows-0-service": first_service(published_charter).slug, "rows-0-visited_on": TODAY().isoformat()})
    # Mostly the first rows: the one filled in and its neighbour, besides the table's defaults.
    near = sorted(name for name in form.fields if name.startswith(("defaults-", "rows-0-", "rows-1-", "rows-T")))
    fields = data.draw(st.sampled_from([near, None]))
    submit(head_client, form, data.draw(changes(form, fields=fields)), base=page_forms.seed(head_client, form, valid))


@fuzz_settings(8)
@given(data=st.data())
def test_survey_period(head_client: Client, page_forms: PageForms, facility: Any, data: Any) -> None:
    form = page_forms.get(head_client, reverse("manage:survey_periods", args=[facility.slug]))
    valid = {"period-name": "Semester I", "period-start": "2026-01-01", "period-end": "2026-06-30"}
    valid = page_forms.seed(head_client, form, {**valid, "period-population": "500"})
    submit(head_client, form, data.draw(changes(form)), base=valid)


@fuzz_settings(8)
@given(data=st.data())
def test_survey_follow_up_action(
    head_client: Client, page_forms: PageForms, facility: Any, responses: list[Any], data: Any
) -> None:
    page = reverse("manage:survey_report", args=[facility.slug])
    form = page_forms.get(head_client, page, reverse("manage:survey_action_add", args=[facility.slug]))
    valid = {
        "action-element": "U1",
        "action-finding_nrr": "2.00",
        "action-action": "Tambah petugas loket.",
        "action-responsible": "Kepala TU",
        "action-due_date": (TODAY() + datetime.timedelta(days=60)).isoformat(),
    }
    submit(head_client, form, data.draw(changes(form)), base=page_forms.seed(head_client, form, valid))


@pytest.mark.parametrize(
    ("importer", "template"),
    [
        ("survey_import", "survey_import_template"),
        ("observation_import", "observation_import_template"),
    ],
)
@fuzz_settings(8)
@given(data=st.data())
def test_csv_imports(
    head_client: Client,
    page_forms: PageForms,
    facility: Any,
    published_charter: Charter,
    importer: str,
    template: str,
    data: Any,
) -> None:
    form = page_forms.get(head_client, reverse(f"manage:{importer}", args=[facility.slug]))
    header = head_client.get(reverse(f"manage:{template}", args=[facility.slug])).content
    csv_file = csv_upload(header, [s.slug for s in published_charter.services.all()])
    file = data.draw(st.one_of(csv_file, csv_file, upload()))  # two in three a CSV file like the template
    submit(head_client, form, {"file": file})
