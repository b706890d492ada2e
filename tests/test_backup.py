"""Backup and restore (operations/): a site backed up and restored into an empty database shows the
same charter, case and survey index; restore refuses what it must not touch or cannot read.

The round trip runs on the suite's database (SQLite here, PostgreSQL in CI). The backup is made in
this process, from rows committed by a transactional test (pg_dump sees committed rows only); the
restore runs as an operator runs it, `manage.py restore` in another process pointed at a new, empty
database (a new SQLite file, or a database created for the test on the PostgreSQL server), and the
pages are read there.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import stat
import subprocess
import sys
import tarfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from charters.models import Facility
from feedback import services as feedback_services
from feedback.models import Case, CaseAttachment
from operations.backups import refuse_newer_migrations
from operations.databases import libpq_environment, require_client_for_dump, require_client_for_server
from operations.errors import BackupError
from operations.manifest import MANIFEST_NAME, Manifest
from tests.factories import (
    CaseFactory,
    FacilityFactory,
    MembershipFactory,
    SurveyResponseFactory,
    make_published_charter,
)

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n% the head's answer, signed\n"
CITIZEN_PDF = b"%PDF-1.4\n% the citizen's photo of the queue number\n"

# The round trip commits its rows for pg_dump to see them; the refusals read a backup made once.
transactional = pytest.mark.django_db(transaction=True)

# Run in the restored site's process: the pages' status and bytes (latin-1 keeps every byte).
READ_PAGES = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings
    settings.DEBUG = False  # as in the test process
    client = Client()
    pages = {}
    for url in json.loads(sys.argv[1]):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[url] = [response.status_code, body.decode("latin-1")]
    print(json.dumps(pages))
    """
)


def read_pages(client: Client, urls: list[str]) -> dict[str, list[Any]]:
    pages = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[url] = [response.status_code, body.decode("latin-1")]
    return pages


def comparable(pages: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The pages without what differs on every response: CSRF tokens and CSP nonces."""
    random_values = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
    return {url: [status, random_values.sub(r'\1""', body)] for url, (status, body) in pages.items()}


def database_url(name: str) -> str:
    """DATABASE_URL of the database `name` on the suite's PostgreSQL server."""
    params = connection.settings_dict
    user, host, port = params["USER"] or "postgres", params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL of a new database without a table, of the suite's vendor."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"{params['NAME']}_restored_{os.getpid()}"
    server = psycopg2.connect(
        dbname="postgres", user=params["USER"], password=params["PASSWORD"], host=params["HOST"], port=params["PORT"]
    )
    server.autocommit = True  # CREATE DATABASE runs outside a transaction
    try:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield database_url(name)
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        server.close()


def run_site(database: str, media_root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "charter_site.settings",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run([sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def backup(path: Path) -> Path:
    with translation.override("en"):
        call_command("backup", file=path, stdout=io.StringIO())
    return path


@pytest.fixture(scope="module")
def archive(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of the suite's database with its tables empty, made once, outside any test's
    transaction (a backup refuses to run inside one)."""
    directory = tmp_path_factory.mktemp("backup")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=directory / "media"):
        return backup(directory / "site.tar.gz")


def rewritten(archive: Path, target: Path, **manifest_changes: Any) -> Path:
    """A copy of `archive` whose manifest says otherwise."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == MANIFEST_NAME:
                data = json.dumps({**json.loads(data), **manifest_changes}).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def refused(command: str, *arguments: Any) -> str:
    with translation.override("en"), pytest.raises(CommandError) as refusal:
        call_command(command, *arguments, stdout=io.StringIO())
    return str(refusal.value)


# --- The round trip ------------------------------------------------------------------------------


@pytest.fixture
def site() -> list[str]:
    """A published charter, an answered case with the head's file and the citizen's, six survey
    answers; the addresses of the pages that show them (and of the head's file)."""
    facility = FacilityFactory(name="Puskesmas Soko", slug="pkm-soko")
    head = MembershipFactory(facility=facility, head=True).user
    make_published_charter(facility, services=2, head=head)
    case = CaseFactory(facility=facility, description="Antrean di loket pendaftaran terlalu lama.")
    feedback_services.add_information(case, "Nomor antrean 57.", SimpleUploadedFile("antrean.pdf", CITIZEN_PDF))
    feedback_services.reply(case, head, "Loket kedua dibuka mulai Senin.", SimpleUploadedFile("jawaban.pdf", PDF))
    service = facility.charters.get().services.first()
    for score in (4, 3, 3, 4, 2, 3):
        SurveyResponseFactory(facility=facility, service=service, scores=(score,) * 9)
    answer = CaseAttachment.objects.get(public=True)
    return [
        reverse("public:charter", args=[facility.slug]),
        reverse("public:track_case", args=[case.code]),
        reverse("public:track_file", args=[case.code, answer.pk]),
        reverse("public:survey_results", args=[facility.slug]),
        reverse("public:survey_results_json", args=[facility.slug]),
    ]


@transactional
def test_a_restored_backup_shows_the_same_charter_case_and_survey_index(
    site: list[str], tmp_path: Path, empty_database: str
) -> None:
    before = comparable(read_pages(Client(), site))
    assert [status for status, _body in before.values()] == [200] * 5
    assert "Loket kedua dibuka mulai Senin." in before[site[1]][1] and before[site[2]][1] == PDF.decode("latin-1")
    index = json.loads(before[site[4]][1])
    assert index["ikm"] is not None and None not in index["elements"].values()
    archive = backup(tmp_path / "backups" / "site.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # citizens' data: the owner's only

    media = tmp_path / "restored-media"
    restored = run_site(empty_database, media, "manage.py", "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert str(archive) in restored.stdout

    after = run_site(empty_database, media, "-c", READ_PAGES, json.dumps(site))
    assert after.returncode == 0, after.stderr
    assert comparable(json.loads(after.stdout)) == before
    # The citizen's file, served to staff only, came back byte for byte under the same name.
    citizen_file = CaseAttachment.objects.get(from_citizen=True).file.name
    assert (media / citizen_file).read_bytes() == CITIZEN_PDF


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(archive: Path) -> None:
    CaseFactory(description="Masih ada.")
    message = refused("restore", archive)
    assert "is not empty" in message and "create a new one" in message
    assert Case.objects.get().description == "Masih ada."


@pytest.mark.django_db
def test_restore_refuses_a_media_root_with_files(archive: Path) -> None:
    stray = Path(settings.MEDIA_ROOT) / "private" / "cases" / "1" / "1" / "scan.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(PDF)
    assert "already holds files" in refused("restore", archive)
    assert [path.name for path in Path(settings.MEDIA_ROOT).rglob("*.*")] == ["scan.pdf"]


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_another_database(archive: Path, tmp_path: Path) -> None:
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    FacilityFactory()
    message = refused("restore", rewritten(archive, tmp_path / "other.tar.gz", vendor=other))
    assert f"holds a {other} database and this site uses {connection.vendor}" in message
    assert Facility.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["restore", "verify_backup"])
def test_an_unknown_format_is_refused(archive: Path, tmp_path: Path, command: str) -> None:
    message = refused(command, rewritten(archive, tmp_path / "future.tar.gz", format_version=2))
    assert "format version 2" in message


@pytest.mark.django_db
def test_verify_backup_reads_a_sound_archive_and_finds_a_damaged_one(archive: Path, tmp_path: Path) -> None:
    output = io.StringIO()
    with translation.override("en"):
        call_command("verify_backup", archive, stdout=output)
    assert "is sound" in output.getvalue() and f"from a {connection.vendor} database" in output.getvalue()

    other_dump = rewritten(archive, tmp_path / "swapped.tar.gz", database_sha256="0" * 64)
    assert "missing or damaged" in refused("verify_backup", other_dump)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "is damaged or is not a .tar.gz archive" in refused("verify_backup", truncated)
    assert "no file" in refused("verify_backup", tmp_path / "missing.tar.gz")


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(archive: Path) -> None:
    with translation.override("en"), pytest.raises(CommandError, match="exists already"):
        call_command("backup", file=archive, stdout=io.StringIO())


@pytest.mark.django_db
def test_a_backup_of_a_newer_release_is_refused_and_an_older_one_needs_migrate(archive: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        manifest = Manifest.from_json(tar.extractfile(MANIFEST_NAME).read())
    assert refuse_newer_migrations(manifest) == []
    applied = manifest.migrations
    older = dataclasses.replace(manifest, migrations={**applied, "feedback": applied["feedback"][:-1]})
    assert refuse_newer_migrations(older) == [f"feedback.{applied['feedback'][-1]}"]
    newer = dataclasses.replace(manifest, migrations={**applied, "charters": [*applied["charters"], "9999_next"]})
    with translation.override("en"), pytest.raises(BackupError, match=r"newer release .*charters\.9999_next"):
        refuse_newer_migrations(newer)


# --- PostgreSQL's tools --------------------------------------------------------------------------


def test_a_pg_client_older_than_the_server_or_the_dump_is_refused_with_what_to_install() -> None:
    with translation.override("en"):
        require_client_for_server("pg_dump", 15, 15)
        with pytest.raises(BackupError, match=r"pg_dump 14 is older than the PostgreSQL 15 server.*client-15"):
            require_client_for_server("pg_dump", 14, 15)
        require_client_for_dump(16, "pg_dump 15.20")
        with pytest.raises(BackupError, match=r"made by pg_dump 17\.2; pg_restore 15 cannot read it"):
            require_client_for_dump(15, "pg_dump 17.2")


def test_the_password_reaches_pg_dump_through_the_environment() -> None:
    env = libpq_environment(
        {"NAME": "maklumat", "USER": "app", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5433, "OPTIONS": {}}
    )
    libpq = (env["PGDATABASE"], env["PGUSER"], env["PGPASSWORD"], env["PGHOST"], env["PGPORT"])
    assert libpq == ("maklumat", "app", "s3cret", "db", "5433")


@pytest.mark.django_db
def test_a_file_that_would_land_outside_media_root_fails_the_check(archive: Path, tmp_path: Path) -> None:
    """verify_backup refuses what restore would refuse, before any database is touched."""
    target = tmp_path / "escaping.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            copy.addfile(member, source.extractfile(member))
        evil = tarfile.TarInfo("media/../../evil.txt")
        evil.size = 4
        copy.addfile(evil, io.BytesIO(b"evil"))
    assert "which no Maklumat backup holds" in refused("verify_backup", target)
