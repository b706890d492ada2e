"""The charter services: the lifecycle table, and every write to a version's content.

Each write takes the facility lock, refuses a frozen version, leaves a `CharterEvent`, and
takes `now`, so history can be replayed without touching the clock.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from charters import services
from charters.models import (
    EDITABLE_STATUSES,
    AgreementDecision,
    Charter,
    CharterEvent,
    CharterStatus,
    ClauseKind,
    ClauseParty,
    ImmutableCharterError,
    ParticipantGroup,
    ServiceStandard,
)
from charters.uploads import ACCEPTED_KINDS
from tests.factories import (
    MeetingParticipantFactory,
    StakeholderMeetingFactory,
    make_approved_charter,
    make_complete_draft,
    record_agreement,
)

pytestmark = pytest.mark.django_db

THEN = timezone.make_aware(datetime.datetime(2015, 8, 3, 9, 30))
PDF = next(kind for kind in ACCEPTED_KINDS if kind.content_type == "application/pdf")


def last_event(charter: Charter) -> CharterEvent:
    return CharterEvent.objects.filter(charter=charter).order_by("-id").first()


def row(id_: int | None = None, **values: Any) -> services.Row:
    return services.Row(id_, values)


# --- The lifecycle table -----------------------------------------------------------------------


def test_every_staff_step_has_a_button_a_report_and_a_url() -> None:
    from django.urls import reverse

    for step in services.CHARTER_STEPS.values():
        if step.staff:
            assert str(step.button) and str(step.done)
            assert reverse(f"manage:charter_{step.name}", args=["pkm-soko", 1])


def test_frozen_transitions_are_read_from_the_steps_that_start_from_a_frozen_status() -> None:
    expected = {
        (source, step.target)
        for step in services.CHARTER_STEPS.values()
        if step.target is not None
        for source in step.sources
        if source not in EDITABLE_STATUSES
    }
    assert set(services.FROZEN_TRANSITIONS) == expected
    assert (CharterStatus.AGREED, CharterStatus.APPROVED) in expected
    assert (CharterStatus.PUBLISHED, CharterStatus.SUPERSEDED) in expected
    assert services.FROZEN_TRANSITIONS[(CharterStatus.AGREED, CharterStatus.APPROVED)] >= {"approved_by", "status"}


def test_the_head_only_steps_are_approve_publish_and_review() -> None:
    assert {s.name for s in services.CHARTER_STEPS.values() if s.head_only} == {"approve", "publish", "review"}


def test_offered_steps_of_a_draft_list_what_is_missing(facility: Any, editor: Any) -> None:
    draft = Charter.objects.create(facility=facility, version=1, created_by=editor)

    offers = services.offered_steps(services.publishable_charter(draft.pk), is_head=False)

    assert [o.name for o in offers] == ["consultation", "discard"]
    assert offers[0].missing and not offers[0].ready
    assert offers[1].ready


def test_an_editor_is_offered_approval_but_may_not_take_it(facility: Any, head: Any) -> None:
    charter = services.open_consultation(make_complete_draft(facility), head)
    record_agreement(charter)
    charter = services.mark_agreed(charter, head)

    assert [(o.name, o.allowed) for o in services.offered_steps(charter, is_head=False)] == [("approve", False)]
    assert [(o.name, o.allowed) for o in services.offered_steps(charter, is_head=True)] == [("approve", True)]


def test_a_scheduled_version_offers_no_second_publication(facility: Any, head: Any) -> None:
    charter = make_approved_charter(facility, head=head)
    services.publish_charter(charter, head, timezone.localdate() + datetime.timedelta(days=10))
    charter.refresh_from_db()

    assert charter.is_scheduled
    assert services.offered_steps(charter, is_head=True) == []


def test_steps_replayed_with_now_stamp_their_day(facility: Any, editor: Any, head: Any) -> None:
    draft = make_complete_draft(facility, services=1, created_by=editor)
    services.open_consultation(draft, editor, now=THEN)
    meeting = StakeholderMeetingFactory(charter=draft, date=THEN.date())
    for group in ParticipantGroup:
        MeetingParticipantFactory(meeting=meeting, group=group, signed=True)
    draft.services.update(agreement=AgreementDecision.AGREED)

    services.mark_agreed(draft, editor, now=THEN)
    services.approve_charter(draft, head, now=THEN)
    services.publish_charter(draft, head, now=THEN)
    draft.refresh_from_db()

    assert draft.is_published
    assert (draft.agreed_at, draft.approved_at, draft.published_at) == (THEN, THEN, THEN)
    assert draft.effective_date == THEN.date()
    assert draft.review_due_date == datetime.date(2016, 8, 3)
    assert set(draft.events.values_list("created_at", flat=True)) == {THEN}


def test_take_step_runs_the_step_by_its_name(draft_charter: Charter, editor: Any) -> None:
    services.take_step(draft_charter, "consultation", editor, comment="Siap")

    draft_charter.refresh_from_db()
    assert draft_charter.is_in_consultation
    assert last_event(draft_charter).comment == "Siap"


# --- The charter's own text --------------------------------------------------------------------


def test_edit_charter_saves_the_pledge_and_the_clauses_in_order(draft_charter: Charter, editor: Any) -> None:
    first = draft_charter.clauses.order_by("position").first()
    others = list(draft_charter.clauses.exclude(pk=first.pk))
    new = row(party=ClauseParty.USER, kind=ClauseKind.RIGHT, text="Mendapat informasi yang jelas")

    services.edit_charter(
        draft_charter,
        editor,
        {"pledge": "Kami sanggup."},
        [new, row(first.pk, party=first.party, kind=first.kind, text="Diubah")],
        now=THEN,
    )

    draft_charter.refresh_from_db()
    assert draft_charter.pledge == "Kami sanggup."
    assert [(c.text, c.position) for c in draft_charter.clauses.order_by("position")] == [
        ("Mendapat informasi yang jelas", 1),
        ("Diubah", 2),
    ]
    assert not draft_charter.clauses.filter(pk__in=[c.pk for c in others]).exists()
    event = last_event(draft_charter)
    assert (event.action, event.user, event.created_at) == (CharterEvent.Action.EDITED, editor, THEN)


def test_a_changed_clause_keeps_its_id_so_the_history_shows_one_change(draft_charter: Charter, editor: Any) -> None:
    clause = draft_charter.clauses.first()
    rows = [row(c.pk, party=c.party, kind=c.kind, text=c.text) for c in draft_charter.clauses.all()]
    rows[0] = row(clause.pk, party=clause.party, kind=clause.kind, text="Teks baru")

    services.edit_charter(draft_charter, editor, {}, rows)

    clause.refresh_from_db()
    assert clause.text == "Teks baru"
    assert clause.history.filter(history_type="~").count() == 1


def test_edit_charter_refuses_a_frozen_version(published_charter: Charter, editor: Any) -> None:
    with pytest.raises(ImmutableCharterError):
        services.edit_charter(published_charter, editor, {"pledge": "x"}, [])

    published_charter.refresh_from_db()
    assert published_charter.pledge != "x"


def test_editing_sees_the_status_as_stored_not_as_read(draft_charter: Charter, editor: Any, head: Any) -> None:
    stale = Charter.objects.get(pk=draft_charter.pk)
    Charter.objects.filter(pk=draft_charter.pk).update(status=CharterStatus.AGREED)

    with pytest.raises(ImmutableCharterError):
        services.edit_charter(stale, editor, {"pledge": "x"}, [])


# --- Services of the charter -------------------------------------------------------------------


def _content(**fields: Any) -> services.ServiceContent:
    service = ServiceStandard.objects.first()
    values = {
        name: getattr(service, name)
        for name in ("category", "methods", "duration_value", "duration_unit", "fee_is_free", "fee_amount")
    }
    return services.ServiceContent(
        {**values, **fields},
        requirements=[row(text="KTP"), row(text="Kartu BPJS")],
        steps=[row(text="Mendaftar")],
        schedule=[row(weekday=0, opens=datetime.time(8), closes=datetime.time(12))],
    )


def test_save_service_adds_a_service_at_the_end_with_its_lists(draft_charter: Charter, editor: Any) -> None:
    service = services.save_service(draft_charter, None, _content(name="Poli Gigi", slug="poli-gigi"), editor, now=THEN)

    assert service == draft_charter.services.order_by("position").last()
    assert service.created_at == THEN
    assert list(service.requirements.values_list("text", "position")) == [("KTP", 1), ("Kartu BPJS", 2)]
    assert service.schedule_slots.get().opens == datetime.time(8)
    event = last_event(draft_charter)
    assert (event.action, event.comment) == (CharterEvent.Action.SERVICE_ADDED, "Poli Gigi")


def test_save_service_refuses_an_older_revision(draft_charter: Charter, editor: Any) -> None:
    service = draft_charter.services.first()
    ServiceStandard.objects.filter(pk=service.pk).update(revision=3)

    with pytest.raises(services.EditConflict) as conflict:
        services.save_service(draft_charter, service, _content(name="Baru"), editor, base_revision=2)

    assert conflict.value.current.revision == 3
    service.refresh_from_db()
    assert service.name != "Baru"


def test_save_service_keeps_the_forum_decision_it_does_not_edit(draft_charter: Charter, editor: Any) -> None:
    service = draft_charter.services.first()
    ServiceStandard.objects.filter(pk=service.pk).update(agreement=AgreementDecision.AGREED)

    services.save_service(draft_charter, service, _content(name="Poli Umum"), editor, base_revision=service.revision)

    service.refresh_from_db()
    assert (service.name, service.agreement, service.revision) == ("Poli Umum", AgreementDecision.AGREED, 1)
    assert last_event(draft_charter).action == CharterEvent.Action.SERVICE_CHANGED


def test_delete_and_move_service_leave_events(draft_charter: Charter, editor: Any) -> None:
    first, second = draft_charter.services.order_by("position")

    services.move_service(second, -1, editor, now=THEN)
    assert list(draft_charter.services.order_by("position")) == [second, first]
    assert last_event(draft_charter).action == CharterEvent.Action.SERVICES_REORDERED

    services.delete_service(first, editor)
    assert list(draft_charter.services.all()) == [second]
    event = last_event(draft_charter)
    assert (event.action, event.comment) == (CharterEvent.Action.SERVICE_REMOVED, first.name)


def test_content_services_refuse_a_frozen_version(published_charter: Charter, editor: Any) -> None:
    service = published_charter.services.first()
    events = CharterEvent.objects.count()

    for write in (
        lambda: services.save_service(published_charter, service, _content(name="x"), editor),
        lambda: services.delete_service(service, editor),
        lambda: services.move_service(service, 1, editor),
    ):
        with pytest.raises(ImmutableCharterError):
            write()

    assert CharterEvent.objects.count() == events
    assert ServiceStandard.objects.filter(pk=service.pk, name=service.name).exists()


# --- The forum ---------------------------------------------------------------------------------


@pytest.fixture
def in_consultation(draft_charter: Charter, editor: Any) -> Charter:
    return services.open_consultation(draft_charter, editor)


def test_save_meeting_records_it_with_its_participants(in_consultation: Charter, editor: Any) -> None:
    meeting = services.save_meeting(
        in_consultation,
        None,
        {"date": THEN.date(), "place": "Aula Puskesmas", "agenda": "", "minutes": ""},
        [row(name="Bu Siti", organisation="", group=ParticipantGroup.USER, position="", signed=True)],
        editor,
        now=THEN,
    )

    assert (meeting.created_by, meeting.created_at) == (editor, THEN)
    assert list(meeting.participants.values_list("name", "signed")) == [("Bu Siti", True)]
    assert last_event(in_consultation).action == CharterEvent.Action.MEETING_RECORDED

    services.save_meeting(in_consultation, meeting, {"place": "Balai Desa"}, [], editor)
    meeting.refresh_from_db()
    assert meeting.place == "Balai Desa"
    assert not meeting.participants.exists()
    assert last_event(in_consultation).action == CharterEvent.Action.MEETING_CHANGED


def test_attach_and_remove_a_scan(in_consultation: Charter, editor: Any) -> None:
    meeting = StakeholderMeetingFactory(charter=in_consultation)
    upload = SimpleUploadedFile("0123.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")

    attachment = services.attach_file(meeting, upload, PDF, "berita-acara.pdf", "halaman 1", editor, now=THEN)

    assert (attachment.original_name, attachment.uploaded_by, attachment.uploaded_at) == (
        "berita-acara.pdf",
        editor,
        THEN,
    )
    assert last_event(in_consultation).comment == "berita-acara.pdf"
    services.remove_file(attachment, editor)
    assert not meeting.attachments.exists()
    assert last_event(in_consultation).action == CharterEvent.Action.FILE_REMOVED


def test_record_decisions_writes_only_what_changed(in_consultation: Charter, editor: Any) -> None:
    first, second = in_consultation.services.order_by("position")
    revisions = (first.revision, second.revision)

    changed = services.record_decisions(
        in_consultation,
        [
            services.Decision(first.pk, AgreementDecision.AGREED_WITH_CHANGES, "Jam buka ditambah"),
            services.Decision(second.pk, ""),
        ],
        editor,
    )

    assert changed == [first]
    first.refresh_from_db()
    assert (first.agreement, first.agreement_note) == (AgreementDecision.AGREED_WITH_CHANGES, "Jam buka ditambah")
    assert (first.revision, second.revision) == revisions
    event = last_event(in_consultation)
    assert (event.action, event.comment) == (CharterEvent.Action.DECISIONS_RECORDED, first.name)


def test_delete_meeting_removes_its_participants(in_consultation: Charter, editor: Any) -> None:
    meeting = StakeholderMeetingFactory(charter=in_consultation)
    MeetingParticipantFactory(meeting=meeting)

    services.delete_meeting(meeting, editor)

    assert not in_consultation.meetings.exists()
    assert last_event(in_consultation).action == CharterEvent.Action.MEETING_DELETED


def test_move_service_by_several_places_keeps_the_others_in_order(facility: Any, editor: Any) -> None:
    draft = make_complete_draft(facility, services=4)
    a, b, c, d = draft.services.order_by("position")

    services.move_service(d, -2, editor)

    assert list(draft.services.order_by("position")) == [a, d, b, c]
    assert draft.events.filter(action=CharterEvent.Action.SERVICES_REORDERED).count() == 1
    services.move_service(ServiceStandard.objects.get(pk=a.pk), 10, editor)
    assert list(draft.services.order_by("position")) == [d, b, c, a]
