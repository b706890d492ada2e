"""The feedback admin: every page renders, cases are read-only but for the citizen's contact,
and failed e-mails are easy to find and send again."""

from __future__ import annotations

import datetime
import smtplib
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback import services, tasks
from feedback.admin import TaskResultAdmin
from feedback.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseStatus,
    FacilityHoliday,
    FeedbackKind,
    FeedbackSettings,
    SurveyAction,
    SurveyPeriod,
    SurveyResponse,
)
from feedback.services import surveys as survey_services
from tests.conftest import admin_url
from tests.factories import CaseFactory
from tests.feedback.conftest import run_worker

pytestmark = pytest.mark.django_db

FEEDBACK_MODELS = [model for model in admin.site._registry if model._meta.app_label == "feedback"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def management_data(response: Any) -> dict[str, Any]:
    """The inline management forms a browser sends back from an admin change page."""
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def post_case(client: Client, case: Case, data: dict[str, Any]) -> Any:
    url = admin_url(Case, "change", case.pk)
    return client.post(url, {**management_data(client.get(url)), **data})


def submit(facility: Any, **fields: Any) -> Case:
    data = {"kind": FeedbackKind.COMPLAINT, "description": "Loket pendaftaran tutup sebelum jam 12."}
    return services.submit_case(facility, **{**data, **fields})


@pytest.fixture
def cases(facility: Any, editor: Any, head: Any) -> dict[str, Case]:
    """An open case with a contact, an attachment, a note and an answer; an anonymous one;
    a rejected one; and the facility's settings and a day off, so every list has rows."""
    named = submit(
        facility,
        name="Rina Wulandari",
        phone="081234567890",
        email="rina@example.net",
        attachment=SimpleUploadedFile("antrean.png", PNG, content_type="image/png"),
    )
    services.add_note(named, editor, "Cek jadwal petugas loket.")
    services.reply(named, editor, "Mulai Senin loket buka sampai jam 14.")
    anonymous = submit(facility, kind=FeedbackKind.SUGGESTION, anonymous=True, description="Tambah kursi tunggu.")
    spam = submit(facility, description="Promo pinjaman online cepat cair!")
    services.reject_case(spam, head, "Spam: bukan tentang pelayanan Puskesmas.")
    FacilityHoliday.objects.create(facility=facility, date=datetime.date(2026, 12, 24), name="Cuti bersama Natal")
    # The survey: a response from the web, a period and a follow-up action.
    today = timezone.localdate()
    survey_services.submit_response(
        facility,
        survey_services.Answers(service=None, visited_on=today, scores={f"u{n}": 3 for n in range(1, 10)}),
    )
    SurveyPeriod.objects.create(
        facility=facility, name="2026", start=today.replace(month=1, day=1), end=today, population=500
    )
    survey_services.add_action(
        facility,
        editor,
        element="U3",
        finding_start=today,
        finding_end=today,
        action="Tambah petugas loket.",
        responsible="Kepala TU",
        due_date=today,
    )
    return {"named": named, "anonymous": anonymous, "spam": spam}


def test_every_feedback_model_is_registered() -> None:
    assert {model.__name__ for model in FEEDBACK_MODELS} == {
        "Case",
        "CaseEvent",
        "FeedbackSettings",
        "FacilityHoliday",
        "SurveyResponse",
        "SurveyPeriod",
        "SurveyDay",
        "SurveyAction",
    }
    assert isinstance(admin.site._registry[DBTaskResult], TaskResultAdmin)


@pytest.mark.parametrize("model", [*FEEDBACK_MODELS, DBTaskResult], ids=lambda m: m.__name__)
def test_changelist_loads_with_rows(admin_client: Client, cases: Any, model: type[models.Model]) -> None:
    DBTaskResult.objects.all().delete()
    tasks.send_email.enqueue("Subjek", "Isi", ["staf@example.org"])

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize("model", [*FEEDBACK_MODELS, DBTaskResult], ids=lambda m: m.__name__)
def test_change_page_of_every_row_loads(admin_client: Client, cases: Any, model: type[models.Model]) -> None:
    tasks.send_email.enqueue("Subjek", "Isi", ["staf@example.org"])
    rows = list(model._default_manager.all())
    assert rows
    for obj in rows:
        response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200, obj


@pytest.mark.parametrize(
    ("model", "status"),
    [
        (Case, 403),
        (CaseEvent, 403),
        (FeedbackSettings, 200),
        (FacilityHoliday, 200),
        (SurveyResponse, 403),
        (SurveyPeriod, 200),
        (SurveyAction, 200),
        (DBTaskResult, 403),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_add_page_only_where_the_admin_may_add(admin_client: Client, model: type[models.Model], status: int) -> None:
    assert admin_client.get(admin_url(model, "add")).status_code == status


def test_case_list_query_count_does_not_grow_with_rows(
    admin_client: Client, facility: Any, editor: Any, django_assert_max_num_queries: Any
) -> None:
    url = admin_url(Case, "changelist")
    case = submit(facility)
    services.start_handling(case, editor)
    admin_client.get(url)  # warm the session and content types
    with django_assert_max_num_queries(100) as one:
        admin_client.get(url)
    for _i in range(9):
        services.start_handling(submit(facility), editor)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 10


def test_case_page_query_count_does_not_grow_with_the_timeline(
    admin_client: Client, facility: Any, editor: Any, django_assert_max_num_queries: Any
) -> None:
    case = submit(facility, attachment=SimpleUploadedFile("a.png", PNG))
    url = admin_url(Case, "change", case.pk)
    admin_client.get(url)
    with django_assert_max_num_queries(100) as one:
        admin_client.get(url)
    for i in range(10):
        services.add_note(case, editor, f"Catatan {i}")
        services.attach_file(case, editor, SimpleUploadedFile(f"b{i}.png", PNG))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = admin_client.get(url)
    assert b"Catatan 9" in response.content


# --- Finding a case --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "term",
    ["{code}", "{code_typed}", "pendaftaran tutup", "Rina Wulandari", "rina@example.net"],
)
def test_search_finds_a_case_by_code_description_name_or_contact(
    admin_client: Client, cases: dict[str, Case], term: str
) -> None:
    code = cases["named"].code
    query = term.format(code=code, code_typed=code.replace("-", " ").lower())

    response = admin_client.get(admin_url(Case, "changelist"), {"q": query})

    assert [c.code for c in response.context["cl"].result_list] == [code]


def test_search_for_an_unknown_code_finds_nothing(admin_client: Client, cases: dict[str, Case]) -> None:
    response = admin_client.get(admin_url(Case, "changelist"), {"q": "SKO-2222-2222"})
    assert list(response.context["cl"].result_list) == []


def test_deadline_filter_shows_overdue_cases(admin_client: Client, facility: Any) -> None:
    late = CaseFactory(facility=facility, due_date=timezone.localdate() - datetime.timedelta(days=1))
    on_time = CaseFactory(facility=facility)

    overdue = admin_client.get(admin_url(Case, "changelist"), {"deadline": "overdue"})
    open_ = admin_client.get(admin_url(Case, "changelist"), {"deadline": "open"})

    assert [c.pk for c in overdue.context["cl"].result_list] == [late.pk]
    assert [c.pk for c in open_.context["cl"].result_list] == [on_time.pk]
    assert b'alt="True"' in overdue.content  # the overdue flag


# --- What may change -------------------------------------------------------------------------


def test_case_page_shows_the_timeline_and_the_files_read_only(admin_client: Client, cases: dict[str, Case]) -> None:
    case = cases["named"]

    response = admin_client.get(admin_url(Case, "change", case.pk))

    content = response.content.decode()
    assert "Cek jadwal petugas loket." in content  # the internal note: admins see everything
    assert "Mulai Senin loket buka sampai jam 14." in content
    attachment = case.attachments.get()
    assert reverse("manage:case_file", args=["pkm-soko", case.code, attachment.pk]) in content
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission
    assert case.get_absolute_url() in content


def test_only_the_contact_is_editable(admin_client: Client, cases: dict[str, Case]) -> None:
    response = admin_client.get(admin_url(Case, "change", cases["named"].pk))

    form = response.context["adminform"].form
    assert sorted(form.fields) == ["email", "language", "name", "phone"]
    readonly = response.context["adminform"].readonly_fields
    for name in ("code", "status", "due_date", "facility", "received_at"):
        assert name in readonly


def test_posting_a_new_code_or_status_changes_neither(admin_client: Client, cases: dict[str, Case]) -> None:
    case = cases["named"]
    case.refresh_from_db()
    before = (case.code, case.status, case.due_date, case.description)

    response = post_case(
        admin_client,
        case,
        {
            "code": "SKO-2222-2222",
            "status": CaseStatus.CLOSED,
            "due_date": "2030-01-01",
            "description": "diubah",
            "name": "Rina W.",
            "phone": "081234567890",
            "email": "rina.w@example.net",
            "language": "id",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.code, case.status, case.due_date, case.description) == before
    assert (case.name, case.email) == ("Rina W.", "rina.w@example.net")


def test_an_anonymous_case_cannot_be_given_a_contact(admin_client: Client, cases: dict[str, Case]) -> None:
    case = cases["anonymous"]

    response = post_case(admin_client, case, {"name": "", "phone": "", "email": "warga@example.net", "language": "id"})

    assert response.status_code == 200
    assert "dikirim tanpa nama" in str(response.context["adminform"].form.non_field_errors())
    case.refresh_from_db()
    assert case.email == ""


def test_a_bad_address_is_refused_next_to_the_field(admin_client: Client, cases: dict[str, Case]) -> None:
    case = cases["named"]

    response = post_case(
        admin_client, case, {"name": case.name, "phone": case.phone, "email": "not an address", "language": "id"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]


def test_timeline_events_cannot_be_changed_or_deleted(admin_client: Client, cases: dict[str, Case]) -> None:
    event = CaseEvent.objects.filter(case=cases["named"]).first()
    text = event.text

    assert admin_client.post(admin_url(CaseEvent, "change", event.pk), {"text": "x"}).status_code == 403
    assert admin_client.post(admin_url(CaseEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.text == text


def test_deleting_a_case_takes_its_timeline_and_files(
    admin_client: Client, cases: dict[str, Case], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = cases["named"]
    stored = Path(settings.MEDIA_ROOT) / case.attachments.get().file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(admin_url(Case, "delete", case.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()
    assert not CaseAttachment.objects.filter(case_id=case.pk).exists()
    assert not stored.exists()


# --- Settings and days off -------------------------------------------------------------------


def test_time_norms_can_be_changed_but_not_moved_to_another_facility(
    admin_client: Client, facility: Any, other_facility: Any
) -> None:
    norms = FeedbackSettings.for_facility(facility)
    url = admin_url(FeedbackSettings, "change", norms.pk)
    data = {"facility": other_facility.pk, "code_prefix": "SKO", "saturday_is_working_day": "on"}

    assert admin_client.post(url, data).status_code == 302
    norms.refresh_from_db()
    assert (norms.facility, norms.saturday_is_working_day) == (facility, True)

    response = admin_client.post(url, {**data, "code_prefix": "sk1"})
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"code_prefix"}


def test_a_facility_day_off_is_counted_only_once(admin_client: Client, facility: Any) -> None:
    data = {"facility": facility.pk, "date": "2026-12-24", "name": "Cuti bersama"}

    assert admin_client.post(admin_url(FacilityHoliday, "add"), data).status_code == 302
    response = admin_client.post(admin_url(FacilityHoliday, "add"), data)

    assert response.status_code == 200
    assert FacilityHoliday.objects.filter(facility=facility).count() == 1


# --- Failed e-mails --------------------------------------------------------------------------


def fail_once(facility: Any) -> tuple[Case, DBTaskResult]:
    case = submit(facility, anonymous=True)
    tasks.send_email.enqueue("Pengaduan baru SKO", "Isi", ["staf@example.org"])
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPException("421 service not available")
    ):
        run_worker()
    return case, DBTaskResult.objects.get(status=TaskResultStatus.FAILED)


def test_task_results_show_a_failed_email_with_its_subject_recipients_and_error(
    admin_client: Client, facility: Any
) -> None:
    _case, failed = fail_once(facility)

    response = admin_client.get(admin_url(DBTaskResult, "changelist"), {"email": "failed"})

    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [failed.pk]
    content = response.content.decode()
    assert "Pengaduan baru SKO" in content
    assert "staf@example.org" in content
    assert "421 service not available" in content
    assert f"1 / {tasks.MAX_ATTEMPTS}" in content

    detail = admin_client.get(admin_url(DBTaskResult, "change", failed.pk)).content.decode()
    assert "smtplib.SMTPException" in detail and "Traceback" in detail


def test_task_results_search_by_recipient(admin_client: Client, facility: Any) -> None:
    tasks.send_email.enqueue("A", "Isi", ["satu@example.org"])
    tasks.send_email.enqueue("B", "Isi", ["dua@example.org"])

    response = admin_client.get(admin_url(DBTaskResult, "changelist"), {"q": "dua@example"})

    assert [admin.site._registry[DBTaskResult].email_subject(r) for r in response.context["cl"].result_list] == ["B"]


def test_an_email_given_up_on_can_be_sent_again(admin_client: Client, facility: Any) -> None:
    tasks.send_email.enqueue("Terakhir", "Isi", ["staf@example.org"], tasks.MAX_ATTEMPTS)
    tasks.send_email.enqueue("Pertama", "Isi", ["staf@example.org"])
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPException("down")):
        run_worker()
    given_up = admin_client.get(admin_url(DBTaskResult, "changelist"), {"email": "given_up"}).context["cl"]
    assert [r.args_kwargs["args"][0] for r in given_up.result_list] == ["Terakhir"]
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).values_list("pk", flat=True)

    response = admin_client.post(
        admin_url(DBTaskResult, "changelist"),
        {"action": "send_again", "_selected_action": [str(pk) for pk in failed]},
        follow=True,
    )

    assert "1 email dimasukkan kembali ke antrean." in response.content.decode()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at")
    # The first e-mail's own retry, and the given-up one afresh (attempt 1 again).
    assert sorted(r.args_kwargs["args"][0] for r in waiting) == ["Pertama", "Terakhir"]
    again = next(r for r in waiting if r.args_kwargs["args"][0] == "Terakhir")
    assert again.args_kwargs["args"][3:] == [] and again.run_after.year == 9999  # now, not later
