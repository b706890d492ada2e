"""Moving one facility to another installation: everything that belongs to it as one JSON document.

`export_facility(slug)` gathers the facility and every row that reaches it through foreign keys:
its charter versions with their content, forum records and consultation comments, their
django-simple-history records (the "who changed what" page reads them, so they travel too, their
`history_user` matched like every other user), the cases with their timelines and files, the
survey's responses, periods and actions, the observations and evaluation rounds.
`import_facility(document)` writes them into this installation in one transaction, with new
primary keys, or refuses and writes nothing. The commands `export_facility` and `import_facility`
are thin wrappers.

Which models: `reachable_models()` walks every installed model with a foreign-key path to
`Facility`; each must be named in `MOVED` or in `NOT_MOVED` with the reason it stays (the search
words and the survey's daily sums are derived and derived again; the audit trail is the
installation's own). One named in neither stops the export, and the tests, so a new model is never
left behind unnoticed. The lists name models by label: this base app does not import the apps
built on it (tests/test_layout.py).

The document:

- `format`, `version` (of this layout), `exported_at`, `source` (the exporting site's address),
  `facility` (its web address name);
- `users`: `{username: {"email": …}}` of every staff user the rows name;
- `models`: `{label: {"ids": n, "rows": […]}}`, parents first. A row holds every field of the
  model by name, its pk left out. Rows are numbered per model in the order of their pks: `ref`
  1 … n. A foreign key holds the ref of the row it names, or the username for a user. `ids` counts
  the numbers in use, which include those of rows that no longer exist but that history records
  still name (a service deleted from a draft). History records have no ref; their order is their
  pks' order. Dates and times are ISO 8601 with microseconds (a save's history records share one
  time). A file field is `{"name": the file's own name, "content": base64}`: files are always
  inside, so the document is the whole facility (scans are 10 MB at most, a case's files 5 MB); a
  path to copy beside it could land on another facility's file in the target's MEDIA_ROOT, where
  the paths hold pks. Content is null for a file missing from storage at export (a warning).

So the document does not depend on the pks of the installation that wrote it: exporting an
imported facility gives the same document but for `exported_at` (tests/test_facility_transfer.py).

Users are per installation. A username in the document is re-attached to the user of this
installation with the same username and the same e-mail address (case aside; a user without one
is not matched): the same username with another address may be another person, and a membership
would show them the complainants' contact details. An unmatched user's references become empty
and their memberships are not created; the import's warnings name them, for an administrator to
add by hand.

The import refuses, before writing anything, a facility address that exists here and any value of
a field unique across the installation that exists here (a case's tracking code: citizens hold
those, they cannot change); a clash only the database sees (a survey device key, two imports of
one address at once) rolls everything back. New pks are reserved from the tables' own sequences
(`load._reserve_ids`), ascending in the document's order, so history records of deleted rows get
numbers no later row will take, and the order of rows and of history is kept. Rows are written
with `bulk_create`: frozen charter versions through the plain manager (they are recreated as they
stood, not changed), the rest through their own querysets (the survey's daily sums follow the
responses). No signal runs, so the import rebuilds the facility's search words itself and, on
commit, retires the cached pages, survey results and inbox counts of its address (a facility
deleted here under the same address may have left some). With `CACHE_URL=locmem://` that reaches
only the command's own process; the web processes' pages live a minute there.
"""

from .dump import FORMAT, FORMAT_VERSION, export_facility
from .graph import MOVED, NOT_MOVED, TransferError, facility_models, facility_rows, reachable_models
from .load import ImportResult, import_facility, summary

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MOVED",
    "NOT_MOVED",
    "ImportResult",
    "TransferError",
    "export_facility",
    "facility_models",
    "facility_rows",
    "import_facility",
    "reachable_models",
    "summary",
]
