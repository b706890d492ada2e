"""Puskesmas Soko's two monitoring and evaluation rounds in the demo, as `seed_demo` leaves them:
facilitated by IDFoS Indonesia, the second in early August 2015, whose findings started version 2
and are named by its comparisons."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from charters.models import ChangeReason, Charter, CharterEvent, ParticipantGroup
from monitoring.evaluations import carried_over
from monitoring.models import ActionStatus, EvaluationRound, FindingResult, FollowUpAction

from .seeding import seed

# What version 2 changed because of the second round (and the service users asked for).
ANSWERED = {"pendaftaran", "surat-keterangan-sehat", "puskesmas-keliling"}


@pytest.fixture
def rounds(demo: str, db: None) -> list[EvaluationRound]:
    """Soko's rounds, oldest first."""
    return list(
        EvaluationRound.objects.filter(facility__slug="pkm-soko")
        .select_related("charter")
        .prefetch_related("participants", "findings__service", "findings__revision", "actions")
        .order_by("ended_on")
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestEvaluationDemo:
    def test_soko_has_two_rounds_of_version_1_with_idfos_the_second_in_early_august_2015(
        self, demo: str, rounds: list[EvaluationRound]
    ) -> None:
        assert "Puskesmas Soko: 2 evaluation rounds" in demo
        first, second = rounds
        assert {r.charter.version for r in rounds} == {1}
        assert {(r.facilitator, r.organisation) for r in rounds} == {("Nur Hidayah", "IDFoS Indonesia")}
        assert first.started_on.year == 2014
        assert (second.started_on.year, second.started_on.month) == (2015, 8)
        assert second.started_on.day <= 7 and second.ended_on.month == 8
        # Each round looks back on the months since the one before.
        charter = first.charter
        assert charter.effective_date <= first.period_start < first.period_end < first.started_on
        assert first.period_end < second.period_start < second.period_end < second.started_on
        assert not EvaluationRound.objects.exclude(facility__slug="pkm-soko").exists()

    def test_each_round_has_the_three_groups_a_method_and_a_summary_in_indonesian(
        self, rounds: list[EvaluationRound]
    ) -> None:
        for evaluation in rounds:
            participants = list(evaluation.participants.all())
            assert {p.group for p in participants} == set(ParticipantGroup.values)
            idfos = {p.name for p in participants if p.organisation == "IDFoS Indonesia"}
            assert idfos == {"Nur Hidayah", "Ahmad Rofiq"}
            assert all(p.name and p.organisation and p.position for p in participants)
            assert evaluation.method and evaluation.method_note and evaluation.notes
            assert "Puskesmas Soko" in evaluation.public_summary and "IDFoS Indonesia" in evaluation.public_summary
        assert "calon pengantin" in rounds[1].notes.lower()

    def test_every_service_of_version_1_has_a_finding_with_evidence(self, rounds: list[EvaluationRound]) -> None:
        services = {s.slug for s in rounds[0].charter.services.all()}
        for evaluation in rounds:
            findings = list(evaluation.findings.all())
            assert {f.service.slug for f in findings} == services
            assert all(len(f.evidence) > 40 for f in findings)
            kept = [f for f in findings if f.is_kept]
            assert len(kept) > len(findings) / 2
            assert all(f.notes for f in findings if not f.is_kept)

    def test_the_second_rounds_findings_not_kept_are_what_version_2_answers(
        self, soko: dict[int, Charter], rounds: list[EvaluationRound]
    ) -> None:
        first, second = rounds
        findings = {f.service.slug: f for f in second.findings.all()}
        assert {slug for slug, f in findings.items() if not f.is_kept} == ANSWERED
        assert findings["pendaftaran"].result == FindingResult.NOT_KEPT
        assert findings["puskesmas-keliling"].result == FindingResult.NOT_KEPT
        assert findings["surat-keterangan-sehat"].result == FindingResult.PARTLY
        assert {f.revision for f in findings.values() if not f.is_kept} == {soko[2]}
        assert all(f.revision is None for f in findings.values() if f.is_kept)
        # The first round led to actions, not a revision.
        assert all(f.revision is None for f in first.findings.all())
        assert {f.service.slug for f in soko[2].answered_findings.select_related("service")} == ANSWERED

    def test_version_2_was_started_from_the_findings_and_its_reasons_name_them(
        self, soko: dict[int, Charter], rounds: list[EvaluationRound]
    ) -> None:
        v2, second = soko[2], rounds[1]
        reasons = list(ChangeReason.objects.filter(charter=v2))
        assert {r.service_slug for r in reasons} == ANSWERED | {"catin"}
        assert len({r.source for r in reasons}) == 1 and "2015" in reasons[0].source
        by_slug = {r.service_slug: r for r in reasons}
        for finding in second.findings.exclude(result=FindingResult.KEPT):
            assert by_slug[finding.service.slug].text.startswith(finding.service.name)
            assert finding.notes in by_slug[finding.service.slug].text
        assert "calon pengantin" in by_slug["catin"].text.lower()
        # Started by the editor on the day version 2 was drafted, before anything was written.
        created = v2.events.get(action=CharterEvent.Action.CREATED)
        assert timezone.localtime(created.created_at).date() == date(2015, 8, 24)
        assert v2.created_by.username == "soko-editor"
        added = v2.events.filter(action=CharterEvent.Action.REASON_ADDED)
        assert added.count() == len(reasons)
        assert all(event.created_at == created.created_at for event in added)

    def test_the_public_comparison_of_versions_1_and_2_says_which_finding_each_change_answers(
        self, soko: dict[int, Charter], client: Client
    ) -> None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

        response = client.get(reverse("public:version_diff", args=["pkm-soko", 1, 2]))

        assert response.status_code == 200
        page = response.content.decode()
        assert page.count("Answers the finding") == len(ANSWERED) + 1
        reason = ChangeReason.objects.filter(charter=soko[2]).first()
        assert reason.source in page
        for text in ("Antrean di loket pendaftaran terlalu lama", "terlalu mahal", "jarang datang sesuai jadwal"):
            assert text in page, text

    def test_recording_the_rounds_moved_the_review_date_of_version_1(
        self, soko: dict[int, Charter], rounds: list[EvaluationRound]
    ) -> None:
        v1 = soko[1]
        evaluated = list(v1.events.filter(action=CharterEvent.Action.EVALUATED))
        assert [timezone.localtime(e.created_at).date() for e in evaluated] == [r.ended_on for r in rounds]
        assert v1.review_due_date == rounds[1].ended_on.replace(year=2016)

    def test_an_action_of_the_first_round_is_carried_over_into_the_second(self, rounds: list[EvaluationRound]) -> None:
        first, second = rounds
        carried = carried_over(second).actions
        assert len(carried) == 1
        (action,) = carried
        assert action.round == first and action.finding.service.slug == "laboratorium"
        # Under way when the second round began, done after it.
        assert action.is_done and action.done_on > second.ended_on and action.result
        others = [a for a in first.actions.all() if a != action]
        assert others and all(a.is_done and a.done_on < second.started_on for a in others)

    def test_the_second_rounds_actions_are_partly_done(self, rounds: list[EvaluationRound]) -> None:
        second = rounds[1]
        statuses = [a.status for a in second.actions.all()]
        assert statuses.count(ActionStatus.DONE) >= 3
        assert ActionStatus.IN_PROGRESS in statuses
        assert any(a.finding is None for a in second.actions.all())  # the brides' request

    def test_every_action_has_who_a_due_date_and_days_that_agree(self, rounds: list[EvaluationRound]) -> None:
        today = timezone.localdate()
        for evaluation in rounds:
            for action in evaluation.actions.select_related("finding"):
                assert action.what and action.who and action.due_date > evaluation.ended_on
                assert timezone.localtime(action.created_at).date() == evaluation.ended_on
                assert action.finding is None or action.finding.round_id == evaluation.pk
                if action.is_done:
                    assert evaluation.ended_on < action.done_on <= today and action.result

    def test_running_again_keeps_the_rounds(self, rounds: list[EvaluationRound]) -> None:
        before = (EvaluationRound.objects.count(), FollowUpAction.objects.count(), ChangeReason.objects.count())

        output = seed("--password", "demo-pass-123", "--without-activity")

        assert "evaluation rounds" not in output
        assert (EvaluationRound.objects.count(), FollowUpAction.objects.count(), ChangeReason.objects.count()) == before
