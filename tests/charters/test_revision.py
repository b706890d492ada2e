"""A revision started for reasons (findings): it joins the draft in progress, is refused while a
version is settled, and its comparisons show each reason next to the change it answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from charters.diff import charters_for_diff, diff_charters
from charters.models import ChangeReason, CharterEvent, ImmutableCharterError
from charters.services import Reason, delete_service, start_revision
from tests.factories import make_approved_charter

pytestmark = pytest.mark.django_db


def diff_of(old: Any, new: Any) -> Any:
    loaded = charters_for_diff(old.pk, new.pk)
    return diff_charters(loaded[old.pk], loaded[new.pk])


def test_a_revision_for_reasons_starts_a_draft_and_records_them(published_charter: Any, editor: Any) -> None:
    service = published_charter.services.order_by("position").first()
    draft = start_revision(
        published_charter.facility,
        editor,
        [Reason("Evaluasi Agustus 2015", "Antrean lama.", service.slug), Reason("Evaluasi Agustus 2015", "Umum.")],
    )
    assert draft.is_draft and draft.version == published_charter.version + 1
    assert list(draft.change_reasons.values_list("service_slug", flat=True)) == [service.slug, ""]
    assert draft.events.filter(action=CharterEvent.Action.REASON_ADDED).count() == 2
    # A second reason joins the same draft.
    again = start_revision(published_charter.facility, editor, [Reason("Survei", "Tarif.", service.slug)])
    assert again == draft and draft.change_reasons.count() == 3


def test_no_revision_starts_while_a_version_is_settled(facility: Any, head: Any, editor: Any) -> None:
    make_approved_charter(facility, head=head)
    with translation.override("en"), pytest.raises(ValidationError, match="no longer change"):
        start_revision(facility, editor, [Reason("Evaluasi", "Antrean lama.")])
    assert not ChangeReason.objects.exists()


def test_reasons_freeze_with_their_version(published_charter: Any) -> None:
    with pytest.raises(ImmutableCharterError):
        ChangeReason.objects.create(charter=published_charter, source="x", text="y")


def test_the_comparison_shows_each_reason_with_its_change(published_charter: Any, editor: Any) -> None:
    first, second = published_charter.services.order_by("position")
    draft = start_revision(
        published_charter.facility,
        editor,
        [
            Reason("Evaluasi", "Layanan jarang datang.", second.slug),
            Reason("Evaluasi", "Tidak berubah.", first.slug),
            Reason("Evaluasi", "Seluruh maklumat."),
        ],
    )
    delete_service(draft.services.get(slug=second.slug), editor)
    diff = diff_of(published_charter, draft)
    assert [entry.slug for entry in diff.removed] == [second.slug]
    assert [reason.text for reason in diff.removed[0].reasons] == ["Layanan jarang datang."]
    # The unchanged service's reason and the charter-wide one are listed apart.
    assert sorted(reason.text for reason in diff.reasons) == ["Seluruh maklumat.", "Tidak berubah."]
