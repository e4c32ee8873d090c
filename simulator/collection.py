"""A collection of visible objects: sorted indexes, keyset paging and counting."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from simulator.index import SortedIndex, SortValue
from simulator.query import ListQuery
from simulator.store import RowStore

Predicate = Callable[[int], bool]
_MAX_CACHED_COUNTS = 256


@dataclass(frozen=True, slots=True)
class Page:
    """Rows of one page, in order, and where the page ended."""

    rows: list[int]
    last_key: tuple[SortValue, int] | None
    has_more: bool


class Collection:
    """The visible rows of one API object type.

    For mutable objects only the latest version of each id is visible: making a new version
    visible replaces the old one in every index. Indexes are built on first use per sort
    field and maintained incrementally afterwards.
    """

    def __init__(
        self, api: str, store: RowStore, sort_fields: Mapping[str, bool], mutable: bool
    ) -> None:
        self.api = api
        self.store = store
        self._sort_fields = sort_fields
        self._mutable = mutable
        self._id = store.getter("id")
        self._indexes: dict[str, SortedIndex] = {}
        self._current: dict[int, int] = {}
        self.shown: array[int] = array("q")
        """Every row ever made visible, in the order it became visible."""
        self.generation = 0
        self._counts: dict[str, tuple[int, int]] = {}
        """Counts by query fingerprint, valid while ``generation`` is unchanged."""

    def __len__(self) -> int:
        return len(self._current) if self._mutable else len(self.shown)

    def current_rows(self) -> Iterable[int]:
        """Every visible row."""
        return self._current.values() if self._mutable else self.shown

    def show(self, row: int) -> None:
        """Make a row visible, replacing the previous version of a mutable object."""
        oid = self._id(row)
        if self._mutable:
            old = self._current.get(oid)
            self._current[oid] = row
            if old is not None:
                for field, index in self._indexes.items():
                    index.remove(self.store.getter(field)(old), oid)
        for field, index in self._indexes.items():
            index.insert(self.store.getter(field)(row), oid, row)
        self.shown.append(row)
        self.generation += 1

    def show_bulk(self, rows: Iterable[int]) -> None:
        """Make many new rows visible at once (indexes are rebuilt on next use)."""
        for row in rows:
            if self._mutable:
                self._current[self._id(row)] = row
            self.shown.append(row)
        self._indexes.clear()
        self.generation += 1

    def index(self, field: str) -> SortedIndex:
        """The index on ``field``, built now if this is its first use."""
        index = self._indexes.get(field)
        if index is None:
            index = SortedIndex.build(
                self._sort_fields[field], self.current_rows(), self.store.getter(field), self._id
            )
            self._indexes[field] = index
        return index

    def _predicate(
        self, ranges: Iterable[tuple[str, int, int]], sets: Iterable[tuple[str, frozenset[int]]]
    ) -> Predicate | None:
        range_checks = [(self.store.getter(f), low, high) for f, low, high in ranges]
        set_checks = [(self.store.getter(f), allowed) for f, allowed in sets]
        if not range_checks and not set_checks:
            return None

        def matches(row: int) -> bool:
            for get, low, high in range_checks:
                value = get(row)
                if value is None or not low <= value <= high:
                    return False
            return all(get(row) in allowed for get, allowed in set_checks)

        return matches

    def _window(self, query: ListQuery) -> tuple[SortedIndex, int, int, Predicate | None]:
        """The index, the position range its own field's time filter allows, and the rest."""
        index = self.index(query.sort_field)
        low, high = 0, len(index)
        residual = []
        for field, first, last in query.ranges:
            if field == query.sort_field:
                low = max(low, index.lower((first,)))
                high = min(high, index.lower((last + 1,)))
            else:
                residual.append((field, first, last))
        return index, low, max(low, high), self._predicate(residual, query.sets)

    def page(self, query: ListQuery) -> Page:
        """Return the page after the query's cursor."""
        index, low, high, matches = self._window(query)
        if query.after is not None:
            key = (query.after.value, query.after.id)
            if query.descending:
                high = max(low, min(high, index.lower(key)))
            else:
                low = min(high, max(low, index.upper(key)))
        positions = range(high - 1, low - 1, -1) if query.descending else range(low, high)
        skip = query.skip if query.after is None else 0
        rows: list[int] = []
        last_position = -1
        index_rows = index.rows
        for position in positions:
            row = index_rows[position]
            if matches is not None and not matches(row):
                continue
            if skip:
                skip -= 1
                continue
            if len(rows) == query.limit:
                return Page(rows, index.key_at(last_position), True)
            rows.append(row)
            last_position = position
        last_key = index.key_at(last_position) if rows else None
        return Page(rows, last_key, False)

    def count(self, query: ListQuery) -> int:
        """Count every visible row matching the query's filters (ignoring its cursor)."""
        index, low, high, matches = self._window(query)
        if matches is None:
            return high - low
        other_ranges = [r for r in query.ranges if r[0] != query.sort_field]
        if len(other_ranges) == 1 and not query.sets:
            field, first, last = other_ranges[0]
            other = self.index(field)
            if low == 0 and high == len(index):
                return max(0, other.lower((last + 1,)) - other.lower((first,)))
        cached = self._counts.get(query.fingerprint)
        if cached is not None and cached[0] == self.generation:
            return cached[1]
        rows = index.rows
        total = sum(1 for position in range(low, high) if matches(rows[position]))
        if len(self._counts) >= _MAX_CACHED_COUNTS:
            self._counts.clear()
        self._counts[query.fingerprint] = (self.generation, total)
        return total
