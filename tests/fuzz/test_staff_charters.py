"""Fuzzing the staff's charter forms with Hypothesis (issue 13, "Trust"): the service editor with
its three formsets (added and edited), the charter's own text with its clauses, the facility
profile, a forum meeting with its participants, the publication of an approved version.

The head of the facility sends each form as the page shows it (a new service or meeting filled in
first), one to four fields replaced; `runner.submit` checks the answer and the page it redirects
to. `FUZZ_EXAMPLES=200` for a longer run; derandomized in CI (see `runner.fuzz_settings`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, strategies as st

from charters.models import Charter
from tests.factories import make_approved_charter

from .conftest import first_service
from .runner import PageForms, fuzz_settings, submit
from .strategies import changes

pytestmark = pytest.mark.django_db


def charter_url(charter: Charter, name: str, *args: Any) -> str:
    return reverse(f"manage:{name}", args=[charter.facility.slug, charter.version, *args])


@fuzz_settings(12)
@given(data=st.data())
def test_service_edit(head_client: Client, page_forms: PageForms, draft_charter: Charter, data: Any) -> None:
    form = page_forms.get(head_client, charter_url(draft_charter, "service_edit", first_service(draft_charter).slug))
    submit(head_client, form, data.draw(changes(form)), base=page_forms.seed(head_client, form, {}))


@fuzz_settings(10)
@given(data=st.data())
def test_service_add(head_client: Client, page_forms: PageForms, draft_charter: Charter, data: Any) -> None:
    form = page_forms.get(head_client, charter_url(draft_charter, "service_add"))
    valid = {
        "name": "Imunisasi Dasar",
        "category": form.fields["category"].options[-1],
        "methods": ["walk_in"],
        "duration_value": "30",
        "fee_amount": "15000",
        "requirements-0-text": "Buku KIA",
        "steps-0-text": "Mendaftar di loket",
        "schedule-0-weekday": "0",
        "schedule-0-opens": "07:30",
        "schedule-0-closes": "11:00",
    }
    submit(head_client, form, data.draw(changes(form)), base=page_forms.seed(head_client, form, valid))


@fuzz_settings(10)
@given(data=st.data())
def test_charter_edit(head_client: Client, page_forms: PageForms, draft_charter: Charter, data: Any) -> None:
    form = page_forms.get(head_client, charter_url(draft_charter, "charter_edit"))
    submit(head_client, form, data.draw(changes(form)), base=page_forms.seed(head_client, form, {}))


@fuzz_settings(10)
@given(data=st.data())
def test_facility_profile(head_client: Client, page_forms: PageForms, facility: Any, data: Any) -> None:
    form = page_forms.get(head_client, reverse("manage:facility_edit", args=[facility.slug]))
    submit(head_client, form, data.draw(changes(form)), base=page_forms.seed(head_client, form, {}))


@fuzz_settings(10)
@given(data=st.data())
def test_forum_meeting_add(head_client: Client, page_forms: PageForms, draft_charter: Charter, data: Any) -> None:
    form = page_forms.get(head_client, charter_url(draft_charter, "meeting_add"))
    valid = {
        "meeting-date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "meeting-place": "Balai Desa Soko",
        "meeting-agenda": "Pembahasan rancangan maklumat pelayanan",
        "meeting-minutes": "Forum menyepakati rancangan.",
    }
    for row, group in enumerate(("provider", "user", "stakeholder")):
        valid.update({f"participants-{row}-name": f"Peserta {group}", f"participants-{row}-group": group})
        valid[f"participants-{row}-signed"] = "on"
    submit(head_client, form, data.draw(changes(form)), base=page_forms.seed(head_client, form, valid))


@pytest.fixture
def approved_charter(facility: Any, head: Any) -> Charter:
    return make_approved_charter(facility, head=head)


@fuzz_settings(8)
@given(data=st.data())
def test_publication(head_client: Client, page_forms: PageForms, approved_charter: Charter, data: Any) -> None:
    page = charter_url(approved_charter, "charter")
    form = page_forms.get(head_client, page, charter_url(approved_charter, "charter_publish"))
    valid = page_forms.seed(head_client, form, {"confirm": "on"})
    # Refused, the step goes back to the version's page with the reason (post/redirect/get).
    submit(head_client, form, data.draw(changes(form)), base=valid)
