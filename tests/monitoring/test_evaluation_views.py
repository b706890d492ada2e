"""The staff pages of the evaluation rounds (`monitoring.views.evaluations`) and the rounds on the
public charter: a round recorded on one page with its evidence filled in from the period's
figures, refreshed without losing what was typed, refused next to the wrong field; the review
date it moves; a finding that starts a revision named by both comparisons; actions carried over;
the comparison with the round before; the queries of the list and the report pinned."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from charters import services as charter_services
from charters.models import CharterStatus, ParticipantGroup
from feedback.models import SurveyAction
from monitoring.evaluations import (
    ActionContent,
    FindingContent,
    Person,
    RoundContent,
    default_period,
    prefilled_evidence,
    record_round,
    save_actions,
    start_revision_from,
)
from monitoring.models import (
    ActionStatus,
    EvaluationFinding,
    EvaluationParticipant,
    EvaluationRound,
    FindingResult,
    FollowUpAction,
)
from tests.conftest import admin_url
from tests.factories import ObservationFactory, make_published_charter, publish_draft, record_agreement
from tests.monitoring.formdata import round_post_data

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


@pytest.fixture
def charter(facility: Any, head: Any) -> Any:
    """In force for ten months: its yearly review is due in two, and a round today moves it."""
    return make_published_charter(facility, services=2, head=head, effective_date=days_ago(300))


def services_of(charter: Any) -> list[Any]:
    return list(charter.services.order_by("position", "id"))


def url(name: str, facility: Any, *args: Any) -> str:
    return reverse(f"manage:{name}", args=[facility.slug, *args])


def record(
    charter: Any, user: Any, ended: datetime.date, *results: str, organisation: str = "IDFoS Indonesia"
) -> EvaluationRound:
    """A round of one day, `ended`, with a finding per result (in the services' order)."""
    content = RoundContent(
        charter=charter,
        started_on=ended,
        ended_on=ended,
        period_start=ended - datetime.timedelta(days=90),
        period_end=ended - datetime.timedelta(days=1),
        method="mixed",
        public_summary=f"Ringkasan {ended.isoformat()}.",
        facilitator="Nur Hidayah",
        organisation=organisation,
    )
    findings = [
        FindingContent(service, result, evidence="Bukti.", notes="Antrean lama.")
        for service, result in zip(services_of(charter), results, strict=False)
    ]
    return record_round(charter.facility, user, content, [Person("Siti", ParticipantGroup.PROVIDER)], findings)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


# --- Every page, for each reader ------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "head", "supervisor"])
@pytest.mark.parametrize("page", ["list", "new", "report", "edit", "actions", "delete"])
def test_every_page_renders_for_staff_and_the_supervisor(
    login: Any, charter: Any, head: Any, persona: str, page: str, request: pytest.FixtureRequest
) -> None:
    evaluation = record(charter, head, days_ago(1), "not_kept", "kept")
    names = {
        "list": ("evaluations",),
        "new": ("evaluation_new",),
        "report": ("evaluation", evaluation.pk),
        "edit": ("evaluation_edit", evaluation.pk),
        "actions": ("evaluation_actions", evaluation.pk),
        "delete": ("evaluation_delete", evaluation.pk),
    }
    name, *args = names[page]
    client = login(request.getfixturevalue(persona))

    response = client.get(url(name, charter.facility, *args))

    assert response.status_code == 200
    page_text = text(response)
    read_only = "only its own staff can change anything" in page_text
    assert read_only == (persona == "supervisor")
    if page == "list":
        assert ("Record a round" in page_text) == (persona != "supervisor")


def test_other_facilitys_round_is_a_404(login: Any, charter: Any, head: Any, other_editor: Any) -> None:
    evaluation = record(charter, head, days_ago(1), "kept")
    client = login(other_editor)
    assert client.get(url("evaluations", charter.facility)).status_code == 404
    assert client.get(url("evaluation", charter.facility, evaluation.pk)).status_code == 404


def test_supervisor_cannot_record_a_round(login: Any, charter: Any, supervisor: Any) -> None:
    response = login(supervisor).post(url("evaluation_new", charter.facility), round_post_data(charter))
    assert response.status_code == 403
    assert not EvaluationRound.objects.exists()


# --- Recording a round -------------------------------------------------------------------------


def test_new_round_form_fills_the_evidence_in_from_the_observations(editor_client: Client, charter: Any) -> None:
    observed = services_of(charter)[0]
    for minutes in (10, 12, 30):
        ObservationFactory(service=observed, duration_minutes=minutes)
    start, end = default_period(charter.facility, today())
    evidence = prefilled_evidence(charter.facility, start, end)[observed.slug]
    assert "3 observations" in evidence

    page = text(editor_client.get(url("evaluation_new", charter.facility)))

    assert evidence in page
    assert f'value="{start.isoformat()}"' in page and f'value="{end.isoformat()}"' in page


def test_the_period_starts_the_day_after_the_last_round(charter: Any, head: Any) -> None:
    record(charter, head, days_ago(40), "kept")
    assert default_period(charter.facility, today()) == (days_ago(39), days_ago(1))


def test_refreshing_the_evidence_keeps_what_was_typed_and_saves_nothing(editor_client: Client, charter: Any) -> None:
    observed = services_of(charter)[0]
    ObservationFactory(service=observed, arrived_at=timezone.now() - datetime.timedelta(days=200))
    data = round_post_data(charter, {observed.slug: FindingResult.PARTLY}, period_start=days_ago(250).isoformat())
    data[f"finding-{observed.slug}-notes"] = "Catatan yang diketik."
    data["refresh"] = "1"

    response = editor_client.post(url("evaluation_new", charter.facility), data)

    assert response.status_code == 200
    assert not EvaluationRound.objects.exists()
    page = text(response)
    assert "Catatan yang diketik." in page
    assert "Pendaftaran masih lambat; loket kedua dibuka." in page
    assert "Peserta stakeholder" in page
    assert f'value="{days_ago(250).isoformat()}"' in page
    assert prefilled_evidence(charter.facility, days_ago(250), days_ago(1))[observed.slug] in page
    assert "Bukti dari lapangan." not in page  # the evidence is filled in again
    assert 'value="partly" checked' in page or "checked" in page.split(f'id="service-{observed.slug}"')[1][:3000]


def test_wrong_dates_are_refused_next_to_their_fields_with_everything_kept(editor_client: Client, charter: Any) -> None:
    data = round_post_data(
        charter,
        started_on=today().isoformat(),
        ended_on=days_ago(3).isoformat(),
        period_start=days_ago(5).isoformat(),
        period_end=days_ago(30).isoformat(),
    )
    data["participants-0-name"] = ""  # a group without a name
    response = editor_client.post(url("evaluation_new", charter.facility), data)

    assert response.status_code == 200
    page = text(response)
    assert "The round cannot end before it starts." in page
    assert "The period covered cannot end before it starts." in page
    assert "Enter the name." in page
    assert "Pendaftaran masih lambat; loket kedua dibuka." in page
    assert not EvaluationRound.objects.exists()


def test_a_date_that_is_no_date_is_an_error_not_a_crash(editor_client: Client, charter: Any) -> None:
    data = round_post_data(charter, started_on="31/02/2026", period_end="kemarin")
    data["refresh"] = "1"
    response = editor_client.post(url("evaluation_new", charter.facility), data)
    assert response.status_code == 200
    assert "Enter a date" in text(response)


def test_recording_a_round_moves_the_review_date_and_says_so(editor_client: Client, charter: Any, head: Any) -> None:
    first, second = services_of(charter)
    due_before = charter.review_due_date

    response = editor_client.post(
        url("evaluation_new", charter.facility),
        round_post_data(charter, {first.slug: FindingResult.NOT_KEPT, second.slug: ""}),
        follow=True,
    )

    evaluation = EvaluationRound.objects.get()
    assert response.redirect_chain[-1][0] == url("evaluation", charter.facility, evaluation.pk)
    charter.refresh_from_db()
    assert charter.review_due_date == today().replace(year=today().year + 1) != due_before
    assert "is now due on" in text(response)
    assert [(f.service, f.result) for f in evaluation.findings.all()] == [(first, FindingResult.NOT_KEPT)]
    assert sorted(evaluation.participants.values_list("group", flat=True)) == sorted(ParticipantGroup.values)
    assert evaluation.recorded_by.username == "editor"


def test_editing_a_round_keeps_its_findings_revision(editor_client: Client, charter: Any, editor: Any) -> None:
    evaluation = record(charter, editor, days_ago(2), "not_kept", "kept")
    finding = evaluation.findings.get(result=FindingResult.NOT_KEPT)
    draft = start_revision_from(finding, editor)
    page = text(editor_client.get(url("evaluation_edit", charter.facility, evaluation.pk)))
    assert "Antrean lama." in page  # the stored notes, not the period's figures

    data = round_post_data(
        charter,
        {finding.service.slug: FindingResult.PARTLY},
        started_on=days_ago(2).isoformat(),
        ended_on=days_ago(2).isoformat(),
        period_start=days_ago(92).isoformat(),
        period_end=days_ago(3).isoformat(),
    )
    response = editor_client.post(url("evaluation_edit", charter.facility, evaluation.pk), data)

    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.result == FindingResult.PARTLY and finding.revision == draft


def test_choosing_another_version_shows_its_services_before_saving(
    editor_client: Client, facility: Any, head: Any
) -> None:
    old = make_published_charter(facility, services=1, head=head, effective_date=days_ago(500))
    new = make_published_charter(facility, services=3, head=head, effective_date=days_ago(100))
    data = round_post_data(new)
    data["round-charter"] = str(old.pk)

    response = editor_client.post(url("evaluation_new", facility), data)

    assert response.status_code == 200
    assert not EvaluationRound.objects.exists()
    assert text(response).count('class="card mb-3 finding-form"') == 1


# --- A finding starts a revision -----------------------------------------------------------------


def test_a_finding_starts_a_revision_that_both_comparisons_name(
    editor_client: Client, client: Client, charter: Any, editor: Any, head: Any
) -> None:
    evaluation = record(charter, editor, days_ago(1), "not_kept", "kept")
    finding = evaluation.findings.get(result=FindingResult.NOT_KEPT)

    response = editor_client.post(url("evaluation_finding_revise", charter.facility, evaluation.pk, finding.pk))

    finding.refresh_from_db()
    draft = finding.revision
    assert draft is not None and draft.status == CharterStatus.DRAFT and draft.version == charter.version + 1
    assert response["Location"] == url("charter", charter.facility, draft.version)
    report = text(editor_client.get(url("evaluation", charter.facility, evaluation.pk)))
    assert url("charter", charter.facility, draft.version) in report
    assert report.count("Start a revision to answer this finding") == 0  # the kept one offers none

    service = draft.services.get(slug=finding.service.slug)
    service.duration_value = 10
    service.save()
    staff_diff = text(editor_client.get(url("charter_diff", charter.facility, draft.version)))
    # The reason is kept in the charter's language (Indonesian), whoever started the revision.
    assert "Answers the finding" in staff_diff and "Putaran evaluasi" in staff_diff

    published = publish_draft(draft, head)
    public_diff = reverse("public:version_diff", args=[charter.facility.slug, charter.version, published.version])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Answers the finding" in text(client.get(public_diff))


def test_no_revision_while_a_version_is_agreed(editor_client: Client, charter: Any, editor: Any, head: Any) -> None:
    evaluation = record(charter, editor, days_ago(1), "partly")
    draft = charter_services.start_draft(charter.facility, editor)
    charter_services.open_consultation(draft, head)
    record_agreement(draft)
    charter_services.mark_agreed(draft, head)
    finding = evaluation.findings.get()

    response = editor_client.post(
        url("evaluation_finding_revise", charter.facility, evaluation.pk, finding.pk), follow=True
    )

    finding.refresh_from_db()
    assert finding.revision is None
    assert "can no longer change" in text(response)


def test_starting_a_revision_is_post_only(editor_client: Client, charter: Any, editor: Any) -> None:
    evaluation = record(charter, editor, days_ago(1), "partly")
    finding = evaluation.findings.get()
    assert (
        editor_client.get(url("evaluation_finding_revise", charter.facility, evaluation.pk, finding.pk)).status_code
        == 405
    )


# --- Follow-up actions ----------------------------------------------------------------------------


def test_actions_are_added_changed_and_removed_on_one_page(editor_client: Client, charter: Any, editor: Any) -> None:
    evaluation = record(charter, editor, days_ago(1), "not_kept")
    finding = evaluation.findings.get()
    save_actions(evaluation, [ActionContent("Lupa", "TU", today())])
    stored = evaluation.actions.get()
    data = {
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "1",
        "actions-0-id": str(stored.pk),
        "actions-0-what": "Lupa",
        "actions-0-who": "TU",
        "actions-0-due_date": today().isoformat(),
        "actions-0-status": "open",
        "actions-0-DELETE": "on",
        "actions-1-what": "Tambah petugas loket",
        "actions-1-who": "Kepala",
        "actions-1-due_date": (today() + datetime.timedelta(days=30)).isoformat(),
        "actions-1-finding": str(finding.pk),
        "actions-1-status": "done",
        "actions-1-done_on": "",
    }
    page = editor_client.post(url("evaluation_actions", charter.facility, evaluation.pk), data)
    assert page.status_code == 200
    assert "Say on which day the action was done." in text(page)
    assert "Tambah petugas loket" in text(page)

    data["actions-1-status"] = "in_progress"
    response = editor_client.post(url("evaluation_actions", charter.facility, evaluation.pk), data)

    assert response.status_code == 302
    [action] = evaluation.actions.all()
    assert (action.what, action.finding, action.status) == ("Tambah petugas loket", finding, ActionStatus.IN_PROGRESS)


def test_open_actions_carry_over_to_the_next_round(editor_client: Client, charter: Any, editor: Any) -> None:
    first = record(charter, editor, days_ago(60), "not_kept")
    save_actions(first, [ActionContent("Tambah petugas loket", "Kepala", days_ago(30), finding=first.findings.get())])
    SurveyAction.objects.create(
        facility=charter.facility,
        element="U3",
        finding_start=days_ago(200),
        finding_end=days_ago(100),
        action="Jadwal dokter diumumkan",
        responsible="TU",
        due_date=days_ago(10),
        created_at=timezone.now() - datetime.timedelta(days=90),
    )
    second = record(charter, editor, days_ago(1), "kept")
    action = first.actions.get()

    listing = text(editor_client.get(url("evaluations", charter.facility)))
    assert "Tambah petugas loket" in listing and "Jadwal dokter diumumkan" in listing
    report = text(editor_client.get(url("evaluation", charter.facility, second.pk)))
    assert "Tambah petugas loket" in report and "Jadwal dokter diumumkan" in report

    response = editor_client.post(
        url("evaluation_action", charter.facility, second.pk, action.pk),
        {
            f"carried-{action.pk}-status": "done",
            f"carried-{action.pk}-done_on": today().isoformat(),
            f"carried-{action.pk}-result": "Dua petugas",
        },
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.is_done and action.done_on == today()
    listing = text(editor_client.get(url("evaluations", charter.facility)))
    assert "Tambah petugas loket" not in listing.split('id="open-actions"')[1]
    # An action of a later round is no action carried over to an earlier one.
    later = FollowUpAction.objects.create(round=second, what="x", who="y", due_date=today())
    assert editor_client.post(url("evaluation_action", charter.facility, first.pk, later.pk)).status_code == 404


def test_a_carried_over_action_refused_shows_the_error_in_place(
    editor_client: Client, charter: Any, editor: Any
) -> None:
    first = record(charter, editor, days_ago(60), "not_kept")
    save_actions(first, [ActionContent("Papan antrean", "TU", days_ago(30))])
    second = record(charter, editor, days_ago(1), "kept")
    action = first.actions.get()
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()

    response = editor_client.post(
        url("evaluation_action", charter.facility, second.pk, action.pk),
        {f"carried-{action.pk}-status": "done", f"carried-{action.pk}-done_on": tomorrow},
    )

    assert response.status_code == 200
    assert "This day is still to come." in text(response)
    action.refresh_from_db()
    assert action.is_open


# --- The report's comparison, and removing a round -------------------------------------------------


def test_the_report_compares_with_the_round_before_in_words(editor_client: Client, charter: Any, editor: Any) -> None:
    record(charter, editor, days_ago(100), "not_kept", "kept")
    latest = record(charter, editor, days_ago(1), "kept", "partly")

    page = text(editor_client.get(url("evaluation", charter.facility, latest.pk)))

    comparison = page.split('id="comparison"')[1]
    first, second = services_of(charter)
    assert comparison.index(first.name) < comparison.index("Better") < comparison.index(second.name)
    assert comparison.index(second.name) < comparison.index("Worse")


def test_deleting_a_round(editor_client: Client, charter: Any, editor: Any) -> None:
    evaluation = record(charter, editor, days_ago(1), "kept")
    assert editor_client.get(url("evaluation_delete", charter.facility, evaluation.pk)).status_code == 200
    response = editor_client.post(url("evaluation_delete", charter.facility, evaluation.pk))
    assert response["Location"] == url("evaluations", charter.facility)
    assert not EvaluationRound.objects.exists()


def test_a_round_whose_finding_started_a_revision_stays(editor_client: Client, charter: Any, editor: Any) -> None:
    evaluation = record(charter, editor, days_ago(1), "not_kept")
    start_revision_from(evaluation.findings.get(), editor)
    response = editor_client.post(url("evaluation_delete", charter.facility, evaluation.pk), follow=True)
    assert EvaluationRound.objects.filter(pk=evaluation.pk).exists()
    assert "the round stays on record" in text(response)


# --- Queries ---------------------------------------------------------------------------------------


def _many_rounds(facility: Any, head: Any, services: int, rounds: int) -> EvaluationRound:
    charter = make_published_charter(facility, services=services, head=head, effective_date=days_ago(900))
    latest = None
    for number in range(rounds):
        latest = record(charter, head, days_ago(800 - 100 * number), *(["not_kept", "partly"] * services)[:services])
        save_actions(latest, [ActionContent(f"Aksi {number}", "TU", days_ago(10), finding=latest.findings.first())])
        ObservationFactory(service=charter.services.first())
    SurveyAction.objects.create(
        facility=facility,
        element="U3",
        finding_start=days_ago(200),
        finding_end=days_ago(100),
        action="Jadwal",
        responsible="TU",
        due_date=days_ago(10),
    )
    return latest


@pytest.mark.parametrize(("services", "rounds"), [(2, 2), (6, 5)])
def test_list_queries_do_not_grow(
    editor_client: Client, facility: Any, head: Any, django_assert_num_queries: Any, services: int, rounds: int
) -> None:
    _many_rounds(facility, head, services, rounds)
    # session, user, facility, rounds with their counts, open actions, survey actions
    with django_assert_num_queries(6):
        response = editor_client.get(url("evaluations", facility))
    assert text(response).count('class="fw-normal"><a href') == rounds


@pytest.mark.parametrize(("services", "rounds"), [(2, 2), (6, 5)])
def test_report_queries_do_not_grow(
    editor_client: Client, facility: Any, head: Any, django_assert_num_queries: Any, services: int, rounds: int
) -> None:
    latest = _many_rounds(facility, head, services, rounds)
    # session, user, facility, round, participants, findings, actions, carried actions, carried
    # survey actions, previous round, its findings and this round's (the comparison)
    with django_assert_num_queries(12):
        response = editor_client.get(url("evaluation", facility, latest.pk))
    assert text(response).count('class="card mb-3 finding ') == services


# --- The public charter ------------------------------------------------------------------------------


def test_public_charter_shows_the_last_evaluation_and_each_summary(client: Client, charter: Any, head: Any) -> None:
    record(charter, head, datetime.date(2015, 3, 10), "kept", organisation="IDFoS Indonesia")
    record(charter, head, days_ago(3), "partly", organisation="Dinas Kesehatan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = text(client.get(reverse("public:charter", args=[charter.facility.slug])))

    top, section = page.split('id="evaluations"')
    # Near the top, before the pledge: the last round's date, linked to the summaries.
    header = top.split('id="pledge"')[0]
    assert f"Last evaluated with its users: {date_format(days_ago(3), 'j F Y')}." in header
    assert 'href="#evaluations"' in header
    assert section.index(f"Ringkasan {days_ago(3).isoformat()}.") < section.index("Ringkasan 2015-03-10.")
    assert "IDFoS Indonesia" in section and "Dinas Kesehatan" in section


def test_public_charter_says_nothing_before_the_first_round(client: Client, charter: Any) -> None:
    page = text(client.get(reverse("public:charter", args=[charter.facility.slug])))
    assert 'id="evaluations"' not in page and "#evaluations" not in page


# --- The admin ----------------------------------------------------------------------------------------


def test_admin_lists_and_shows_a_round(admin_client: Client, charter: Any, editor: Any) -> None:
    evaluation = record(charter, editor, days_ago(1), "not_kept")
    save_actions(evaluation, [ActionContent("Tambah petugas loket", "Kepala", today())])
    for model in (EvaluationRound, EvaluationParticipant, EvaluationFinding, FollowUpAction):
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    page = admin_client.get(admin_url(EvaluationRound, "change", evaluation.pk))
    assert page.status_code == 200
    assert "Tambah petugas loket" in text(page) and "Siti" in text(page)
