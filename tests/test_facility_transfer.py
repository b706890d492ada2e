"""Moving a facility between installations: `export_facility` and `import_facility`
(charters/transfer/).

The round trip runs on the demo's Puskesmas Soko (three versions with their history, forum
records, comments, cases, survey, observations and evaluation rounds), with the few kinds of rows
the demo lacks added: it is exported, deleted, imported and exported again, and the two documents
are the same but for the time of export; the public pages read the same before and after.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from charters import search, transfer
from charters.models import Charter, CharterStatus, Facility, Membership, ServiceStandard
from charters.services import forum
from charters.uploads import ACCEPTED_KINDS
from feedback import services as feedback_services
from feedback.models import Case, CaseAttachment, FacilityHoliday, SurveyDay, SurveyResponse
from tests.demo.seeding import seed
from tests.factories import CaseFactory, StakeholderMeetingFactory, SurveyResponseFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% minutes of the forum\n"


def export(slug: str) -> str:
    out = StringIO()
    call_command("export_facility", slug, stdout=out)
    return out.getvalue()


def import_(text: str) -> tuple[str, str]:
    """What `import_facility` printed on standard output and standard error, fed `text` on its input."""
    out, err = StringIO(), StringIO()
    call_command("import_facility", stdin=StringIO(text), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def comparable(text: str) -> dict[str, Any]:
    document = json.loads(text)
    del document["exported_at"]
    return document


def delete_facility(facility: Facility) -> None:
    """Delete the facility and all it holds, frozen versions included, as no page may: children
    first, through plain querysets (no signal, no history record of the deletion)."""
    rows = {
        model: list(queryset.values_list("pk", flat=True))
        for model, queryset in transfer.facility_rows(facility).items()
    }
    for model, pks in reversed(rows.items()):
        if model is not Facility:
            models.QuerySet(model).filter(pk__in=pks)._raw_delete(connection.alias)
    models.QuerySet(Facility).filter(pk=facility.pk).delete()  # with what stays: search words, survey days


def table_counts() -> dict[str, int]:
    return {model._meta.label: models.QuerySet(model).count() for model in transfer.facility_models()}


def media_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def page(client: Client, url: str) -> str:
    """The page as a citizen reads it, without what changes with every response (tokens)."""
    cache.clear()  # rendered now, not the copy stored before
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200, url
    html = response.content.decode()
    html = re.sub(r'name="(csrfmiddlewaretoken|submission_key)" value="[^"]*"', r'name="\1"', html)
    # The only pks a public page shows: a file's address and a survey period's element id.
    return re.sub(r"(/files/|sample-progress-)\d+", r"\1N", html)


def add_what_the_demo_lacks(facility: Facility) -> None:
    """A scan of the forum's minutes, a file on a case and a day off: the demo has none."""
    head = Membership.objects.get(facility=facility, role="head").user
    in_consultation = facility.charters.get(status=CharterStatus.CONSULTATION)
    meeting = in_consultation.meetings.first() or StakeholderMeetingFactory(charter=in_consultation)
    forum.attach_file(
        meeting,
        SimpleUploadedFile("notulen.pdf", PDF, content_type="application/pdf"),
        ACCEPTED_KINDS[0],
        "notulen.pdf",
        "Berita acara",
        head,
    )
    case = Case.objects.filter(facility=facility, first_reply_at__isnull=False).first()
    feedback_services.attach_file(case, head, SimpleUploadedFile("jawaban.png", PNG), public=True)
    FacilityHoliday.objects.create(facility=facility, date="2026-04-10", name="Hari jadi Kabupaten Tuban")


def public_pages(facility: Facility) -> list[str]:
    published = facility.charters.get(status=CharterStatus.PUBLISHED)
    service = published.services.first()
    superseded = facility.charters.filter(status=CharterStatus.SUPERSEDED).first()
    case = CaseAttachment.objects.filter(case__facility=facility, public=True).first().case
    return [
        reverse("public:charter", args=[facility.slug]),
        reverse("public:service", args=[facility.slug, service.slug]),
        reverse("public:versions", args=[facility.slug]),
        reverse("public:version_diff", args=[facility.slug, superseded.version, published.version]),
        reverse("public:draft", args=[facility.slug]),
        reverse("public:track_case", args=[case.code]),
        reverse("public:survey_results", args=[facility.slug]),
    ]


def survey_days(facility: Facility) -> list[tuple[Any, ...]]:
    """The daily sums, by service web address name and version instead of pks."""
    return sorted(
        (
            (day.service.charter.version, day.service.slug) if day.service_id else None,
            day.visited_on,
            *(getattr(day, name) for name in ("respondents", "u1_answered", "u1_total", "u9_total")),
        )
        for day in SurveyDay.objects.filter(facility=facility).select_related("service__charter")
    )


def test_every_model_that_reaches_a_facility_is_moved_or_left_for_a_stated_reason() -> None:
    reachable = {model._meta.label for model in transfer.reachable_models()}
    assert reachable <= transfer.MOVED | set(transfer.NOT_MOVED)
    assert reachable >= transfer.MOVED
    assert not transfer.MOVED & set(transfer.NOT_MOVED)
    assert all(reason.strip() for reason in transfer.NOT_MOVED.values())
    # History travels: the "who changed what" page reads it.
    assert {"charters.HistoricalCharter", "charters.HistoricalServiceStandard"} <= transfer.MOVED


def test_a_model_neither_moved_nor_excused_stops_the_export(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer.graph, "NOT_MOVED", {})
    with pytest.raises(transfer.TransferError, match=r"charters\.SearchDocument"):
        transfer.facility_models()


@pytest.mark.django_db
def test_round_trip_is_exact(
    client: Client, login: Callable[..., Client], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    seed("--password", "demo-pass-123")
    facility = Facility.objects.get(slug="pkm-soko")
    add_what_the_demo_lacks(facility)
    head = Membership.objects.get(facility=facility, role="head").user
    in_consultation = facility.charters.get(status=CharterStatus.CONSULTATION)
    urls = public_pages(facility)
    before = [page(client, url) for url in urls]
    changes_url = reverse("manage:charter_changes", args=[facility.slug, in_consultation.version])
    staff = login(head)
    changes_before = page(staff, changes_url)
    days_before = survey_days(facility)
    files_before = {a.original_name: a.file.read() for a in CaseAttachment.objects.filter(case__facility=facility)}

    first = export("pkm-soko")
    document = json.loads(first)
    empty = [label for label, section in document["models"].items() if not section["rows"]]
    assert empty == [], "the fixture must hold every kind of row the export moves"
    assert set(document["models"]) == transfer.MOVED
    delete_facility(facility)
    assert not Facility.objects.filter(slug="pkm-soko").exists()

    with django_capture_on_commit_callbacks(execute=True):
        out, err = import_(first)
    assert err == ""
    assert "pkm-soko" in out

    assert comparable(export("pkm-soko")) == comparable(first)
    imported = Facility.objects.get(slug="pkm-soko")
    assert imported.pk != facility.pk
    assert [page(client, url) for url in public_pages(imported)] == before
    assert public_pages(imported) == urls  # same services, versions and tracking codes
    assert page(staff, changes_url) == changes_before  # who changed what: history and its users
    assert survey_days(imported) == days_before
    files_after = {a.original_name: a.file.read() for a in CaseAttachment.objects.filter(case__facility=imported)}
    assert files_after == files_before
    shown = CaseAttachment.objects.get(case__facility=imported, public=True)
    response = client.get(reverse("public:track_file", args=[shown.case.code, shown.pk]))
    assert b"".join(response.streaming_content) == PNG
    assert list(search.facilities("soko")) == [imported]
    # A service added later takes a number no history record of the import uses.
    draft = imported.charters.get(status=CharterStatus.CONSULTATION)
    history = transfer.facility_rows(imported)[ServiceStandard.history.model]
    numbered = set(history.values_list("id", flat=True))
    added = ServiceStandard.objects.create(charter=draft, name="Layanan baru", slug="layanan-baru", methods=["walk_in"])
    assert added.pk not in numbered and added.pk > max(numbered)


@pytest.fixture
def small(facility: Facility, published_charter: Charter, head: Any, editor: Any) -> Case:
    """A published facility with one answered case carrying a file, and a survey answer."""
    case = CaseFactory(facility=facility, service=published_charter.services.first())
    feedback_services.attach_file(case, editor, SimpleUploadedFile("foto.png", PNG), public=True)
    SurveyResponseFactory(facility=facility, device_answer="device-1")
    return case


def test_a_facility_whose_address_exists_is_refused_and_nothing_is_written(small: Case, settings: Any) -> None:
    text = export("pkm-soko")
    counts, files = table_counts(), media_files(Path(settings.MEDIA_ROOT))
    with pytest.raises(CommandError, match="pkm-soko"):
        import_(text)
    assert table_counts() == counts
    assert media_files(Path(settings.MEDIA_ROOT)) == files


def test_a_tracking_code_that_exists_is_refused_and_nothing_is_written(small: Case, settings: Any) -> None:
    document = json.loads(export("pkm-soko"))
    # The same facility under another address: its case's code is taken here.
    document["facility"] = "pkm-soko-baru"
    document["models"]["charters.Facility"]["rows"][0]["slug"] = "pkm-soko-baru"
    counts, files = table_counts(), media_files(Path(settings.MEDIA_ROOT))
    with pytest.raises(CommandError, match=small.code):
        import_(json.dumps(document))
    assert table_counts() == counts
    assert media_files(Path(settings.MEDIA_ROOT)) == files
    assert not Facility.objects.filter(slug="pkm-soko-baru").exists()


def test_a_clash_found_while_writing_rolls_back_the_rows_and_the_files(small: Case, settings: Any) -> None:
    text = export("pkm-soko")
    delete_facility(small.facility)
    # Another facility's answer now holds the survey's device key: found by the database only.
    SurveyResponseFactory(device_answer="device-1")
    counts, files = table_counts(), media_files(Path(settings.MEDIA_ROOT))
    with pytest.raises(CommandError):
        import_(text)
    assert table_counts() == counts
    assert media_files(Path(settings.MEDIA_ROOT)) == files


def test_import_reads_a_file_and_export_writes_one(small: Case, tmp_path: Path) -> None:
    path = tmp_path / "soko.json"
    call_command("export_facility", "pkm-soko", output=str(path), stdout=StringIO())
    delete_facility(small.facility)
    call_command("import_facility", str(path), stdout=StringIO(), stderr=StringIO())
    assert Case.objects.get(code=small.code).facility.slug == "pkm-soko"


def test_staff_are_matched_by_username_and_e_mail(small: Case, head: Any, editor: Any) -> None:
    text = export("pkm-soko")
    delete_facility(small.facility)
    editor.email = "someone-else@example.org"  # the same username here may be another person
    editor.save()
    with translation.override("en"):
        _out, err = import_(text)
    assert "“editor”" in err and "“head”" not in err
    facility = Facility.objects.get(slug="pkm-soko")
    assert list(facility.memberships.values_list("user__username", flat=True)) == ["head"]
    published = facility.charters.get(status=CharterStatus.PUBLISHED)
    assert published.published_by == head
    attachment = CaseAttachment.objects.get(case__code=small.code)
    assert attachment.uploaded_by is None


def test_an_import_retires_the_cached_pages_of_its_address(
    small: Case, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("public:charter", args=["pkm-soko"])
    assert "Puskesmas Soko" in client.get(url).content.decode()  # now cached
    document = json.loads(export("pkm-soko"))
    delete_facility(small.facility)
    document["models"]["charters.Facility"]["rows"][0]["name"] = "UPT Puskesmas Soko Baru"
    with django_capture_on_commit_callbacks(execute=True):
        import_(json.dumps(document))
    assert "UPT Puskesmas Soko Baru" in client.get(url).content.decode()


def test_surveys_count_the_same_after_the_move(small: Case) -> None:
    facility = small.facility
    SurveyResponseFactory.create_batch(3, facility=facility, scores=(4,) * 9)
    before = survey_days(facility)
    text = export("pkm-soko")
    delete_facility(facility)
    import_(text)
    imported = Facility.objects.get(slug="pkm-soko")
    assert survey_days(imported) == before
    assert SurveyResponse.objects.filter(facility=imported).count() == 4


def test_an_unknown_facility_cannot_be_exported(db: None) -> None:
    with pytest.raises(CommandError, match="pkm-nowhere"):
        export("pkm-nowhere")


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"format": "something else"}),
        json.dumps({"format": transfer.FORMAT, "version": transfer.FORMAT_VERSION + 1, "models": {}}),
    ],
)
def test_what_is_not_an_export_is_refused(db: None, text: str) -> None:
    with pytest.raises(CommandError):
        import_(text)
    assert not Facility.objects.exists()


def test_a_damaged_reference_is_refused_and_nothing_is_written(small: Case) -> None:
    document = json.loads(export("pkm-soko"))
    delete_facility(small.facility)
    document["models"]["feedback.Case"]["rows"][0]["service"] = 999
    counts = table_counts()
    with pytest.raises(CommandError):
        import_(json.dumps(document))
    assert table_counts() == counts


def test_a_file_name_with_folders_stays_inside_its_folder_and_an_empty_one_is_refused(
    small: Case, settings: Any
) -> None:
    document = json.loads(export("pkm-soko"))
    delete_facility(small.facility)
    row = document["models"]["feedback.CaseAttachment"]["rows"][0]
    row["file"]["name"] = ""
    counts = table_counts()
    with translation.override("en"), pytest.raises(CommandError, match="damaged"):
        import_(json.dumps(document))
    assert table_counts() == counts

    row["file"]["name"] = "../../../evil.png"
    import_(json.dumps(document))
    stored = Case.objects.get(code=small.code).attachments.get().file
    media = Path(settings.MEDIA_ROOT).resolve()
    assert Path(stored.path).resolve().is_relative_to(media) and stored.name.endswith("/evil.png")
    assert not (media.parent / "evil.png").exists()


def test_an_export_file_is_its_owners_only_and_never_written_over(small: Case, tmp_path: Path) -> None:
    path = tmp_path / "soko.json"
    call_command("export_facility", "pkm-soko", output=str(path), stdout=StringIO())
    assert path.stat().st_mode & 0o777 == 0o600
    with translation.override("en"), pytest.raises(CommandError, match="exists already"):
        call_command("export_facility", "pkm-soko", output=str(path), stdout=StringIO())
