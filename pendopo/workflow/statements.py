"""The SQL of a queryset the ORM has built once, run again without building it again.

Officers keep an inbox open all day and reload it with the same filters: every reload built the
same two querysets (the permission's `EXISTS`, the filters, four joined tables) and compiled them
to the same SQL, which cost the page more than PostgreSQL took to run that SQL. Here the first
request with a given key runs the queryset as usual and remembers the one statement the ORM sent
(SQL and parameters); later requests with that key send the statement straight to the database.
The statement is still run every time, so the rows are always the database's rows of the moment.

The key must name everything the statement depends on: for an inbox, the user and their access
stamp (their memberships, hence the permission condition: pendopo.regions.access), the region,
the filters and the page. Anything time-dependent (a filter on "now") must not be keyed at all:
pass `key=None` and the queryset is run through the ORM.

Only on PostgreSQL, whose driver returns these values as the ORM would (no converters for text,
numbers, booleans and aware datetimes); elsewhere the ORM runs every time. Per process, bounded
(`MAX_ENTRIES`, least recently used first out), thread-safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection

from pendopo.lib.lru import LRUCache

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from django.db.models import QuerySet

MAX_ENTRIES = 2048

_statements = LRUCache(MAX_ENTRIES)


def clear() -> None:
    _statements.clear()


def _usable(key: Hashable | None) -> bool:
    return key is not None and connection.vendor == "postgresql"


def _captured(run: Callable[[], Any]) -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
    statements: list[tuple[str, tuple[Any, ...]]] = []

    def capture(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        result = run()
    return result, statements


def count(key: Hashable | None, build: Callable[[], QuerySet[Any]]) -> int:
    """`build().count()`, with the statement remembered under `key`."""
    if not _usable(key):
        return build().count()
    found = _statements.get(("count", connection.alias, key))
    if found is not None:
        with connection.cursor() as cursor:
            cursor.execute(*found)
            return cursor.fetchone()[0]
    queryset = build()  # built outside the capture: only the statement the count sends is remembered
    total, statements = _captured(queryset.count)
    if len(statements) == 1:  # an empty queryset sends none: nothing to remember
        _statements.put(("count", connection.alias, key), statements[0])
    return total


def rows(key: Hashable | None, build: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """`list(build())` of a `values_list` queryset (tuples), with the statement remembered under `key`."""
    if not _usable(key):
        return list(build())
    found = _statements.get(("rows", connection.alias, key))
    if found is not None:
        with connection.cursor() as cursor:
            cursor.execute(*found)
            return list(cursor.fetchall())
    queryset = build()
    values, statements = _captured(lambda: list(queryset))
    if len(statements) == 1:
        _statements.put(("rows", connection.alias, key), statements[0])
    return values
