from __future__ import annotations


class BackupError(Exception):
    """A backup cannot be made, read or restored; the message says why and what to do, for the
    operator (the commands print it and exit with a non-zero status)."""
