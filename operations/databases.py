"""Dumping, checking and restoring the database, with the tool each database has for it.

PostgreSQL: `pg_dump --format=custom` and `pg_restore`, Debian's postgresql-client, whose major
version must be at least the server's (an older pg_dump refuses a newer server, and an older
pg_restore cannot read a newer pg_dump's archive); we say so before running them. SQLite: the
online backup API of `sqlite3`, which copies a consistent snapshot while the site keeps writing.

The connection parameters come from `settings.DATABASES` through libpq's environment (PGHOST,
PGPASSWORD, …): a password on a command line is readable by every user of the server (`ps`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext

from operations.errors import BackupError
from operations.manifest import DatabaseState, Manifest, read_state

LIBPQ_SETTINGS = {"NAME": "PGDATABASE", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "HOST": "PGHOST", "PORT": "PGPORT"}
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


@dataclass(frozen=True)
class Dumped:
    tool: str
    server_version: str
    state: DatabaseState


class Engine(Protocol):
    dump_name: str

    def dump(self, connection: BaseDatabaseWrapper, target: Path) -> Dumped: ...

    def check(self, dump: Path, manifest: Manifest) -> None: ...

    def prepare_restore(self, connection: BaseDatabaseWrapper, manifest: Manifest) -> None: ...

    def restore(self, connection: BaseDatabaseWrapper, dump: Path) -> None: ...


def engine_for(vendor: str) -> Engine:
    engines: dict[str, Engine] = {"postgresql": PostgreSQL(), "sqlite": SQLite()}
    if vendor not in engines:
        raise BackupError(gettext("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor})
    return engines[vendor]


def require_outside_transaction(connection: BaseDatabaseWrapper) -> None:
    # The dump must see committed rows only, in a snapshot of its own: inside a caller's
    # transaction pg_dump would miss that transaction's rows and SQLite's copy would include them.
    if connection.in_atomic_block:
        raise RuntimeError("a backup runs outside any transaction")


# --- PostgreSQL ----------------------------------------------------------------------------------


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in LIBPQ_SETTINGS.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in LIBPQ_OPTIONS.items():
        if options.get(option):
            env[variable] = str(options[option])
    return env


def client_version(program: str) -> tuple[int, str]:
    """The major version of `program` and its whole version, from `program --version`
    ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)" is 15 and "15.20")."""
    try:
        output = subprocess.run([program, "--version"], capture_output=True, text=True, check=True).stdout
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        raise BackupError(
            gettext(
                "%(program)s was not found: install Debian's postgresql-client (apt-get install postgresql-client)."
            )
            % {"program": program}
        ) from exc
    found = re.search(r"\)\s*(\d+)(?:\.\d+)*", output)
    if found is None:
        message = gettext("Cannot read the version of %(program)s: %(output)s")
        raise BackupError(message % {"program": program, "output": output})
    return int(found.group(1)), found.group(0).lstrip(") \t")


def server_major(connection: BaseDatabaseWrapper) -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000  # 150020 is 15.20


def require_client_for_server(program: str, client: int, server: int) -> None:
    if client < server:
        raise BackupError(
            gettext(
                "%(program)s %(client)s is older than the PostgreSQL %(server)s server and cannot work with it. "
                "Install postgresql-client-%(server)s (PGDG's apt repository) and put "
                "/usr/lib/postgresql/%(server)s/bin first on PATH."
            )
            % {"program": program, "client": client, "server": server}
        )


def require_client_for_dump(client: int, dumped_by: str) -> None:
    """pg_restore reads the archives of its own and older pg_dump versions only."""
    found = re.match(r"pg_dump (\d+)", dumped_by)
    made = int(found.group(1)) if found else 0
    if client < made:
        raise BackupError(
            gettext(
                "This backup was made by %(tool)s; pg_restore %(client)s cannot read it. Install "
                "postgresql-client-%(made)s and put /usr/lib/postgresql/%(made)s/bin first on PATH."
            )
            % {"tool": dumped_by, "client": client, "made": made}
        )


def run_tool(arguments: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(arguments, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            gettext("%(program)s failed (exit status %(status)s): %(output)s")
            % {"program": arguments[0], "status": result.returncode, "output": result.stderr.strip()}
        )
    return result.stdout


class PostgreSQL:
    dump_name = "database.pgdump"

    def dump(self, connection: BaseDatabaseWrapper, target: Path) -> Dumped:
        require_outside_transaction(connection)
        client, version = client_version("pg_dump")
        server = server_major(connection)
        require_client_for_server("pg_dump", client, server)
        env = libpq_environment(connection.settings_dict)
        # pg_dump reads the snapshot this transaction exports, and the manifest's counts are read
        # in it too: the archive describes exactly the rows it holds while citizens keep writing.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            state = read_state(cursor, connection.ops.quote_name, connection.introspection.table_names(cursor))
            # --no-password: a missing password fails at once instead of waiting for a prompt under cron.
            run_tool(["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"], env)
        return Dumped(tool=f"pg_dump {version}", server_version=server_version, state=state)

    def check(self, dump: Path, manifest: Manifest) -> None:
        client, _version = client_version("pg_restore")
        require_client_for_dump(client, manifest.dump_tool)
        contents = run_tool(["pg_restore", "--list", str(dump)])
        if not re.search(r"TABLE DATA \S+ django_migrations ", contents):
            raise BackupError(gettext("The database dump holds no django_migrations table: it is not Maklumat's."))
        # The list reads the table of contents only; writing the whole script to nowhere reads
        # and decompresses every table's data, so a damaged block is found now, not at a restore.
        run_tool(["pg_restore", "--file=/dev/null", str(dump)])

    def prepare_restore(self, connection: BaseDatabaseWrapper, manifest: Manifest) -> None:
        client, _version = client_version("pg_restore")
        require_client_for_server("pg_restore", client, server_major(connection))
        require_client_for_dump(client, manifest.dump_tool)

    def restore(self, connection: BaseDatabaseWrapper, dump: Path) -> None:
        # --no-owner and --no-privileges: the objects belong to the role restoring them; the old
        # server's roles need not exist here. One transaction: a failure leaves the database empty.
        run_tool(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            libpq_environment(connection.settings_dict),
        )


# --- SQLite --------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_sqlite_state(copy: sqlite3.Connection) -> DatabaseState:
    tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return read_state(copy.cursor(), _quote, tables)


class SQLite:
    dump_name = "database.sqlite3"

    def dump(self, connection: BaseDatabaseWrapper, target: Path) -> Dumped:
        require_outside_transaction(connection)
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # Through Django's own connection: the same database the site uses, a file or (in
            # tests) memory; the copy is one consistent snapshot even while the worker writes.
            connection.connection.backup(copy)
            state = read_sqlite_state(copy)
        finally:
            copy.close()
        version = sqlite3.sqlite_version
        return Dumped(tool=f"sqlite {version}", server_version=version, state=state)

    def check(self, dump: Path, manifest: Manifest) -> None:
        copy = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                raise BackupError(
                    gettext("The database copy is damaged: %(problems)s") % {"problems": "; ".join(problems[:5])}
                )
            state = read_sqlite_state(copy)
        except sqlite3.DatabaseError as exc:
            raise BackupError(gettext("The database copy is damaged: %(problems)s") % {"problems": exc}) from exc
        finally:
            copy.close()
        # Only the models both releases count: a later release may count one more.
        differs = any(state.counts.get(label, count) != count for label, count in manifest.counts.items())
        if differs or state.migrations != manifest.migrations:
            raise BackupError(gettext("The database copy does not hold the rows its manifest counts."))

    def prepare_restore(self, connection: BaseDatabaseWrapper, manifest: Manifest) -> None:
        pass  # any SQLite 3 reads the file

    def restore(self, connection: BaseDatabaseWrapper, dump: Path) -> None:
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
