"""Reading a facility in: new pks, every reference remapped, in one transaction (see the package's
docstring)."""

from __future__ import annotations

import base64
import binascii
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils.translation import gettext as _, ngettext

from .. import pagecache, search
from ..models import DraftOnlyQuerySet, Facility
from .dump import FORMAT, FORMAT_VERSION
from .graph import TransferError, facility_models, fields, is_history

# The cache generations named by a facility's address (charters.pagecache): its public pages, its
# survey results, and its inbox's counts (`feedback.reports.CASES`, named here as this app may not
# import feedback). A facility imported under the address of one deleted here must not be shown
# from the deleted one's cached pages.
GENERATIONS = (pagecache.PAGES, pagecache.SURVEY, "cases")

BATCH = 500


@dataclass
class ImportResult:
    facility: Facility
    counts: dict[type[models.Model], int]
    warnings: list[str] = field(default_factory=list)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new pks of `model`, ascending, taken from its table's sequence as inserts take
    them, so that no later row of this installation is given one of them."""
    if count == 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = next(s["name"] for s in connection.introspection.get_sequences(cursor, table))
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            # Django's SQLite tables are AUTOINCREMENT: the next pk is above the table's largest
            # and above sqlite_sequence's number, which is moved up past the reserved ones.
            name = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({name(column)}) FROM {name(table)}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            stored = cursor.fetchone()
            first = max(highest, stored[0] if stored else 0) + 1
            if stored:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [first + count - 1, table])
            else:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first + count - 1])
            return list(range(first, first + count))
    raise TransferError(f"importing needs PostgreSQL or SQLite, not {connection.vendor}")


def _model(label: str) -> type[models.Model]:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise TransferError(
            _("The file names %(label)s, which this installation does not have.") % {"label": label}
        ) from exc


def _check(document: Any) -> dict[str, type[models.Model]]:
    """The document's models, after checking that this installation can read it."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(_("This is not a facility exported by Maklumat."))
    if document.get("version") != FORMAT_VERSION:
        raise TransferError(
            _("The file's format version is %(found)s; this installation reads version %(wanted)s.")
            % {"found": document.get("version"), "wanted": FORMAT_VERSION}
        )
    named = {label: _model(label) for label in document["models"]}
    order = facility_models()
    unmoved = sorted(label for label, model in named.items() if model not in order)
    if unmoved:
        raise TransferError(f"the file holds models this installation does not move: {unmoved}")
    # This installation's order of writing, parents first, whatever the file's.
    found = {model._meta.label: model for model in order if model._meta.label in named}
    for label, model in found.items():
        names = {f.name for f in fields(model)}
        for row in document["models"][label]["rows"]:
            extra = set(row) - names - {"ref"}
            if extra:
                # A field this installation lacks would be lost without a word.
                raise TransferError(
                    _("%(model)s has no field %(fields)s here: update this installation first.")
                    % {"model": label, "fields": ", ".join(sorted(extra))}
                )
    facilities = document["models"].get(Facility._meta.label, {}).get("rows", [])
    if len(facilities) != 1 or facilities[0].get("slug") != document.get("facility"):
        raise TransferError(_("The document is damaged: it must hold the one facility it names."))
    return found


def _refuse_existing(document: dict[str, Any], found: dict[str, type[models.Model]]) -> None:
    """Refuse what would change or clash: the facility's address, and any value of a field unique
    across the installation (tracking codes)."""
    slug = document["facility"]
    if Facility.objects.filter(slug=slug).exists():
        raise TransferError(
            _("A facility with the web address name “%(slug)s” already exists here; nothing was imported.")
            % {"slug": slug}
        )
    for label, model in found.items():
        if is_history(model):
            continue
        for item in fields(model):
            if not item.unique or item.is_relation:
                continue
            values = [row[item.name] for row in document["models"][label]["rows"] if row.get(item.name) is not None]
            taken = sorted(
                str(v)
                for start in range(0, len(values), BATCH)
                for v in models.QuerySet(model)
                .filter(**{f"{item.attname}__in": values[start : start + BATCH]})
                .values_list(item.attname, flat=True)
            )
            if taken:
                raise TransferError(
                    _("These values of “%(field)s” (%(model)s) already exist here: %(values)s. Nothing was imported.")
                    % {
                        "field": item.verbose_name,
                        "model": model._meta.verbose_name_plural,
                        "values": ", ".join(taken),
                    }
                )


def _match_users(listed: dict[str, dict[str, str]], warnings: list[str]) -> dict[str, int]:
    """The document's usernames → pks of this installation's users with the same username and the
    same e-mail address (an address is needed: a bare username is too weak a sign of the same
    person); the others are named in `warnings`."""
    user_model = get_user_model()
    here = {
        username: (pk, email)
        for pk, username, email in user_model._base_manager.filter(
            **{f"{user_model.USERNAME_FIELD}__in": list(listed)}
        ).values_list("pk", user_model.USERNAME_FIELD, "email")
    }
    matched = {}
    for username, details in sorted(listed.items()):
        found = here.get(username)
        email = (details.get("email") or "").casefold()
        if found and email and found[1].casefold() == email:
            matched[username] = found[0]
        else:
            warnings.append(
                _(
                    "No user “%(username)s” with the same e-mail address here: the records they made keep no "
                    "name and their role at the facility was not given."
                )
                % {"username": username}
            )
    return matched


def _store_file(item: models.FileField, obj: models.Model, value: dict[str, Any], stored: list[tuple[Any, str]]) -> str:
    """Write a file under MEDIA_ROOT with the storage API, where this installation would have put
    it (the paths hold the new pks); give its name."""
    # The export writes a file's base name only; a name with folders, '..' or nothing is refused
    # as a damaged document, never written elsewhere.
    base = posixpath.basename(str(value["name"]))
    try:
        name = item.generate_filename(obj, base)
    except SuspiciousFileOperation as exc:
        raise TransferError(_("The file %(name)s is damaged in the document.") % {"name": value["name"]}) from exc
    if value.get("content") is None:
        return name
    try:
        content = base64.b64decode(value["content"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TransferError(_("The file %(name)s is damaged in the document.") % {"name": value["name"]}) from exc
    try:
        saved = item.storage.save(name, ContentFile(content))
    except OSError as exc:
        raise TransferError(
            _("The file %(name)s could not be written: %(error)s") % {"name": base, "error": exc}
        ) from exc
    stored.append((item.storage, saved))
    return saved


def _new_id(new_ids: dict[type[models.Model], list[int]], model: type[models.Model], ref: Any) -> int:
    """The new pk of the row the document numbers `ref` (1 … its model's `ids`)."""
    if not isinstance(ref, int) or not 1 <= ref <= len(new_ids.get(model, ())):
        raise TransferError(
            _("The document is damaged: %(model)s has no row %(ref)s.") % {"model": model._meta.label, "ref": ref}
        )
    return new_ids[model][ref - 1]


def _build(
    model: type[models.Model],
    section: dict[str, Any],
    new_ids: dict[type[models.Model], list[int]],
    users: dict[str, int],
    stored: list[tuple[Any, str]],
) -> list[models.Model]:
    user_model = get_user_model()
    history = is_history(model)
    own = model.instance_type._meta.pk.attname if history else None
    objects = []
    for index, row in enumerate(section["rows"]):
        obj = model()
        obj.pk = new_ids[model][index] if history else _new_id(new_ids, model, row["ref"])
        skip = False
        files = []
        for item in fields(model):
            if item.name not in row:
                continue  # written by an older layout: the field's default
            value = row[item.name]
            if item.is_relation and value is not None:
                if item.related_model is user_model:
                    value = users.get(value)
                    skip = skip or (value is None and not item.null)  # a membership of a user not here
                else:
                    value = _new_id(new_ids, item.related_model, value)
            elif item.attname == own:
                value = _new_id(new_ids, model.instance_type, value)
            elif isinstance(item, models.FileField):
                files.append((item, value))
                continue
            elif value is not None:
                value = item.to_python(value)
            setattr(obj, item.attname, value)
        if skip:
            continue
        for item, value in files:  # last: the path is made of the row's foreign keys
            setattr(obj, item.attname, _store_file(item, obj, value, stored) if value else "")
        objects.append(obj)
    return objects


def _write(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert the rows as they were. The charter's content goes through the plain manager: a frozen
    version is recreated as it stands, not changed. The others go through their own queryset, so
    that what it keeps beside them (the survey's daily sums) is kept."""
    manager = model._default_manager
    if issubclass(manager._queryset_class, DraftOnlyQuerySet):
        manager = model._base_manager
    # `bulk_create` stamps auto_now and auto_now_add fields with the present time, on the objects
    # too; put back the document's times (an update writes them as given).
    stamped = [f.attname for f in fields(model) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    times = [[getattr(obj, name) for name in stamped] for obj in objects]
    manager.bulk_create(objects, batch_size=BATCH)
    if stamped and objects:
        for obj, values in zip(objects, times, strict=True):
            for name, value in zip(stamped, values, strict=True):
                setattr(obj, name, value)
        model._base_manager.bulk_update(objects, stamped, batch_size=BATCH)


def import_facility(document: Any) -> ImportResult:
    """Write the facility of `document` into this installation, all or nothing."""
    try:
        return _import(document)
    except (KeyError, IndexError, TypeError, AttributeError, ValidationError) as exc:
        # A document edited by hand or cut short: refused as a whole like any other.
        raise TransferError(_("The document is damaged: %(error)r") % {"error": exc}) from exc


def _import(document: Any) -> ImportResult:
    found = _check(document)
    warnings: list[str] = []
    stored: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            _refuse_existing(document, found)
            users = _match_users(document.get("users", {}), warnings)
            sections = document["models"]
            new_ids = {model: _reserve_ids(model, sections[label]["ids"]) for label, model in found.items()}
            counts = {}
            for label, model in found.items():
                objects = _build(model, sections[label], new_ids, users, stored)
                _write(model, objects)
                counts[model] = len(objects)
            facility = Facility.objects.get(slug=document["facility"])
            search.refresh([facility.pk])
            for scope in GENERATIONS:
                transaction.on_commit(lambda scope=scope: pagecache.bump(facility.slug, scope))
    except BaseException:
        # The rows are rolled back; the files written meanwhile go too.
        for storage, name in stored:
            storage.delete(name)
        raise
    return ImportResult(facility, counts, warnings)


def summary(result: ImportResult) -> Iterable[str]:
    """What was imported, one line per kind of record, for the command's output."""
    yield _("Imported %(name)s (%(slug)s):") % {"name": result.facility.name, "slug": result.facility.slug}
    for model, count in result.counts.items():
        if count and not is_history(model):
            yield f"  {model._meta.app_config.verbose_name}, {model._meta.verbose_name_plural}: {count}"
    history = sum(count for model, count in result.counts.items() if is_history(model))
    yield "  " + ngettext("%(count)s history record", "%(count)s history records", history) % {"count": history}
