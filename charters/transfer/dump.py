"""Writing a facility out: the document of the package's docstring."""

from __future__ import annotations

import base64
import datetime
import decimal
import posixpath
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Facility
from .graph import TransferError, facility_rows, fields, is_history, relations

FORMAT = "maklumat-facility"
FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    """A field's value as JSON holds it (microseconds kept: history records are grouped by time)."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _file(value: Any, warnings: list[str]) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        with value.storage.open(value.name, "rb") as handle:
            content: str | None = base64.b64encode(handle.read()).decode("ascii")
    except FileNotFoundError:
        warnings.append(_("The file %(name)s is missing from storage: only its name is exported.") % {"name": value})
        content = None
    return {"name": posixpath.basename(value.name), "content": content}


def export_facility(slug: str, *, warnings: list[str] | None = None) -> dict[str, Any]:
    """The facility with everything that belongs to it, as a JSON-ready document."""
    warnings = [] if warnings is None else warnings
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every query: a case answered meanwhile comes whole or not at all.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        facility = Facility.objects.filter(slug=slug).first()
        if facility is None:
            raise TransferError(_("There is no facility with the web address name “%(slug)s”.") % {"slug": slug})
        rows = {model: list(queryset.order_by("pk")) for model, queryset in facility_rows(facility).items()}
        return _document(facility, rows, warnings)


def _numbering(rows: dict[type[models.Model], list[Any]]) -> dict[type[models.Model], dict[int, int]]:
    """Each moved live model's pks, numbered 1 … n in order: its rows', and those only its history
    records still name."""
    used: dict[type[models.Model], set[int]] = defaultdict(set)
    for model, objects in rows.items():
        if not is_history(model):
            used[model].update(obj.pk for obj in objects)
    for model, objects in rows.items():
        if not is_history(model):
            continue
        used[model.instance_type].update(getattr(obj, model.instance_type._meta.pk.attname) for obj in objects)
        for relation in relations(model):
            if relation.related_model in used:
                used[relation.related_model].update(
                    v for obj in objects if (v := getattr(obj, relation.attname)) is not None
                )
    return {model: {pk: ref for ref, pk in enumerate(sorted(pks), start=1)} for model, pks in used.items()}


def _document(facility: Facility, rows: dict[type[models.Model], list[Any]], warnings: list[str]) -> dict[str, Any]:
    user_model = get_user_model()
    numbers = _numbering(rows)
    user_ids = {
        getattr(obj, relation.attname)
        for model, objects in rows.items()
        for relation in relations(model)
        if relation.related_model is user_model
        for obj in objects
    } - {None}
    users = {
        pk: (username, email)
        for pk, username, email in user_model._base_manager.filter(pk__in=user_ids).values_list(
            "pk", user_model.USERNAME_FIELD, "email"
        )
    }
    sections: dict[str, Any] = {}
    for model, objects in rows.items():
        history = is_history(model)
        own = model.instance_type._meta.pk.attname if history else None
        out = []
        for obj in objects:
            row: dict[str, Any] = {} if history else {"ref": numbers[model][obj.pk]}
            for item in fields(model):
                value = getattr(obj, item.attname)
                if item.is_relation and value is not None:
                    if item.related_model is user_model:
                        # A history record may name a user deleted since (no constraint there).
                        value = users[value][0] if value in users else None
                    elif value in numbers[item.related_model]:
                        value = numbers[item.related_model][value]
                    else:
                        raise TransferError(
                            f"{model._meta.label} {obj.pk}: {item.name} names a row of another facility"
                        )
                elif item.attname == own:
                    value = numbers[model.instance_type][value]
                elif isinstance(item, models.FileField):
                    value = _file(value, warnings)
                else:
                    value = _plain(value)
                row[item.name] = value
            out.append(row)
        count = len(objects) if history else len(numbers[model])
        sections[model._meta.label] = {"ids": count, "rows": out}
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "source": settings.SITE_URL,
        "facility": facility.slug,
        "users": {username: {"email": email} for username, email in sorted(users.values())},
        "models": sections,
    }
