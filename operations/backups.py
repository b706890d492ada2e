"""One archive with the database and the uploaded files: made, checked and restored.

The archive is a .tar.gz holding, in this order, `manifest.json` (read first, so that an archive
this release cannot restore is refused before anything else is read), the database dump
(`database.pgdump` or `database.sqlite3`) and every file under MEDIA_ROOT below `media/`. It holds
what citizens wrote, with their names, phone numbers and scans: it is written readable by its owner
only, and docs/operations.md says where to keep it.

Reading an archive reads all of it (the checksum of the dump, gzip's check of every byte, the
database tool's own check of the dump), so a damaged backup is found by `verify_backup` on the
night it was made, and a restore never stops halfway because of a bad block.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext

from charters import pagecache
from charters.models import Facility
from operations.databases import engine_for
from operations.errors import BackupError
from operations.manifest import MANIFEST_NAME, MEDIA_PREFIX, Manifest, read_state, sha256_of

PRIVATE_FILE = 0o600
PRIVATE_DIRECTORY = 0o700
_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class MediaFile:
    path: Path
    name: str  # relative to MEDIA_ROOT, with forward slashes
    size: int


@dataclass(frozen=True)
class OpenedBackup:
    manifest: Manifest
    database: Path  # the dump, extracted into a temporary directory


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    counts: dict[str, int]
    media_files: int
    pending_migrations: list[str] = field(default_factory=list)

    @property
    def differences(self) -> list[str]:
        """What did not come back as the manifest counted it: models' labels, and "media"."""
        missing = [label for label, count in self.manifest.counts.items() if self.counts.get(label, count) != count]
        if self.media_files != self.manifest.media_files:
            missing.append("media")
        return missing


def archive_name(now: datetime) -> str:
    return f"maklumat-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"


def media_files(root: Path) -> list[MediaFile]:
    if not root.is_dir():
        return []
    return [
        MediaFile(path, path.relative_to(root).as_posix(), path.stat().st_size)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    ]


def private_directory(directory: Path) -> Path:
    directory.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    return directory


# --- Making one ----------------------------------------------------------------------------------


def create_backup(target: Path, *, using: str = DEFAULT_DB_ALIAS, now: datetime | None = None) -> Manifest:
    """Write the archive of the database `using` and of MEDIA_ROOT to `target` (a new file)."""
    if target.exists():
        raise BackupError(gettext("%(path)s exists already; a backup never overwrites a file.") % {"path": target})
    connection = connections[using]
    engine = engine_for(connection.vendor)
    now = now or timezone.now()
    if "django_migrations" not in connection.introspection.table_names():
        raise BackupError(
            gettext("The database %(name)s holds no Maklumat site (no django_migrations table): check DATABASE_URL.")
            % {"name": connection.settings_dict["NAME"]}
        )
    private_directory(target.parent)
    with tempfile.TemporaryDirectory(prefix="maklumat-backup-") as work:
        dump = Path(work) / engine.dump_name
        # The database first, then the files: every file a row of the dump names was uploaded
        # before the dump began, so it is in the archive (one uploaded meanwhile is there too).
        dumped = engine.dump(connection, dump)
        media = media_files(Path(settings.MEDIA_ROOT))
        manifest = Manifest(
            created_at=timezone.localtime(now).isoformat(timespec="seconds"),
            vendor=connection.vendor,
            database_file=engine.dump_name,
            database_sha256=sha256_of(dump),
            dump_tool=dumped.tool,
            server_version=dumped.server_version,
            migrations=dumped.state.migrations,
            counts=dumped.state.counts,
            media_files=len(media),
            media_bytes=sum(file.size for file in media),
        )
        write_archive(target, manifest, dump, media)
    return manifest


def _member(name: str, size: int, mtime: float, mode: int = PRIVATE_FILE) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.size, member.mtime, member.mode = size, int(mtime), mode
    return member


def write_archive(target: Path, manifest: Manifest, dump: Path, media: list[MediaFile]) -> None:
    # Written beside the target and renamed when complete: a backup interrupted by a full disk or
    # a reboot never leaves a file that looks like a backup.
    partial = target.with_name(target.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            text = manifest.to_json()
            tar.addfile(_member(MANIFEST_NAME, len(text), timezone.now().timestamp()), io.BytesIO(text))
            with dump.open("rb") as handle:
                tar.addfile(_member(manifest.database_file, dump.stat().st_size, dump.stat().st_mtime), handle)
            for file in media:
                # The size counted in the manifest (uploads never change), and the file's own
                # permissions, so that a restored upload is readable by whom it was before.
                with file.path.open("rb") as handle:
                    status = os.fstat(handle.fileno())
                    member = _member(MEDIA_PREFIX + file.name, file.size, status.st_mtime, status.st_mode & 0o777)
                    tar.addfile(member, handle)
        os.replace(partial, target)
    except FileNotFoundError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(
            gettext("%(path)s was deleted while the backup ran; run the backup again.") % {"path": exc.filename}
        ) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# --- Reading one ---------------------------------------------------------------------------------


@contextmanager
def opened_backup(archive: Path, vendor: str | None = None) -> Iterator[OpenedBackup]:
    """Read and check the whole archive; inside, its dump is a file in a temporary directory.
    With `vendor`, an archive of another database is refused before its dump is read."""
    if not archive.is_file():
        raise BackupError(gettext("There is no file %(path)s.") % {"path": archive})
    with tempfile.TemporaryDirectory(prefix="maklumat-restore-") as work:
        try:
            opened = _read_archive(archive, Path(work), vendor)
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            raise BackupError(
                gettext("%(path)s is damaged or is not a .tar.gz archive: %(error)s") % {"path": archive, "error": exc}
            ) from exc
        engine_for(opened.manifest.vendor).check(opened.database, opened.manifest)
        yield opened


def _read_archive(archive: Path, work: Path, vendor: str | None) -> OpenedBackup:
    with gzip.open(archive, "rb") as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
        first = tar.next()
        if first is None or first.name != MANIFEST_NAME or not first.isfile():
            raise BackupError(gettext("%(path)s is not a Maklumat backup (no manifest).") % {"path": archive})
        manifest = Manifest.from_json(tar.extractfile(first).read())
        if vendor is not None and manifest.vendor != vendor:
            raise BackupError(
                gettext(
                    "This backup holds a %(archive)s database and this site uses %(site)s: restore it into a "
                    "%(archive)s database (DATABASE_URL)."
                )
                % {"archive": manifest.vendor, "site": vendor}
            )
        database, files, size = None, 0, 0
        for member in tar:
            if member.name == MANIFEST_NAME:
                continue  # the first member again (a stream lists what it has read)
            if member.name == manifest.database_file and member.isfile() and database is None:
                tar.extract(member, work, filter="data")
                database = work / member.name
            elif member.name.startswith(MEDIA_PREFIX) and member.isfile():
                # A name that would land outside MEDIA_ROOT ('..', absolute) is refused here, by the
                # filter the restore extracts with, so that a check never passes what a restore refuses.
                try:
                    tarfile.data_filter(member.replace(name=member.name.removeprefix(MEDIA_PREFIX)), str(work))
                except tarfile.FilterError as error:
                    raise BackupError(
                        gettext("%(path)s holds %(name)s, which no Maklumat backup holds.")
                        % {"path": archive, "name": member.name}
                    ) from error
                # Read through: gzip checks every byte, and a bad block shows now.
                source = tar.extractfile(member)
                while source.read(_BLOCK):
                    pass
                files, size = files + 1, size + member.size
            else:
                raise BackupError(
                    gettext("%(path)s holds %(name)s, which no Maklumat backup holds.")
                    % {"path": archive, "name": member.name}
                )
        # The end of the tar is not the end of the gzip stream: read to its end for its checksum.
        while stream.read(_BLOCK):
            pass
    if database is None or sha256_of(database) != manifest.database_sha256:
        raise BackupError(gettext("The database dump in %(path)s is missing or damaged.") % {"path": archive})
    if (files, size) != (manifest.media_files, manifest.media_bytes):
        raise BackupError(
            gettext("%(path)s holds %(found)s uploaded files where its manifest counts %(counted)s.")
            % {"path": archive, "found": files, "counted": manifest.media_files}
        )
    return OpenedBackup(manifest=manifest, database=database)


def extract_media(archive: Path, root: Path) -> int:
    """Every uploaded file of the archive, written under `root`; the number written."""
    written = 0
    with tarfile.open(archive, mode="r|gz") as tar:
        for member in tar:
            if member.name.startswith(MEDIA_PREFIX) and member.isfile():
                # The "data" filter refuses absolute names, '..' and links out of `root`.
                tar.extract(member.replace(name=member.name.removeprefix(MEDIA_PREFIX)), root, filter="data")
                written += 1
    return written


# --- Restoring one -------------------------------------------------------------------------------


def refuse_newer_migrations(manifest: Manifest) -> list[str]:
    """Refuse a backup of a newer release; the migrations this release has and the backup has not
    (`migrate` applies them after the restore)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {app for app, _name in loader.disk_migrations}
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # a squashed migration's originals may be what was applied
    applied = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in applied - known if app in ours)
    if unknown:
        raise BackupError(
            gettext(
                "This backup was made by a newer release of Maklumat (migrations %(names)s are unknown here): "
                "deploy that release, then restore."
            )
            % {"names": ", ".join(unknown[:5])}
        )
    return sorted(
        f"{app}.{name}"
        for (app, name), migration in loader.disk_migrations.items()
        if (app, name) not in applied and not (migration.replaces and set(migration.replaces) <= applied)
    )


def refuse_non_empty(connection: BaseDatabaseWrapper, media_root: Path) -> None:
    """A restore adds to nothing: rows or files already there would mix with the backup's."""
    if media_files(media_root):
        raise BackupError(
            gettext(
                "The upload directory %(path)s (MEDIA_ROOT) already holds files. Restore into an empty one: move "
                "them aside or set MEDIA_ROOT to a new directory."
            )
            % {"path": media_root}
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            gettext(
                "The database %(name)s is not empty (%(count)s tables, e.g. %(tables)s). A backup is restored only "
                "into an empty database: create a new one (PostgreSQL: createdb; SQLite: a new file) and point "
                "DATABASE_URL at it."
            )
            % {"name": connection.settings_dict["NAME"], "count": len(tables), "tables": ", ".join(tables[:3])}
        )


def restore_backup(archive: Path, *, using: str = DEFAULT_DB_ALIAS) -> RestoreReport:
    """Bring the archive back into the empty database `using` and the empty MEDIA_ROOT."""
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    engine = engine_for(connection.vendor)
    with opened_backup(archive, connection.vendor) as backup:
        pending = refuse_newer_migrations(backup.manifest)
        refuse_non_empty(connection, media_root)
        engine.prepare_restore(connection, backup.manifest)
        engine.restore(connection, backup.database)
    try:
        restored_files = extract_media(archive, private_directory(media_root))
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            gettext(
                "The database was restored, but the uploaded files were not (%(error)s): free space or fix "
                "MEDIA_ROOT, then restore again into a new empty database and directory."
            )
            % {"error": error}
        ) from error
    with connection.cursor() as cursor:
        state = read_state(cursor, connection.ops.quote_name, connection.introspection.table_names(cursor))
    # A cache shared with the site that ran here before (Redis) may hold its pages under the same
    # facility addresses: new generations retire them.
    for slug in Facility.objects.using(using).values_list("slug", flat=True):
        pagecache.bump(slug, pagecache.PAGES)
        pagecache.bump(slug, pagecache.SURVEY)
    return RestoreReport(backup.manifest, state.counts, restored_files, pending)
