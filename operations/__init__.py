"""Operations: backing up and restoring a whole site (`manage.py backup`, `verify_backup`, `restore`).

A backup is one archive: a manifest, the database as its own tool dumps it, and every uploaded
file. docs/operations.md says how often to take one, where to keep it and how to check it.
"""
