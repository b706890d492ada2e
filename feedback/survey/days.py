"""Exact daily aggregates of the survey: `SurveyDay` holds, for each facility, service and day of
visit, the number of respondents and each element's number of answers and sum of scores.

These are the very sums and counts `ikm.aggregates()` takes over the responses, and they add up:
the index of any set of whole days (a period, a month, a service across its charter versions) is
the same exact fraction from the day rows as from the responses, in a few thousand rows instead
of hundreds of thousands.

They stay exact because every write of responses through the ORM changes them in the same
transaction (`SurveyResponse.save()`/`delete()` and the queryset's `bulk_create()`, `update()`
and `delete()` call `add`): a new response adds its counts, a deleted one subtracts what the
locked row held. The change is one `INSERT … ON CONFLICT DO UPDATE` per batch that adds to the
stored numbers in the database (PostgreSQL and SQLite), so simultaneous answers about the same
day never overwrite each other's counts. Each change retires the facility's cached survey results
on commit (`charters.pagecache.SURVEY`). `rebuild` recomputes them from the responses (the
command `rebuild_survey_days`, after rows were written behind the ORM's back).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from django.db import connection, transaction

from charters import pagecache

from . import ikm

# The numbers of a day row, in the order of `ikm.aggregates()`: respondents, u1_answered,
# u1_total, …, u9_total. The day rows' columns have the same names.
COUNTS: tuple[str, ...] = tuple(ikm.aggregates())
# What a response contributes through: its key and its scores.
KEY_FIELDS: tuple[str, ...] = ("facility_id", "service_id", "visited_on")
ROW_FIELDS: tuple[str, ...] = (*KEY_FIELDS, *ikm.FIELDS)
# Changing one of these (by `update()`) moves a response's contribution.
TRACKED: frozenset[str] = frozenset({"facility", "service", *ROW_FIELDS})

Key = tuple[int, int | None, datetime.date]
Tally = dict[Key, list[int]]

BATCH = 500  # rows per statement: 22 parameters each, far below SQLite's and PostgreSQL's limits


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):  # as a model instance may hold it before it is read back
        return datetime.date.fromisoformat(value)
    return value


def tally(responses: Iterable[Any], sign: int = 1, into: Tally | None = None) -> Tally:
    """The counts of `responses` (model instances or `values(*ROW_FIELDS)` rows) by day row,
    times `sign` (-1 for responses that go), added to `into` when given."""
    counts: Tally = {} if into is None else into
    for response in responses:
        get = response.get if isinstance(response, Mapping) else lambda name, r=response: getattr(r, name)
        key = (get("facility_id"), get("service_id"), _as_date(get("visited_on")))
        row = counts.setdefault(key, [0] * len(COUNTS))
        row[0] += sign
        for position, field in enumerate(ikm.FIELDS):
            score = get(field)
            if score is not None:
                row[1 + 2 * position] += sign
                row[2 + 2 * position] += sign * int(score)
    return counts


def add(counts: Tally) -> None:
    """Add `counts` to the day rows, creating the missing ones, and drop the rows left without
    respondents. Call it inside the transaction that wrote the responses."""
    from ..models import SurveyDay

    changes = [(key, row) for key, row in counts.items() if any(row)]
    if not changes:
        return
    table = connection.ops.quote_name(SurveyDay._meta.db_table)
    columns = [*KEY_FIELDS, *COUNTS]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    increments = ", ".join(
        f"{connection.ops.quote_name(name)} = {table}.{connection.ops.quote_name(name)}"
        f" + excluded.{connection.ops.quote_name(name)}"
        for name in COUNTS
    )
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Two unique keys: with a service, and without one (NULL is never equal to NULL).
    targets = {
        True: "(facility_id, service_id, visited_on)",
        False: "(facility_id, visited_on) WHERE service_id IS NULL",
    }
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for with_service, target in targets.items():
            rows = [(key, row) for key, row in changes if (key[1] is not None) == with_service]
            for batch in _batches(rows, BATCH):
                parameters: list[Any] = []
                for (facility_id, service_id, day), row in batch:
                    parameters += [facility_id, service_id, connection.ops.adapt_datefield_value(day), *row]
                cursor.execute(
                    f"INSERT INTO {table} ({quoted}) VALUES {', '.join([placeholders] * len(batch))}"
                    f" ON CONFLICT {target} DO UPDATE SET {increments}",
                    parameters,
                )
        facility_ids = {key[0] for key, _row in changes}
        if any(value < 0 for _key, row in changes for value in row):
            SurveyDay.objects.filter(facility_id__in=facility_ids, respondents=0).delete()
    for facility_id in facility_ids:  # the public results switch once the answers are committed
        pagecache.bump_on_commit(facility_id, pagecache.SURVEY)


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _counts(row: Mapping[str, Any]) -> dict[str, int]:
    return {name: row[name] or 0 for name in COUNTS}


def rebuild(response_model: Any, day_model: Any, facility_ids: Iterable[int] | None = None) -> int:
    """Recompute the day rows from the responses (of `facility_ids`, or all), in one transaction;
    the number of day rows written. The models are parameters so that a migration can pass its
    historical ones."""
    days = day_model.objects.all()
    responses = response_model.objects.all()
    if facility_ids is not None:
        facility_ids = list(facility_ids)
        days = days.filter(facility_id__in=facility_ids)
        responses = responses.filter(facility_id__in=facility_ids)
    grouped = responses.order_by().values(*KEY_FIELDS).annotate(**ikm.aggregates())
    written = 0
    with transaction.atomic():
        days.delete()
        for batch in _batches(list(grouped), 2000):
            # An element nobody answered that day sums to NULL: none answered, 0 in total.
            day_model.objects.bulk_create([day_model(**{**row, **_counts(row)}) for row in batch])
            written += len(batch)
    return written
