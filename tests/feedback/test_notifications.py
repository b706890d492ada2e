"""E-mails about cases: who gets which, in which language, and that they leave the request
through the background queue (retried when the mail server fails)."""

from __future__ import annotations

import datetime
import re
import smtplib
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from charters.models import ComplaintClass
from feedback import notifications, services, tasks
from feedback.models import Case, Channel, EventKind, FeedbackKind, Rating
from tests.factories import FacilityFactory, MembershipFactory, UserFactory
from tests.feedback.conftest import run_worker

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CITIZEN = {"name": "Rina Wulandari", "phone": "081234567890", "email": "rina@example.net"}
SITE = "https://maklumat.example.go.id"


@pytest.fixture(autouse=True)
def site_url(settings: Any) -> None:
    settings.SITE_URL = SITE + "/"  # a trailing slash must not double in links


@pytest.fixture
def immediate(settings: Any) -> None:
    """Tasks run at once: the e-mail is in the outbox as soon as the transaction commits."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def staff(editor: Any, head: Any, other_editor: Any) -> dict[str, Any]:
    """The facility's editor and head, a colleague without an address, a former colleague
    whose account is disabled, and the editor of another facility."""
    no_address = MembershipFactory(facility=editor.memberships.get().facility, user__email="").user
    disabled = MembershipFactory(facility=editor.memberships.get().facility, user__is_active=False).user
    return {"editor": editor, "head": head, "no_address": no_address, "disabled": disabled, "other": other_editor}


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run `action(*args)` and then its on-commit callbacks, as the end of a request would."""

    def run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def submit(facility: Any, **fields: Any) -> Case:
    data = {"kind": FeedbackKind.COMPLAINT, "description": "Antrean pendaftaran lebih dari dua jam."}
    return services.submit_case(facility, **{**data, **fields})


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def weekday_names(language: str) -> set[str]:
    with translation.override(language):
        from django.utils.dates import WEEKDAYS

        return {str(name) for name in WEEKDAYS.values()}


# --- A new case ------------------------------------------------------------------------------


def test_new_case_goes_to_the_staff_of_its_facility_with_an_address(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, **CITIZEN)

    staff_mails = [m for m in mail.outbox if CITIZEN["email"] not in m.to]
    assert len(staff_mails) == 1
    assert sorted(staff_mails[0].to) == ["editor@example.org", "head@example.org"]
    message = staff_mails[0]
    assert case.code in message.subject and "Puskesmas Soko" in message.subject
    assert f"{SITE}/manage/pkm-soko/feedback/{case.code}/" in message.body
    assert "Antrean pendaftaran lebih dari dua jam." in message.body


def test_staff_subject_and_body_carry_no_contact_details(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    on_commit(submit, facility, **CITIZEN)

    (message,) = sent_to("editor@example.org")
    for private in CITIZEN.values():
        assert private not in message.subject
        assert private not in message.body


def test_citizen_gets_a_receipt_with_the_code_the_tracking_link_and_the_deadline(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, **CITIZEN)

    (receipt,) = sent_to(CITIZEN["email"])
    assert receipt.to == [CITIZEN["email"]]
    assert case.code in receipt.subject
    assert case.code in receipt.body
    assert f"{SITE}/track/{case.code}/" in receipt.body
    assert str(case.due_date.year) in receipt.body and str(case.due_date.day) in receipt.body
    # The citizen's address is theirs; the staff's are not shown to them.
    assert "editor@example.org" not in receipt.to
    # Issue 13: nothing the sender typed goes to the address they typed (anyone's, perhaps).
    assert case.description not in receipt.body


@pytest.mark.parametrize(("language", "service_label"), [("id", "Layanan:"), ("en", "Service:")])
def test_receipt_is_written_in_the_language_the_citizen_used(
    immediate: None,
    facility: Any,
    published_charter: Any,
    on_commit: Any,
    language: str,
    service_label: str,
) -> None:
    service = published_charter.services.first()
    with translation.override(language):
        case = on_commit(submit, facility, service=service, email="warga@example.net")
    # Staff act in the site's language: the citizen still hears in theirs.
    with translation.override("id" if language == "en" else "en"):
        on_commit(services.reply, case, published_charter.published_by, "Sudah kami tindak lanjuti.")

    receipt, answer = sent_to("warga@example.net")
    assert case.language == language
    assert service_label in receipt.body
    day_names = weekday_names(language)
    other_names = weekday_names("en" if language == "id" else "id")
    assert any(name in receipt.body for name in day_names)
    assert not any(name in receipt.body for name in other_names - day_names)
    assert "Sudah kami tindak lanjuti." not in answer.body  # read on the tracking page
    assert (case.code in answer.body) and ("Baca jawabannya" if language == "id" else "Read the answer") in answer.body


def test_every_citizen_message_is_rendered_in_the_case_language(
    immediate: None, facility: Any, editor: Any, on_commit: Any
) -> None:
    with translation.override("en"):
        case = on_commit(submit, facility, email="warga@example.net")
    languages: list[str | None] = []
    real_render = notifications.render_to_string

    def spy(template: str, context: dict[str, Any]) -> str:
        languages.append((template, translation.get_language()))
        return real_render(template, context)

    with mock.patch.object(notifications, "render_to_string", spy), translation.override("id"):
        on_commit(services.start_handling, case, editor)
        on_commit(services.reply, case, editor, "Jawaban")

    citizen = [lang for template, lang in languages if "citizen_" in template]
    assert citizen and set(citizen) == {"en"}


def test_anonymous_case_sends_the_citizen_nothing(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, anonymous=True, **CITIZEN)
    on_commit(services.reply, case, staff["editor"], "Terima kasih atas laporannya.")

    assert case.email == ""
    assert sent_to(CITIZEN["email"]) == []
    assert [m.to for m in mail.outbox] == [["editor@example.org", "head@example.org"]]


def test_case_without_an_email_sends_the_citizen_nothing(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, name="Pak Darto", phone="0812")
    on_commit(services.start_handling, case, staff["editor"])
    on_commit(services.reply, case, staff["editor"], "Sudah kami perbaiki.")

    assert len(mail.outbox) == 1  # the staff's new-case mail only
    assert "Sudah kami perbaiki." not in mail.outbox[0].body


def test_staff_entering_a_case_for_a_citizen_are_not_told_about_it(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, channel=Channel.PHONE, entered_by=staff["editor"], email="warga@example.net")

    (staff_mail,) = [m for m in mail.outbox if "warga@example.net" not in m.to]
    assert staff_mail.to == ["head@example.org"]
    assert "Siti" not in staff_mail.subject
    assert case.get_channel_display() in staff_mail.body
    assert len(sent_to("warga@example.net")) == 1  # the receipt, as for a web case


def test_other_facility_staff_hear_nothing(
    immediate: None, facility: Any, other_facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    on_commit(submit, facility)
    on_commit(submit, other_facility)

    (theirs,) = sent_to("other_editor@example.org")
    assert "Puskesmas Rengel" in theirs.subject
    (ours,) = sent_to("editor@example.org")
    assert "Puskesmas Soko" in ours.subject


# --- Staff act: the citizen hears ------------------------------------------------------------


def test_public_answer_is_announced_to_the_citizen_with_its_link_but_no_free_text(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, **CITIZEN)
    mail.outbox.clear()

    on_commit(services.reply, case, staff["editor"], "Mulai Senin loket dibuka pukul 07.00.")

    (message,) = mail.outbox
    assert message.to == [CITIZEN["email"]]
    assert case.code in message.subject
    # Issue 13: mail to an address a citizen typed holds the code, status, dates and link only.
    assert "Mulai Senin loket dibuka pukul 07.00." not in message.body
    assert f"{SITE}/track/{case.code}/" in message.body
    assert "editor@example.org" not in message.body  # nothing about who answered internally


@pytest.mark.parametrize("step", ["start", "close", "reject"])
def test_each_status_change_by_staff_is_mailed_to_the_citizen(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any, step: str
) -> None:
    case = on_commit(submit, facility, email="warga@example.net")
    if step == "close":
        on_commit(services.reply, case, staff["editor"], "Jawaban")
    mail.outbox.clear()

    if step == "start":
        on_commit(services.start_handling, case, staff["editor"])
    elif step == "close":
        on_commit(services.close_case, case, staff["editor"], "Selesai ditangani.")
    else:
        on_commit(services.reject_case, case, staff["head"], "Bukan layanan Puskesmas.")

    (message,) = mail.outbox
    case.refresh_from_db()
    assert message.to == ["warga@example.net"]
    assert case.get_status_display() in message.subject
    assert "Bukan layanan Puskesmas." not in message.body and "Selesai ditangani." not in message.body
    assert f"{SITE}/track/{case.code}/" in message.body


def test_internal_work_sends_nothing(
    immediate: None, facility: Any, published_charter: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, **CITIZEN)
    mail.outbox.clear()

    on_commit(services.add_note, case, staff["editor"], "Cek CCTV loket hari Senin.")
    on_commit(services.assign, case, staff["head"], staff["editor"])
    on_commit(
        services.reclassify,
        case,
        staff["editor"],
        kind=FeedbackKind.COMPLAINT,
        complaint_class=ComplaintClass.SIMPLE,
        service=published_charter.services.first(),
    )

    assert mail.outbox == []


# --- The citizen acts: the staff hear --------------------------------------------------------


def test_added_information_goes_to_the_assignee_only(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, **CITIZEN)
    on_commit(services.start_handling, case, staff["editor"])  # assigns the editor
    mail.outbox.clear()

    on_commit(services.add_information, case, "Kejadiannya hari Selasa pagi.")

    (message,) = mail.outbox
    assert message.to == ["editor@example.org"]
    assert case.code in message.subject
    assert "Kejadiannya hari Selasa pagi." in message.body
    assert f"{SITE}/manage/pkm-soko/feedback/{case.code}/" in message.body
    for private in CITIZEN.values():
        assert private not in message.subject


def test_added_information_goes_to_all_staff_when_nobody_is_assigned(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility)
    mail.outbox.clear()

    on_commit(services.add_information, case, "Foto terlampir menyusul.")

    (message,) = mail.outbox
    assert sorted(message.to) == ["editor@example.org", "head@example.org"]


def test_added_information_goes_to_all_staff_when_the_assignee_has_left(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility)
    on_commit(services.start_handling, case, staff["editor"])
    staff["editor"].memberships.all().delete()
    mail.outbox.clear()

    on_commit(services.add_information, case, "Tambahan")

    (message,) = mail.outbox
    assert message.to == ["head@example.org"]


def test_not_satisfied_reopens_and_tells_the_heads(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, **CITIZEN)
    on_commit(services.start_handling, case, staff["editor"])
    on_commit(services.reply, case, staff["editor"], "Sudah kami tegur petugasnya.")
    mail.outbox.clear()

    on_commit(services.rate_answer, case, Rating.NOT_SATISFIED, "Petugas masih tidak ramah.")

    (message,) = mail.outbox
    assert message.to == ["head@example.org"]
    assert case.code in message.subject
    assert "Petugas masih tidak ramah." in message.body
    assert CITIZEN["name"] not in message.subject


def test_reopened_case_goes_to_all_staff_when_the_facility_has_no_head(
    immediate: None, facility: Any, editor: Any, on_commit: Any
) -> None:
    case = on_commit(submit, facility)
    on_commit(services.reply, case, editor, "Jawaban")
    mail.outbox.clear()

    on_commit(services.rate_answer, case, Rating.NOT_SATISFIED)

    assert [m.to for m in mail.outbox] == [["editor@example.org"]]


def test_a_satisfied_rating_sends_nothing(
    immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, **CITIZEN)
    on_commit(services.reply, case, staff["editor"], "Jawaban")
    mail.outbox.clear()

    on_commit(services.rate_answer, case, Rating.SATISFIED, "Terima kasih")

    assert mail.outbox == []


# --- When nothing may be sent ----------------------------------------------------------------


def test_a_rolled_back_change_sends_nothing(immediate: None, facility: Any, staff: dict[str, Any]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(facility, **CITIZEN)
        raise RuntimeError("the request failed after the case was written")

    assert mail.outbox == []
    assert not Case.objects.exists()


def test_muted_sends_nothing(immediate: None, facility: Any, staff: dict[str, Any], on_commit: Any) -> None:
    with notifications.muted():
        case = on_commit(submit, facility, **CITIZEN)
        on_commit(services.reply, case, staff["editor"], "Jawaban")

    assert mail.outbox == []
    on_commit(services.close_case, case, staff["editor"])
    assert len(mail.outbox) == 1  # muting ends with the block


def test_subjects_are_plain_text(immediate: None, staff: dict[str, Any], on_commit: Any) -> None:
    facility = FacilityFactory(name="Puskesmas Ma'arif & Co", slug="pkm-maarif")
    MembershipFactory(facility=facility, user=UserFactory(email="staf@example.org"))

    case = on_commit(submit, facility, email="warga@example.net")

    subjects = {m.subject for m in mail.outbox}
    assert len(subjects) == 2
    assert all("Puskesmas Ma'arif & Co" in s for s in subjects), subjects
    assert all("\n" not in s for s in subjects)
    assert case.code in "".join(subjects)


# --- The background queue --------------------------------------------------------------------


def test_database_queue_sends_nothing_during_the_request_and_the_worker_sends_it(
    facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, **CITIZEN)

    assert mail.outbox == []
    queued = list(DBTaskResult.objects.all())
    assert len(queued) == 2
    assert {r.status for r in queued} == {TaskResultStatus.READY}
    assert {r.task_path for r in queued} == {"feedback.tasks.send_email"}

    run_worker()

    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("editor@example.org", "head@example.org"),
        (CITIZEN["email"],),
    ]
    assert all(case.code in m.body for m in mail.outbox)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}


def test_nothing_is_queued_before_the_transaction_commits(facility: Any, staff: dict[str, Any]) -> None:
    with transaction.atomic():
        submit(facility, **CITIZEN)
        assert not DBTaskResult.objects.exists()


def test_a_queue_that_fails_does_not_break_the_change(
    facility: Any, staff: dict[str, Any], on_commit: Any, caplog: Any
) -> None:
    with mock.patch("django_tasks_db.backend.DatabaseBackend.enqueue", side_effect=RuntimeError("queue down")):
        case = on_commit(submit, facility, **CITIZEN)

    assert Case.objects.filter(pk=case.pk).exists()
    assert "queue down" in caplog.text


def failing_send(*args: Any, **kwargs: Any) -> int:
    raise smtplib.SMTPException("421 mail.example.go.id: service not available")


def test_a_failing_mail_server_fails_the_task_visibly_and_queues_a_retry(
    facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    case = on_commit(submit, facility, anonymous=True)  # one e-mail: the staff's
    (first,) = DBTaskResult.objects.all()
    started = first.enqueued_at

    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        run_worker()

    first.refresh_from_db()
    assert Case.objects.get(pk=case.pk).code == case.code
    assert first.status == TaskResultStatus.FAILED
    assert first.exception_class_path == "smtplib.SMTPException"
    assert "service not available" in first.traceback
    (retry,) = DBTaskResult.objects.exclude(pk=first.pk)
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["args"][:3] == first.args_kwargs["args"][:3]
    assert retry.args_kwargs["args"][3] == 2
    assert retry.run_after >= started + datetime.timedelta(minutes=1)
    assert mail.outbox == []


def test_the_retry_is_not_run_before_its_time(facility: Any, staff: dict[str, Any], on_commit: Any) -> None:
    on_commit(submit, facility, anonymous=True)
    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        run_worker()

    run_worker()

    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_retries_wait_longer_each_time_and_stop_after_max_attempts(caplog: Any) -> None:
    tasks.send_email.enqueue("Subjek", "Isi", ["staf@example.org"])
    pauses = []
    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        for _attempt in range(tasks.MAX_ATTEMPTS + 2):
            pending = DBTaskResult.objects.filter(status=TaskResultStatus.READY).first()
            if pending is None:
                break
            # The worker waits until `run_after`; rather than move the clock, make it due now.
            DBTaskResult.objects.filter(pk=pending.pk).update(run_after=pending.enqueued_at)
            run_worker()
            failed = DBTaskResult.objects.get(pk=pending.pk)
            retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).first()
            if retry is not None:
                pauses.append(retry.run_after - failed.started_at)

    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(results) == tasks.MAX_ATTEMPTS
    assert {r.status for r in results} == {TaskResultStatus.FAILED}
    assert [r.args_kwargs["args"][3] for r in results[1:]] == list(range(2, tasks.MAX_ATTEMPTS + 1))
    assert len(pauses) == tasks.MAX_ATTEMPTS - 1
    assert pauses[0] >= datetime.timedelta(minutes=1)
    assert all(later > earlier * 2 for earlier, later in pairwise(pauses))
    assert "giving up" in caplog.text


def test_a_citizens_e_mail_given_up_is_said_on_the_case_for_its_staff(
    facility: Any, staff: dict[str, Any], on_commit: Any, login: Any
) -> None:
    """Issue 13: it was only in the admin's task results."""
    case = on_commit(submit, facility, **CITIZEN)
    DBTaskResult.objects.exclude(args_kwargs__args__2=[CITIZEN["email"]]).delete()  # the receipt alone
    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        for _attempt in range(tasks.MAX_ATTEMPTS):
            DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
            run_worker()
            # Retries pending: nothing said on the case yet.
            if DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists():
                assert not case.events.filter(kind=EventKind.EMAIL_FAILED).exists()

    (failure,) = case.events.filter(kind=EventKind.EMAIL_FAILED)
    assert not failure.public and CITIZEN["email"] in failure.text and "421" in failure.text
    html = login(staff["editor"]).get(case.get_absolute_url()).content.decode()
    assert "An e-mail to the citizen was not delivered" in html and f"#event-{failure.pk}" in html
    tracking = Client().get(case.get_tracking_url()).content.decode()
    assert "421" not in tracking and CITIZEN["email"] not in tracking


def test_an_e_mail_to_staff_given_up_adds_nothing_to_the_case(immediate: None, facility: Any, on_commit: Any) -> None:
    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        case = on_commit(submit, facility, anonymous=True)  # the staff's e-mail only
    assert not case.events.filter(kind=EventKind.EMAIL_FAILED).exists()


def test_the_documented_daily_pruning_removes_old_e_mails_with_citizens_text(
    facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    """Issue 13: task results hold the e-mails (the staff's quote what the citizen wrote) and
    were never pruned. The cron line of docs/deployment.md is run as written."""
    line = re.search(r"manage\.py (prune_db_task_results[^\n`]*)", (ROOT / "docs/deployment.md").read_text())
    command, *arguments = line.group(1).split()
    on_commit(submit, facility, anonymous=True)
    run_worker()
    sent = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert "Antrean pendaftaran" in str(sent.args_kwargs)  # the citizen's words, in the staff's e-mail
    tasks.send_email.enqueue("Gagal", "Isi", ["staf@example.org"])
    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        run_worker()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    now = timezone.now()

    def aged(days: int) -> None:
        DBTaskResult.objects.filter(pk__in=[sent.pk, failed.pk]).update(finished_at=now - datetime.timedelta(days=days))
        call_command(command, *arguments, verbosity=0)

    aged(6)
    assert DBTaskResult.objects.filter(pk=sent.pk).exists()
    aged(8)
    assert not DBTaskResult.objects.filter(pk=sent.pk).exists()
    assert DBTaskResult.objects.filter(pk=failed.pk).exists()  # an admin may still send it again
    aged(31)
    assert not DBTaskResult.objects.filter(pk=failed.pk).exists()


def test_retry_delays_grow() -> None:
    assert [tasks.retry_delay(n).total_seconds() / 60 for n in range(1, tasks.MAX_ATTEMPTS)] == [1, 4, 16, 64]


def test_a_backend_that_cannot_defer_fails_without_retrying(immediate: None, caplog: Any) -> None:
    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        result = tasks.send_email.enqueue("Subjek", "Isi", ["staf@example.org"])

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "smtplib.SMTPException"
    assert "cannot retry later" in caplog.text


def test_links_point_at_the_configured_site(settings: Any) -> None:
    settings.SITE_URL = "https://pkm.example.go.id/"
    assert notifications.site_url(reverse("public:track")) == "https://pkm.example.go.id/track/"


# --- Through the public form -----------------------------------------------------------------

FORM = {"kind": FeedbackKind.COMPLAINT, "description": "Loket tutup jam 11, padahal jadwalnya sampai jam 12."}


def post_feedback(client: Any, on_commit: Any, **fields: Any) -> Any:
    return on_commit(client.post, reverse("public:feedback", args=["pkm-soko"]), {**FORM, **fields})


def test_the_public_form_queues_the_mails_and_the_worker_sends_them(
    client: Any, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    response = post_feedback(client, on_commit, email="warga@example.net")

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/track/{case.code}/receipt/")
    assert mail.outbox == []  # nothing is sent while the citizen waits
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2

    run_worker()

    (receipt,) = sent_to("warga@example.net")
    assert case.code in receipt.body and f"{SITE}/track/{case.code}/" in receipt.body
    assert len(sent_to("editor@example.org")) == 1


def test_the_public_form_works_while_the_mail_server_is_down(
    client: Any, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        response = post_feedback(client, on_commit, email="warga@example.net")
        run_worker()

    assert response.status_code == 302
    case = Case.objects.get()
    assert client.get(response["Location"]).status_code == 200  # the receipt page
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert failed.count() == 2
    assert all("service not available" in r.traceback for r in failed)
    retries = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert retries.count() == 2
    assert all(r.run_after > timezone.now() for r in retries)
    assert all(case.code in r.args_kwargs["args"][0] or case.code in r.args_kwargs["args"][1] for r in retries)


def test_the_public_form_works_when_mail_is_sent_at_once_and_fails(
    immediate: None, client: Any, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    with mock.patch("django.core.mail.EmailMessage.send", failing_send):
        response = post_feedback(client, on_commit, email="warga@example.net")

    assert response.status_code == 302
    assert Case.objects.filter(email="warga@example.net").exists()


def test_an_anonymous_case_from_the_form_mails_only_the_staff(
    client: Any, facility: Any, staff: dict[str, Any], on_commit: Any
) -> None:
    post_feedback(client, on_commit, anonymous="on")
    run_worker()

    assert [sorted(m.to) for m in mail.outbox] == [["editor@example.org", "head@example.org"]]
