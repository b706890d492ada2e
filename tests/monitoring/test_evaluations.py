"""Evaluation rounds: recording one moves the review date, actions carry over, a finding starts a
revision that its comparisons name, and the report compares with the round before."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from charters.diff import charters_for_diff, diff_charters
from charters.models import CharterEvent, ParticipantGroup
from charters.services import ServiceContent, save_service  # noqa: F401
from feedback.models import SurveyAction
from monitoring.evaluations import (
    ActionContent,
    FindingContent,
    Person,
    RoundContent,
    carried_over,
    compare,
    default_period,
    previous_round,
    record_round,
    save_actions,
    start_revision_from,
    update_action,
)
from monitoring.models import ActionStatus, FindingResult

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 10))


def content(charter: Any, started: datetime.date, ended: datetime.date | None = None, **fields: Any) -> RoundContent:
    ended = ended or started
    return RoundContent(
        charter=charter,
        started_on=started,
        ended_on=ended,
        period_start=started - datetime.timedelta(days=90),
        period_end=started - datetime.timedelta(days=1),
        method="mixed",
        public_summary="Antrean pendaftaran masih lama.",
        facilitator="Nur Hidayah",
        organisation="IDFoS Indonesia",
        **fields,
    )


PEOPLE = [
    Person("Siti", ParticipantGroup.PROVIDER),
    Person("Suparmi", ParticipantGroup.USER),
    Person("H. Mashuri", ParticipantGroup.STAKEHOLDER),
]


def findings(charter: Any, *results: str) -> list[FindingContent]:
    services = list(charter.services.all())
    return [FindingContent(service, result, evidence="e") for service, result in zip(services, results, strict=False)]


def test_recording_a_round_moves_the_review_date_a_year_after_it(published_charter: Any, head: Any) -> None:
    # Published today, so its review is due a year from today; a round 200 days on moves it.
    ended = timezone.localdate() + datetime.timedelta(days=200)
    later = timezone.now() + datetime.timedelta(days=201)
    evaluation = record_round(
        published_charter.facility,
        head,
        content(published_charter, ended),
        PEOPLE,
        findings(published_charter, "kept"),
        now=later,
    )
    published_charter.refresh_from_db()
    assert published_charter.review_due_date == ended.replace(year=ended.year + 1)
    assert published_charter.events.filter(action=CharterEvent.Action.EVALUATED).count() == 1
    # An earlier round (recorded late) never moves the date back, and leaves no event.
    record_round(
        published_charter.facility,
        head,
        content(published_charter, ended - datetime.timedelta(days=30)),
        [],
        [],
        now=later,
    )
    published_charter.refresh_from_db()
    assert published_charter.review_due_date == ended.replace(year=ended.year + 1)
    assert published_charter.events.filter(action=CharterEvent.Action.EVALUATED).count() == 1
    assert evaluation.participants.count() == 3
    assert evaluation.findings.get().result == FindingResult.KEPT


def test_a_finding_starts_a_revision_that_its_comparison_names(published_charter: Any, editor: Any) -> None:
    ended = timezone.localdate() - datetime.timedelta(days=2)
    evaluation = record_round(
        published_charter.facility,
        editor,
        content(published_charter, ended),
        PEOPLE,
        findings(published_charter, "not_kept", "kept"),
    )
    finding = evaluation.findings.get(result=FindingResult.NOT_KEPT)
    with translation.override("en"):  # whoever clicks, the reason is in the charter's language
        draft = start_revision_from(finding, editor)
    assert draft.is_draft and draft.version == published_charter.version + 1
    assert draft.change_reasons.get().text.startswith(f"{finding.service.name}: Tidak ditepati.")
    assert draft.change_reasons.get().source.startswith("Putaran evaluasi")
    finding.refresh_from_db()
    assert finding.revision == draft
    assert start_revision_from(finding, editor) == draft  # twice: the same draft, one reason
    assert draft.change_reasons.count() == 1
    service = draft.services.get(slug=finding.service.slug)
    service.description = "Antrean dipercepat dengan petugas tambahan."
    service.save()
    loaded = charters_for_diff(published_charter.pk, draft.pk)
    diff = diff_charters(loaded[published_charter.pk], loaded[draft.pk])
    assert [reason.service_slug for entry in diff.changed for reason in entry.reasons] == [finding.service.slug]
    assert diff.reasons == ()
    with pytest.raises(ValidationError):
        start_revision_from(evaluation.findings.get(result=FindingResult.KEPT), editor)


def test_open_actions_and_survey_follow_up_carry_over_to_the_next_round(published_charter: Any, editor: Any) -> None:
    facility = published_charter.facility
    first = record_round(
        facility,
        editor,
        content(published_charter, datetime.date(2026, 1, 10)),
        PEOPLE,
        findings(published_charter, "not_kept"),
    )
    finding = first.findings.get()
    save_actions(
        first,
        [
            ActionContent("Tambah petugas loket", "Kepala", datetime.date(2026, 3, 1), finding=finding),
            ActionContent(
                "Papan antrean",
                "TU",
                datetime.date(2026, 2, 1),
                status=ActionStatus.DONE,
                done_on=datetime.date(2026, 1, 20),
            ),
            ActionContent("Lupakan", "TU", datetime.date(2026, 2, 1), status=ActionStatus.DROPPED),
        ],
    )
    SurveyAction.objects.create(
        facility=facility,
        element="U3",
        finding_start=datetime.date(2025, 1, 1),
        finding_end=datetime.date(2025, 12, 31),
        action="Jadwal dokter",
        responsible="Kepala",
        due_date=datetime.date(2026, 4, 1),
        created_at=timezone.make_aware(datetime.datetime(2026, 1, 2)),
    )
    second = record_round(
        facility,
        editor,
        content(published_charter, datetime.date(2026, 5, 10)),
        PEOPLE,
        findings(published_charter, "partly"),
    )
    carried = carried_over(second)
    assert [a.what for a in carried.actions] == ["Tambah petugas loket"]
    assert [a.action for a in carried.survey_actions] == ["Jadwal dokter"]
    update_action(carried.actions[0], ActionStatus.DONE, datetime.date(2026, 5, 20), "Dua petugas", now=NOW)
    assert carried_over(second).actions[0].is_done  # still shown: it was open when the round began
    assert previous_round(second) == first
    [row] = compare(second, first)
    assert row.trend == 1
    with pytest.raises(ValidationError):
        update_action(carried.actions[0], ActionStatus.DONE, None, "", now=NOW)


def test_the_default_period_runs_from_the_last_round_for_at_most_a_year(published_charter: Any, editor: Any) -> None:
    facility = published_charter.facility
    assert default_period(facility, datetime.date(2026, 6, 15)) == (
        datetime.date(2026, 3, 15),
        datetime.date(2026, 6, 14),
    )
    record_round(facility, editor, content(published_charter, datetime.date(2026, 1, 10)), PEOPLE, [])
    assert default_period(facility, datetime.date(2026, 6, 15))[0] == datetime.date(2026, 1, 11)
    # A round long ago: the year before the new one, not everything since.
    assert default_period(facility, datetime.date(2028, 6, 15)) == (
        datetime.date(2027, 6, 15),
        datetime.date(2028, 6, 14),
    )
